// AWS refuses a create whose name is too long or of characters the service does not take, and the
// provider's schema validation (hashicorp/terraform-provider-aws, each resource's ValidateFunc) stops the
// preview there: every name, identifier and prefix the plan sets must fit components/aws/names.ts,
// and every AWS resource naming itself (name, namePrefix, identifier) must have its limit in that table.
import { limitsOf, nameProblem } from "../../../components/aws/names";
import type { PlanResource } from "../../../lib/plan-engine";
import type { SemanticsRule } from "../rule";
import { byName } from "../plan-reading";

/** Inputs that name the resource itself on every AWS type that has them. */
const SELF_NAMING_INPUTS = ["name", "namePrefix", "identifier"] as const;

const valueAt = (resource: PlanResource, dotted: string): unknown =>
    dotted.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], resource.inputs);

export const awsNamesFit: SemanticsRule = {
    name: "aws-names-fit",
    description: "Every AWS name, identifier and prefix the plan sets fits its service's length and characters, on any stack name",
    source: "hashicorp/terraform-provider-aws: each resource's schema ValidateFunc (e.g. internal/service/elbv2/validate.go validName, 32 characters)",
    targets: ["aws"],
    check(plan) {
        const findings: string[] = [];
        for (const resource of plan.resources.filter((r) => r.type.startsWith("aws:"))) {
            const limits = limitsOf(resource.type);
            for (const [input, limit] of Object.entries(limits)) {
                const value = valueAt(resource, input);
                if (typeof value !== "string") continue;
                const problem = nameProblem(value, limit);
                if (problem)
                    findings.push(`${resource.name} (${resource.type}) ${input} ${JSON.stringify(value)}: expected ${problem.expected} (${limit.source})`);
            }
            for (const input of SELF_NAMING_INPUTS) {
                if (typeof resource.inputs[input] === "string" && !(input in limits))
                    findings.push(`${resource.name} (${resource.type}) sets ${input} but components/aws/names.ts has no limit for it`);
            }
        }
        return findings;
    },
    mutate(plan) {
        byName(plan, "aws:lb/loadBalancer:LoadBalancer", "proxy-alb").inputs.name = "osint-platform-pr-12345-some-long-branch";
    },
};
