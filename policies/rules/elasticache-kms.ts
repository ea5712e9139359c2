import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const elasticacheKms: Rule = {
    name: "elasticache-kms",
    description: "Checks that ElastiCache replication groups encrypt data at rest with a customer-managed KMS key rather than the service's default key.",
    controls: ["Checkov CKV_AWS_191"],
    severity: "high",
    remediationSteps: "Set `kmsKeyId` on the aws.elasticache.ReplicationGroup (with `atRestEncryptionEnabled: true`).",
    validateResource: validateSetting([aws.elasticache.ReplicationGroup], {
        property: "kmsKeyId",
        requirement: "ElastiCache replication groups must be encrypted with a customer-managed KMS key",
        holds: isSet,
    }),
};
