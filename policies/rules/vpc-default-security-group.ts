import { aws } from "../lib/resource-types";
import { linksTo, ofTypes } from "../lib/references";
import { at } from "../lib/report";
import { shown } from "../lib/values";
import type { Rule } from ".";

export const vpcDefaultSecurityGroup: Rule = {
    name: "vpc-default-security-group",
    description: "Checks that every VPC's default security group is managed by the stack and allows no traffic, so nothing can fall back on it.",
    controls: ["AWS FSBP EC2.2", "Checkov CKV2_AWS_12"],
    severity: "high",
    remediationSteps: "Add an aws.ec2.DefaultSecurityGroup for the VPC with no `ingress` and no `egress` (the provider then removes AWS's default rules).",
    stackTypes: [aws.ec2.Vpc, aws.ec2.DefaultSecurityGroup],
    // AWS creates the default group with the VPC; only a DefaultSecurityGroup resource empties it.
    validateStack: (args, reportViolation) => {
        const defaults = ofTypes(args.resources, [aws.ec2.DefaultSecurityGroup]);
        for (const vpc of ofTypes(args.resources, [aws.ec2.Vpc])) {
            const [group] = linksTo(vpc, defaults, "vpcId", "id");
            if (!group) {
                reportViolation(
                    at("id", `Default security groups must allow no traffic: no DefaultSecurityGroup of this stack empties VPC ${vpc.name}'s.`),
                    vpc.urn,
                );
                continue;
            }
            for (const direction of ["ingress", "egress"]) {
                const rules = group.props[direction];
                if (rules !== undefined && !(Array.isArray(rules) && rules.length === 0))
                    reportViolation(
                        at(direction, `Default security groups must allow no traffic: ${direction} of ${group.name} is ${shown(rules)}.`),
                        group.urn,
                    );
            }
        }
    },
};
