import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const kmsKeyPolicyDefined: Rule = {
    name: "kms-key-policy-defined",
    description:
        "Checks that every KMS key declares its key policy, so who may use and administer the key is reviewed with the stack instead of left to the default.",
    controls: ["Checkov CKV2_AWS_64"],
    severity: "low",
    remediationSteps: "Set `policy` on the aws.kms.Key (the account root as administrator, and the services that use the key).",
    validateResource: validateSetting([aws.kms.Key], {
        property: "policy",
        requirement: "KMS keys must declare their key policy",
        holds: isSet,
    }),
};
