import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const rdsInVpc: Rule = {
    name: "rds-in-vpc",
    description: "Checks that RDS instances are placed in the stack's VPC subnets through a DB subnet group, not the account's default network.",
    controls: ["AWS FSBP RDS.18"],
    severity: "medium",
    remediationSteps: "Set `dbSubnetGroupName` on the aws.rds.Instance to an aws.rds.SubnetGroup of the stack's private subnets.",
    validateResource: validateSetting([aws.rds.Instance], {
        property: "dbSubnetGroupName",
        requirement: "RDS instances must name a DB subnet group of the stack",
        // A read replica inherits its source's placement.
        applies: (instance) => !isSet(instance.replicateSourceDb),
        holds: (group) => isSet(group) && group !== "default",
    }),
};
