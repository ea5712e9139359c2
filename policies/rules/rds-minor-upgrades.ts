import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const rdsMinorUpgrades: Rule = {
    name: "rds-minor-upgrades",
    description: "Checks that RDS instances apply minor engine upgrades (security fixes) automatically in their maintenance window.",
    controls: ["AWS FSBP RDS.13", "Checkov CKV_AWS_226"],
    severity: "medium",
    remediationSteps: "Leave `autoMinorVersionUpgrade` unset or set it to true on the aws.rds.Instance.",
    validateResource: validateSetting([aws.rds.Instance], {
        property: "autoMinorVersionUpgrade",
        requirement: "RDS instances must apply minor upgrades automatically",
        // Unset, RDS upgrades automatically.
        holds: (enabled) => enabled !== false,
    }),
};
