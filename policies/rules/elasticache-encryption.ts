import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const elasticacheEncryption: Rule = {
    name: "elasticache-encryption",
    description: "Checks that ElastiCache replication groups encrypt data at rest and in transit.",
    controls: ["AWS FSBP ElastiCache.4", "AWS FSBP ElastiCache.5", "Checkov CKV_AWS_29", "Checkov CKV_AWS_30"],
    severity: "medium",
    remediationSteps: "Set `atRestEncryptionEnabled: true` and `transitEncryptionEnabled: true` on the aws.elasticache.ReplicationGroup.",
    validateResource: validateTypes([aws.elasticache.ReplicationGroup], (group, _args, reportViolation) => {
        if (group.atRestEncryptionEnabled !== true)
            reportViolation(
                at(
                    "atRestEncryptionEnabled",
                    `ElastiCache must encrypt data at rest: atRestEncryptionEnabled is ${shown(group.atRestEncryptionEnabled)}, not true.`,
                ),
            );
        if (group.transitEncryptionEnabled !== true)
            reportViolation(
                at(
                    "transitEncryptionEnabled",
                    `ElastiCache must encrypt data in transit: transitEncryptionEnabled is ${shown(group.transitEncryptionEnabled)}, not true.`,
                ),
            );
    }),
};
