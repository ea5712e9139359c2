import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// Staging (whose review copies are destroyed with their pull request) makes it advisory in
// policies/config/staging.json.
export const lbDeletionProtection: Rule = {
    name: "lb-deletion-protection",
    description: "Checks that load balancers have deletion protection enabled, so a mistaken change cannot delete the entry point.",
    controls: ["AWS FSBP ELB.6", "Checkov CKV_AWS_150"],
    severity: "medium",
    remediationSteps: "Set `enableDeletionProtection: true` on the aws.lb.LoadBalancer.",
    validateResource: validateSetting([aws.lb.LoadBalancer, aws.alb.LoadBalancer], {
        property: "enableDeletionProtection",
        requirement: "Load balancers must have deletion protection",
        holds: (enabled) => enabled === true,
    }),
};
