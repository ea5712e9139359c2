import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const rdsPerformanceInsights: Rule = {
    name: "rds-performance-insights",
    description: "Checks that RDS instances have Performance Insights enabled and encrypted with a customer-managed KMS key.",
    controls: ["Checkov CKV_AWS_353", "Checkov CKV_AWS_354"],
    severity: "high",
    remediationSteps: "Set `performanceInsightsEnabled: true` and `performanceInsightsKmsKeyId` on the aws.rds.Instance.",
    validateResource: validateSetting([aws.rds.Instance], {
        property: "performanceInsightsEnabled",
        requirement: "RDS instances must have Performance Insights enabled with a KMS key (performanceInsightsKmsKeyId)",
        holds: (enabled, instance) => enabled === true && isSet(instance.performanceInsightsKmsKeyId),
    }),
};
