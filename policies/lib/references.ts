// Links between resources for the stack-level rules: a property that names another resource holds
// that resource's physical name, id or ARN (e.g. a BucketPolicy's `bucket`, an RDS instance's
// `parameterGroupName`).
import type { PolicyResource } from "@pulumi/policy";

/** The resources of `candidates` that `reference` names, by id, ARN or the type's own name property. */
export function referencedBy(candidates: readonly PolicyResource[], reference: unknown, nameProperty: string): PolicyResource[] {
    if (typeof reference !== "string" || reference === "") return [];
    return candidates.filter((r) => [r.props.id, r.props.arn, r.props[nameProperty]].includes(reference));
}

/** A policy document given as JSON text or as an object. */
export function policyDocument(policy: unknown): { Statement?: unknown } | undefined {
    try {
        const parsed = typeof policy === "string" ? JSON.parse(policy) : policy;
        return typeof parsed === "object" && parsed !== null ? parsed : undefined;
    } catch {
        return undefined;
    }
}
