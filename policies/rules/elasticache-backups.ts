import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { numberOf } from "../lib/values";
import type { Rule } from ".";

export const elasticacheBackups: Rule = {
    name: "elasticache-backups",
    description: "Checks that ElastiCache replication groups take automatic daily snapshots (a snapshot retention of at least one day).",
    controls: ["AWS FSBP ElastiCache.1"],
    severity: "medium",
    remediationSteps: "Set `snapshotRetentionLimit` (days, 1 or more) and a `snapshotWindow` on the aws.elasticache.ReplicationGroup.",
    validateResource: validateSetting([aws.elasticache.ReplicationGroup], {
        property: "snapshotRetentionLimit",
        requirement: "ElastiCache replication groups must keep automatic backups",
        // Unset, ElastiCache keeps none.
        holds: (days) => (numberOf(days) ?? 0) >= 1,
    }),
};
