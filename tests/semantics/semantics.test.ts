// Runs every provider-semantics rule over the shipped stacks' plans (no finding allowed), and over a
// mutated copy of each (the rule must catch it), so no rule can pass by checking nothing.
import { strict as assert } from "node:assert";
import { readStackConfig } from "../../lib/stack-config";
import type { Plan } from "../../lib/plan-engine";
import { projectDir, stackPlan } from "../helpers/plan";
import type { Target } from "./rule";
import { semanticsRules } from "./rules";

const STACKS = ["dev", "staging", "prod"] as const;

function targetOf(stack: string): Target {
    const { project, config } = readStackConfig(projectDir, stack);
    return config[`${project}:target`] as Target;
}

describe("provider semantics over the plans", () => {
    for (const stack of STACKS) {
        const target = targetOf(stack);
        for (const rule of semanticsRules.filter((r) => r.targets.includes(target))) {
            describe(`${rule.name} (${stack})`, () => {
                let plan: Plan;
                before(async () => {
                    plan = await stackPlan(stack);
                });

                it("holds on the shipped stack", () => {
                    assert.deepEqual(rule.check(plan), []);
                });

                it("catches the mutation it guards against", () => {
                    const broken = structuredClone(plan);
                    rule.mutate(broken);
                    assert.ok(rule.check(broken).length > 0, `${rule.name} found nothing in a mutated ${stack} plan`);
                });
            });
        }
    }
});
