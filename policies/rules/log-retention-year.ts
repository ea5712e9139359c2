import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { numberOf } from "../lib/values";
import type { Rule } from ".";

const YEAR = 365;

// Advisory in the AWS stacks (policies/config): the design keeps logs 90 days in prod and 30 in staging
// (log-retention enforces those); a year is the anchor's recommendation, kept visible.
export const logRetentionYear: Rule = {
    name: "log-retention-year",
    description: `Checks that CloudWatch log groups keep their logs at least a year (${YEAR} days) or forever.`,
    controls: ["Checkov CKV_AWS_338"],
    severity: "low",
    remediationSteps: `Set \`retentionInDays\` to ${YEAR} or more on the aws.cloudwatch.LogGroup.`,
    validateResource: validateSetting([aws.cloudwatch.LogGroup], {
        property: "retentionInDays",
        requirement: `Log groups must keep logs at least ${YEAR} days`,
        // Unset or 0 keeps logs forever.
        holds: (days) => days === undefined || numberOf(days) === 0 || (numberOf(days) ?? 0) >= YEAR,
    }),
};
