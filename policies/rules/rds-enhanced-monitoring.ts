import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet, numberOf } from "../lib/values";
import type { Rule } from ".";

export const rdsEnhancedMonitoring: Rule = {
    name: "rds-enhanced-monitoring",
    description: "Checks that RDS instances collect enhanced monitoring (OS metrics) with a monitoring role.",
    controls: ["AWS FSBP RDS.6", "Checkov CKV_AWS_118"],
    severity: "medium",
    remediationSteps: "Set `monitoringInterval` (1, 5, 10, 15, 30 or 60 seconds) and a `monitoringRoleArn` on the aws.rds.Instance.",
    validateResource: validateSetting([aws.rds.Instance], {
        property: "monitoringInterval",
        requirement: "RDS instances must have enhanced monitoring (an interval above 0 and a monitoring role)",
        holds: (interval, instance) => (numberOf(interval) ?? 0) > 0 && isSet(instance.monitoringRoleArn),
    }),
};
