// Links between resources for the stack-level rules: a property that names another resource holds
// that resource's physical name, id or ARN (e.g. a BucketPolicy's `bucket`, an RDS instance's
// `parameterGroupName`).
import type { PolicyResource } from "@pulumi/policy";
import type { TypeToken } from "./resource-types";
import { deepFreeze, isRecord, type Props, records } from "./values";

// Stack rules look up links many times over one stack view (a 10,000-resource export has hundreds of
// buckets and their configurations): each list of resources is indexed once and the index kept with it.
const namesIndex = new WeakMap<readonly PolicyResource[], Map<string, Map<string, PolicyResource[]>>>();
const typesIndex = new WeakMap<readonly PolicyResource[], Map<string, PolicyResource[]>>();
const byTypeIndex = new WeakMap<readonly PolicyResource[], Map<string, PolicyResource[]>>();
const linksIndex = new WeakMap<readonly PolicyResource[], Map<string, Map<string, PolicyResource[]>>>();

function memo<K extends object, V>(cache: WeakMap<K, Map<string, V>>, owner: K, key: string, make: () => V): V {
    let byKey = cache.get(owner);
    if (!byKey) cache.set(owner, (byKey = new Map()));
    let found = byKey.get(key);
    if (found === undefined) byKey.set(key, (found = make()));
    return found;
}

/** Groups resources under each string key `keysOf` gives it (a resource once per distinct key), in their order. */
function grouped(resources: readonly PolicyResource[], keysOf: (r: PolicyResource) => unknown[]): Map<string, PolicyResource[]> {
    const groups = new Map<string, PolicyResource[]>();
    for (const r of resources)
        for (const key of new Set(keysOf(r))) {
            if (typeof key !== "string" || key === "") continue;
            const group = groups.get(key);
            if (group) group.push(r);
            else groups.set(key, [r]);
        }
    return groups;
}

/** The stack's resources of any of these types, in stack order. */
export function ofTypes(resources: readonly PolicyResource[], tokens: readonly TypeToken[]): PolicyResource[] {
    let byType = byTypeIndex.get(resources);
    if (!byType) byTypeIndex.set(resources, (byType = grouped(resources, (r) => [r.type])));
    if (tokens.length === 1) return byType.get(tokens[0]) ?? [];
    // Several types (a type and its deprecated aliases): their resources back in stack order.
    return memo(typesIndex, resources, tokens.join(" "), () => {
        const wanted = new Set(tokens.flatMap((t) => byType.get(t) ?? []));
        return resources.filter((r) => wanted.has(r));
    });
}

/** The resources of `candidates` that `reference` names, by id, ARN or the type's own name property. */
export function referencedBy(candidates: readonly PolicyResource[], reference: unknown, nameProperty: string): PolicyResource[] {
    if (typeof reference !== "string" || reference === "") return [];
    const names = memo(namesIndex, candidates, nameProperty, () => grouped(candidates, (r) => [r.props.id, r.props.arn, r.props[nameProperty]]));
    return names.get(reference) ?? [];
}

/** The resources of `links` whose `property` names `target` (by its id, ARN or `nameProperty`), in their order. */
export function linksTo(target: PolicyResource, links: readonly PolicyResource[], property: string, nameProperty: string): PolicyResource[] {
    const byReference = memo(linksIndex, links, property, () => grouped(links, (r) => [r.props[property]]));
    const found = new Set(
        [target.props.id, target.props.arn, target.props[nameProperty]].flatMap((key) => (typeof key === "string" ? (byReference.get(key) ?? []) : [])),
    );
    // Named under one key (the usual case), the links are in order already.
    return found.size <= 1 ? [...found] : links.filter((link) => found.has(link));
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

// A role's trust and inline policies, a key's policy: a dozen IAM rules read each document in turn, and
// a large stack repeats the same texts, so each text is parsed once while it is among the last read.
// Frozen, since the rules share it. Bounded, for a document of countless distinct policies.
const parsedTexts = new Map<string, Props | undefined>();
const MAX_PARSED = 256;

function parsedPolicy(text: string): Props | undefined {
    if (parsedTexts.has(text)) return parsedTexts.get(text);
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        parsed = undefined;
    }
    const document = isRecord(parsed) ? deepFreeze(parsed) : undefined;
    if (parsedTexts.size >= MAX_PARSED) parsedTexts.clear();
    parsedTexts.set(text, document);
    return document;
}

/** A policy document given as JSON text or as an object; undefined when it is neither (a secret included). */
export function policyDocument(policy: unknown): Props | undefined {
    if (typeof policy === "string") return parsedPolicy(policy);
    return isRecord(policy) ? policy : undefined;
}

/** A policy document's statements (a single statement object or a list of them). */
export function policyStatements(policy: unknown): Props[] {
    const statement = policyDocument(policy)?.Statement;
    return isRecord(statement) ? [statement] : records(statement);
}
