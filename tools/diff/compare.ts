// The resource-level difference between two plans of one stack: resources matched by URN, each
// changed resource with the property paths whose values differ (JSON-encoded strings, such as a task
// definition's containerDefinitions, compared inside; a one-shot job's per-run label not compared),
// secrets never shown.
import { RUN_LABEL } from "../../components/docker/labels";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { SECRET_PLACEHOLDER } from "../../lib/placeholders";
import { STATEFUL_TYPES } from "./stateful";

export interface PropertyChange {
    readonly path: string;
    /** The rendered value: JSON, elided when long, `[secret]` for a secret; absent when the property is new or gone. */
    readonly old?: string;
    readonly new?: string;
}

export interface ResourceDiff {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Why removing it is dangerous: protected, retained on delete, stateful (<kind>). */
    readonly risks: string[];
    readonly changes: PropertyChange[];
}

export interface PlanDiff {
    readonly stack: string;
    readonly added: ResourceDiff[];
    readonly removed: ResourceDiff[];
    readonly changed: ResourceDiff[];
}

/** Rendered values longer than this are elided: their head kept, their length stated. */
export const MAX_VALUE_LENGTH = 80;

export function renderValue(value: unknown): string {
    const text = JSON.stringify(value) ?? "undefined";
    return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}… (${text.length} chars)` : text;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
    return typeof value === "object" && value !== null;
}

// A string holding a JSON object or array (containerDefinitions, policies, dashboard bodies).
function jsonInside(value: unknown): Record<string, unknown> | unknown[] | undefined {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
    try {
        const parsed: unknown = JSON.parse(value);
        return isContainer(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

function child(path: string, key: string | number): string {
    if (typeof key === "number") return `${path}[${key}]`;
    const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
    return path ? `${path}.${name}` : name;
}

function containsSecret(value: unknown): boolean {
    return value === SECRET_PLACEHOLDER || (isContainer(value) && Object.values(value).some(containsSecret));
}

/** Every leaf path whose value differs between `a` and `b`. */
export function changedPaths(a: unknown, b: unknown, path = ""): PropertyChange[] {
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    const [innerA, innerB] = [jsonInside(a), jsonInside(b)];
    if (innerA && innerB) return changedPaths(innerA, innerB, path);
    if (isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b)) {
        const keys = Array.isArray(a)
            ? Array.from({ length: Math.max(a.length, (b as unknown[]).length) }, (_, i) => i)
            : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        return keys.flatMap((key) =>
            changedPaths((a as Record<string | number, unknown>)[key], (b as Record<string | number, unknown>)[key], child(path, key)),
        );
    }
    // A value that is or holds a secret on either side is shown as [secret] on both: a plaintext
    // that became a secret is not repeated in a pull request's comment.
    const secret = containsSecret(a) || containsSecret(b);
    const show = (v: unknown) => (v === undefined ? undefined : secret ? SECRET_PLACEHOLDER : renderValue(v));
    const [oldValue, newValue] = [show(a), show(b)];
    return [{ path: path || "(value)", ...(oldValue !== undefined ? { old: oldValue } : {}), ...(newValue !== undefined ? { new: newValue } : {}) }];
}

export function risksOf(resource: PlanResource): string[] {
    const stateful = STATEFUL_TYPES[resource.type];
    return [
        ...(resource.options.protect ? ["protected"] : []),
        ...(resource.options.retainOnDelete ? ["retained on delete"] : []),
        ...(stateful ? [`stateful: ${stateful}`] : []),
    ];
}

/**
 * Container labels whose value is new with every run of the program, whatever the revision: a
 * one-shot job's run (RUN_LABEL, set from jobRunId). Two plans always differ there, which says
 * nothing about the change, so both sides compare as PER_RUN.
 */
export const PER_RUN_LABELS: readonly string[] = [RUN_LABEL];
export const PER_RUN = "<new every run>";

function comparedInputs(resource: PlanResource): Record<string, unknown> {
    const labels = resource.inputs.labels;
    if (!Array.isArray(labels)) return resource.inputs;
    const perRun = (l: unknown) => isContainer(l) && !Array.isArray(l) && PER_RUN_LABELS.includes(l.label as string);
    return { ...resource.inputs, labels: labels.map((l: unknown) => (perRun(l) ? { ...(l as object), value: PER_RUN } : l)) };
}

function entry(resource: PlanResource, changes: PropertyChange[] = []): ResourceDiff {
    return { urn: resource.urn, type: resource.type, name: resource.name, risks: risksOf(resource), changes };
}

/** What applying `head` over `base` would add, remove and change. */
export function comparePlans(base: Plan, head: Plan): PlanDiff {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const changed: ResourceDiff[] = [];
    for (const [urn, resource] of after) {
        const previous = before.get(urn);
        if (!previous) continue;
        const changes = [
            ...changedPaths(comparedInputs(previous), comparedInputs(resource)),
            ...changedPaths(
                { protect: previous.options.protect, retainOnDelete: previous.options.retainOnDelete },
                { protect: resource.options.protect, retainOnDelete: resource.options.retainOnDelete },
                "(options)",
            ),
        ];
        if (changes.length > 0) changed.push(entry(resource, changes));
    }
    return {
        stack: head.stack,
        added: head.resources.filter((r) => !before.has(r.urn)).map((r) => entry(r)),
        // A removal's risks are those of the resource as it stands (base).
        removed: base.resources.filter((r) => !after.has(r.urn)).map((r) => entry(r)),
        changed,
    };
}

/** Removals that lose data or that the program guards: `--fail-on-destroy` exits 1 for any. */
export function dangerousRemovals(diff: PlanDiff): ResourceDiff[] {
    return diff.removed.filter((r) => r.risks.length > 0);
}
