import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

// A production control: stacks whose design runs one cache node (staging) disable it in their config.
export const elasticacheAutomaticFailover: Rule = {
    name: "elasticache-automatic-failover",
    description: "Checks that production ElastiCache replication groups fail over automatically to a replica in another zone.",
    controls: ["AWS FSBP ElastiCache.3", "Checkov CKV2_AWS_50"],
    severity: "medium",
    remediationSteps:
        "Set `automaticFailoverEnabled: true` and `multiAzEnabled: true` with at least two `numCacheClusters` on the aws.elasticache.ReplicationGroup.",
    validateResource: validateTypes([aws.elasticache.ReplicationGroup], (group, _args, reportViolation) => {
        if (group.automaticFailoverEnabled !== true)
            reportViolation(
                at(
                    "automaticFailoverEnabled",
                    `Production ElastiCache must fail over automatically: automaticFailoverEnabled is ${shown(group.automaticFailoverEnabled)}, not true.`,
                ),
            );
    }),
};
