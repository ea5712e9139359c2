// The policy delta of a diff: the pack's findings on each plan, new in head or fixed since base.
import { evaluate, stackSettings } from "../../policies/offline";
import { rules } from "../../policies/rules";
import { planResources } from "../../policies/input/read";
import type { Plan } from "../../lib/plan-engine";

export interface Finding {
    readonly policy: string;
    readonly enforcement: string;
    readonly urn: string;
    readonly message: string;
    readonly controls: readonly string[];
}

export interface PolicyDelta {
    readonly introduced: Finding[];
    readonly fixed: Finding[];
}

/**
 * The one adapter between the diff and the offline check (policies/offline.ts): the check's
 * violation shape is changing in parallel, and only this function reads it.
 */
export async function policyFindings(plan: Plan): Promise<Finding[]> {
    const controls = new Map(rules.map((rule) => [rule.name, rule.controls ?? []]));
    const violations = await evaluate(await planResources(plan), stackSettings(plan.stack));
    return violations.map((v) => ({ policy: v.policy, enforcement: v.enforcement, urn: v.urn, message: v.message, controls: controls.get(v.policy) ?? [] }));
}

const key = (f: Finding) => `${f.policy}\u0000${f.urn}\u0000${f.message}`;

export function policyDelta(base: readonly Finding[], head: readonly Finding[]): PolicyDelta {
    const [before, after] = [new Set(base.map(key)), new Set(head.map(key))];
    return { introduced: head.filter((f) => !before.has(key(f))), fixed: base.filter((f) => !after.has(key(f))) };
}
