import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const logGroupEncrypted: ResourceValidationPolicy = {
    name: "log-group-encrypted",
    description: "Checks that CloudWatch log groups are encrypted with a KMS key.",
    remediationSteps: "Set `kmsKeyId` on the aws.cloudwatch.LogGroup to a KMS key whose policy allows the CloudWatch Logs service principal.",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, reportViolation) => {
        if (!group.kmsKeyId) reportViolation("CloudWatch log groups must be encrypted with a KMS key: kmsKeyId is not set.");
    }),
};
