// The cost delta of a diff: each side's estimate (tools/cost) and the resources whose monthly cost moved.
import { type CostReport, toCents } from "../cost/estimate";

export interface CostChange {
    readonly urn: string;
    readonly type: string;
    readonly before: number;
    readonly after: number;
}

export interface CostDelta {
    readonly currency: string;
    readonly before: number;
    readonly after: number;
    readonly delta: number;
    readonly changes: CostChange[];
    readonly note?: string;
}

export function costDelta(base: CostReport, head: CostReport): CostDelta {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const changes = [...new Set([...before.keys(), ...after.keys()])]
        .map((urn) => ({
            urn,
            type: (after.get(urn) ?? before.get(urn))?.type ?? "",
            before: before.get(urn)?.monthly ?? 0,
            after: after.get(urn)?.monthly ?? 0,
        }))
        .filter((c) => c.before !== c.after)
        .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
    return {
        currency: head.currency,
        before: base.total,
        after: head.total,
        delta: toCents(head.total - base.total),
        changes,
        ...(head.note ? { note: head.note } : {}),
    };
}
