import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, records, validateTypes } from "../lib/values";
import type { Rule } from ".";

const described = (props: { description?: unknown }) => isSet(props.description);

export const securityGroupDescriptions: Rule = {
    name: "security-group-descriptions",
    description:
        "Checks that every security group and every rule of one says what it is for (a description), so a reviewer can tell a needed opening from a stale one.",
    controls: ["Checkov CKV_AWS_23"],
    severity: "low",
    remediationSteps: "Set `description` on the aws.ec2.SecurityGroup, each of its inline rules, and each aws.vpc.SecurityGroupIngressRule/EgressRule.",
    validateResource: [
        ...validateTypes([aws.ec2.SecurityGroup], (group, _args, reportViolation) => {
            if (!described(group) || group.description === "Managed by Pulumi")
                reportViolation(at("description", "Security groups must be described: the group has no description of its own."));
            for (const direction of ["ingress", "egress"])
                records(group[direction]).forEach((rule, i) => {
                    if (!described(rule)) reportViolation(at(`${direction}[${i}].description`, "Security group rules must be described: this rule has none."));
                });
        }),
        ...validateTypes([aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule, aws.vpc.SecurityGroupEgressRule], (rule, _args, reportViolation) => {
            if (!described(rule)) reportViolation(at("description", "Security group rules must be described: this rule has none."));
        }),
    ],
};
