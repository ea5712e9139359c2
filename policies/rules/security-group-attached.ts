import { aws } from "../lib/resource-types";
import type { PolicyResource } from "@pulumi/policy";
import { ofTypes } from "../lib/references";
import { at } from "../lib/report";
import { isRecord } from "../lib/values";
import type { Rule } from ".";

const GROUP_TYPES = [aws.ec2.SecurityGroup];
// Rules of a group describe it; they do not put anything in it.
const RULE_TYPES = new Set<string>([aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule, aws.vpc.SecurityGroupEgressRule]);

/**
 * Adds to `found` the strings of `wanted` in a resource's inputs, a few levels down (security group ids
 * sit in lists and blocks). Only the groups' own keys are kept: a stack's every string is not.
 */
function namedIn(value: unknown, wanted: ReadonlySet<string>, found: Set<string>, depth = 3): void {
    if (typeof value === "string") {
        if (wanted.has(value)) found.add(value);
    } else if (depth > 0 && Array.isArray(value)) for (const v of value) namedIn(v, wanted, found, depth - 1);
    else if (depth > 0 && isRecord(value)) for (const v of Object.values(value)) namedIn(v, wanted, found, depth - 1);
}

export const securityGroupAttached: Rule = {
    name: "security-group-attached",
    description:
        "Checks that every security group is used by a resource of the stack (a service, database, cache, load balancer or endpoint), so no unused group lingers with rules nobody reviews.",
    controls: ["AWS FSBP EC2.22", "Checkov CKV2_AWS_5"],
    severity: "low",
    remediationSteps: "Attach the aws.ec2.SecurityGroup to the resource it is for (`securityGroups`, `vpcSecurityGroupIds`, `securityGroupIds`) or delete it.",
    stackTypes: GROUP_TYPES,
    validateStack: (args, reportViolation) => {
        const groups = ofTypes(args.resources, GROUP_TYPES);
        if (groups.length === 0) return;
        const keysOf = new Map(
            groups.map((group) => [group, [group.props.id, group.props.arn, group.props.name].filter((k): k is string => typeof k === "string" && k !== "")]),
        );
        const wanted = new Set([...keysOf.values()].flat());
        const used = new Set<string>();
        for (const r of args.resources as readonly PolicyResource[]) if (!RULE_TYPES.has(r.type) && r.type !== GROUP_TYPES[0]) namedIn(r.props, wanted, used);
        for (const group of groups) {
            const keys = keysOf.get(group)!;
            // A group not created yet (a preview) has no id to be named by.
            if (keys.length > 0 && typeof group.props.id === "string" && !keys.some((k) => used.has(k)))
                reportViolation(at("id", `Security groups must be in use: no resource of the stack names security group ${group.name}.`), group.urn);
        }
    },
};
