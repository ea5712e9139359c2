import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const kmsKeyEnabled: Rule = {
    name: "kms-key-enabled",
    description: "Checks that KMS keys are enabled, so the data they encrypt stays readable.",
    controls: ["Checkov CKV_AWS_227"],
    severity: "medium",
    remediationSteps: "Leave `isEnabled` unset or set it to true on the aws.kms.Key.",
    validateResource: validateSetting([aws.kms.Key], {
        property: "isEnabled",
        requirement: "KMS keys must be enabled",
        holds: (enabled) => enabled !== false,
    }),
};
