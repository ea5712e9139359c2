import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const rdsStorageEncrypted: ResourceValidationPolicy = {
    name: "rds-storage-encrypted",
    description: "Checks that RDS instances encrypt their storage with a KMS key.",
    remediationSteps: "Set `storageEncrypted: true` and `kmsKeyId` to the ARN of a customer-managed KMS key on the aws.rds.Instance.",
    validateResource: validateResourceOfType(aws.rds.Instance, (instance, _args, reportViolation) => {
        if (instance.storageEncrypted !== true) reportViolation("RDS instances must encrypt storage: storageEncrypted is not true.");
        if (!instance.kmsKeyId) reportViolation("RDS instances must encrypt storage with a KMS key: kmsKeyId is not set.");
    }),
};
