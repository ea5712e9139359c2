import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// Unset, an application load balancer uses "defensive".
const SAFE = [undefined, "defensive", "strictest"];

export const lbDesyncMitigation: Rule = {
    name: "lb-desync-mitigation",
    description: "Checks that application load balancers mitigate HTTP desync (request smuggling) in defensive or strictest mode, not monitor.",
    controls: ["AWS FSBP ELB.12", "Checkov CKV_AWS_328"],
    severity: "high",
    remediationSteps: 'Leave `desyncMitigationMode` unset or set it to "defensive" or "strictest" on the aws.lb.LoadBalancer.',
    validateResource: validateSetting([aws.lb.LoadBalancer, aws.alb.LoadBalancer], {
        property: "desyncMitigationMode",
        requirement: 'Application load balancers must mitigate desync in "defensive" or "strictest" mode',
        applies: (balancer) => (balancer.loadBalancerType ?? "application") === "application",
        holds: (mode) => SAFE.includes(mode as string | undefined),
    }),
};
