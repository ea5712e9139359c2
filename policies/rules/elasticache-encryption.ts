import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const elasticacheEncryption: ResourceValidationPolicy = {
    name: "elasticache-encryption",
    description: "Checks that ElastiCache replication groups encrypt data at rest and in transit.",
    remediationSteps: "Set `atRestEncryptionEnabled: true` and `transitEncryptionEnabled: true` on the aws.elasticache.ReplicationGroup.",
    validateResource: validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
        if (group.atRestEncryptionEnabled !== true) reportViolation("ElastiCache must encrypt data at rest: atRestEncryptionEnabled is not true.");
        if (group.transitEncryptionEnabled !== true) reportViolation("ElastiCache must encrypt data in transit: transitEncryptionEnabled is not true.");
    }),
};
