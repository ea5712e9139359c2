import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const elasticacheAuth: Rule = {
    name: "elasticache-auth",
    description: "Checks that ElastiCache replication groups require authentication: a Redis AUTH token or RBAC user groups.",
    controls: ["AWS FSBP ElastiCache.6", "Checkov CKV_AWS_31"],
    severity: "medium",
    remediationSteps: "Set `authToken` from a Pulumi secret (with `transitEncryptionEnabled: true`), or `userGroupIds` naming an aws.elasticache.UserGroup.",
    validateResource: validateTypes([aws.elasticache.ReplicationGroup], (group, _args, reportViolation) => {
        // A token held as a secret is the expected form: its presence is what this rule needs, not its value.
        const hasToken = isSet(group.authToken);
        if (!hasToken && strings(group.userGroupIds).length === 0)
            reportViolation(at("authToken", "ElastiCache must require authentication: neither authToken nor userGroupIds is set."));
    }),
};
