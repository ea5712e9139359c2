import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const elasticacheMinorUpgrades: Rule = {
    name: "elasticache-minor-upgrades",
    description: "Checks that ElastiCache replication groups apply minor engine upgrades automatically.",
    controls: ["AWS FSBP ElastiCache.2"],
    severity: "medium",
    remediationSteps: "Leave `autoMinorVersionUpgrade` unset or set it to true on the aws.elasticache.ReplicationGroup.",
    validateResource: validateSetting([aws.elasticache.ReplicationGroup], {
        property: "autoMinorVersionUpgrade",
        requirement: "ElastiCache replication groups must apply minor upgrades automatically",
        // Unset, ElastiCache upgrades automatically.
        holds: (enabled) => enabled !== false,
    }),
};
