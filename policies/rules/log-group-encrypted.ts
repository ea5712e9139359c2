import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const logGroupEncrypted: Rule = {
    name: "log-group-encrypted",
    description: "Checks that CloudWatch log groups are encrypted with a KMS key.",
    // FSBP has no control for this; AWS Control Tower's proactive control and Checkov's check are the same check.
    controls: ["AWS Control Tower CT.CLOUDWATCH.PR.3", "Checkov CKV_AWS_158"],
    severity: "medium",
    remediationSteps: "Set `kmsKeyId` on the aws.cloudwatch.LogGroup to a KMS key whose policy allows the CloudWatch Logs service principal.",
    validateResource: validateTypes([aws.cloudwatch.LogGroup], (group, _args, reportViolation) => {
        // A secret key id is still a key: only its absence is a finding.
        if (!isSet(group.kmsKeyId)) reportViolation(at("kmsKeyId", "CloudWatch log groups must be encrypted with a KMS key: kmsKeyId is not set."));
    }),
};
