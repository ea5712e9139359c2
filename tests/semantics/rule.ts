// Provider semantics the mocks do not model, written as rules over the offline plan: what the real
// engine, Docker provider or AWS API would do with a plan (ordering, re-runs, quotas, file access).
// Each rule names the provider source or AWS document it encodes, runs over the shipped stacks'
// plans in npm test, and is shown catching a mutated copy of a plan (tests/semantics/semantics.test.ts).
import type { Plan } from "../../lib/plan-engine";

export type Target = "docker" | "aws";

export interface SemanticsRule {
    /** kebab-case, as the rule's file name. */
    readonly name: string;
    /** What would go wrong for real when the rule is broken, in one sentence. */
    readonly description: string;
    /** The provider source file, AWS document or issue the rule encodes. */
    readonly source: string;
    /** The stacks it applies to, by osint-platform:target. */
    readonly targets: readonly Target[];
    /** Each broken expectation, as a message naming the resource (its name or URN) and the property. */
    check(plan: Plan): string[];
    /**
     * A copy of `plan` broken the way the rule guards against (the test deep-copies the plan first);
     * check() must report at least one finding for it.
     */
    mutate(plan: Plan): void;
}
