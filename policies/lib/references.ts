// Links between resources for the stack-level rules: a property that names another resource holds
// that resource's physical name, id or ARN (e.g. a BucketPolicy's `bucket`, an RDS instance's
// `parameterGroupName`).
import type { PolicyResource } from "@pulumi/policy";
import { isRecord, type Props, records } from "./values";

/** The resources of `candidates` that `reference` names, by id, ARN or the type's own name property. */
export function referencedBy(candidates: readonly PolicyResource[], reference: unknown, nameProperty: string): PolicyResource[] {
    if (typeof reference !== "string" || reference === "") return [];
    return candidates.filter((r) => [r.props.id, r.props.arn, r.props[nameProperty]].includes(reference));
}

/**
 * Which of `targets` some resource of `links` names in `property` (by ARN, id or `nameProperty`). A
 * target not created yet (a preview) has no ARN to be named by: a link naming no known target may be
 * its, so a target without an ARN counts as linked while such an unresolved link exists.
 */
export function linkedTargets(
    targets: readonly PolicyResource[],
    links: readonly PolicyResource[],
    property: string,
    nameProperty: string,
): Set<PolicyResource> {
    const named = (link: PolicyResource) => referencedBy(targets, link.props[property], nameProperty);
    const linked = new Set(links.flatMap(named));
    if (links.some((link) => named(link).length === 0)) for (const target of targets) if (typeof target.props.arn !== "string") linked.add(target);
    return linked;
}

/** A policy document given as JSON text or as an object; undefined when it is neither (a secret included). */
export function policyDocument(policy: unknown): Props | undefined {
    try {
        const parsed: unknown = typeof policy === "string" ? JSON.parse(policy) : policy;
        return isRecord(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** A policy document's statements (a single statement object or a list of them). */
export function policyStatements(policy: unknown): Props[] {
    const statement = policyDocument(policy)?.Statement;
    return isRecord(statement) ? [statement] : records(statement);
}
