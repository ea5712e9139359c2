import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const snsEncrypted: Rule = {
    name: "sns-encrypted",
    description: "Checks that SNS topics encrypt their messages at rest with a KMS key.",
    controls: ["AWS FSBP SNS.1", "Checkov CKV_AWS_26"],
    severity: "high",
    remediationSteps: "Set `kmsMasterKeyId` on the aws.sns.Topic (a customer-managed key whose policy lets the publishing services use it).",
    validateResource: validateSetting([aws.sns.Topic], {
        property: "kmsMasterKeyId",
        requirement: "SNS topics must be encrypted with a KMS key",
        holds: isSet,
    }),
};
