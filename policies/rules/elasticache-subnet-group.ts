import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const elasticacheSubnetGroup: Rule = {
    name: "elasticache-subnet-group",
    description: "Checks that ElastiCache replication groups run in a subnet group of the stack, not the default subnet group of the default VPC.",
    controls: ["AWS FSBP ElastiCache.7"],
    severity: "medium",
    remediationSteps: "Set `subnetGroupName` on the aws.elasticache.ReplicationGroup to an aws.elasticache.SubnetGroup of the stack's private subnets.",
    validateResource: validateSetting([aws.elasticache.ReplicationGroup], {
        property: "subnetGroupName",
        requirement: "ElastiCache replication groups must use a subnet group of the stack",
        holds: (group) => isSet(group) && group !== "default",
    }),
};
