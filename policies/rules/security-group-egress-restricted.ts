import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { records, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

const OPEN = ["0.0.0.0/0", "::/0"];
const everyProtocol = (protocol: unknown) => protocol === "-1" || protocol === "all" || protocol === -1;

export const securityGroupEgressRestricted: Rule = {
    name: "security-group-egress-restricted",
    description: "Checks that no security group lets its members send every protocol to the whole internet (egress -1 to 0.0.0.0/0 or ::/0).",
    controls: ["Checkov CKV_AWS_382"],
    severity: "medium",
    remediationSteps: "Allow egress only on the ports and to the destinations the members call (a security group, a prefix list, 443 to the internet).",
    validateResource: [
        ...validateTypes([aws.ec2.SecurityGroup], (group, _args, reportViolation) =>
            records(group.egress).forEach((rule, i) => {
                if (everyProtocol(rule.protocol) && [...strings(rule.cidrBlocks), ...strings(rule.ipv6CidrBlocks)].some((c) => OPEN.includes(c)))
                    reportViolation(
                        at(`egress[${i}]`, "Security groups must not allow all egress to the internet: this rule allows every protocol to 0.0.0.0/0 or ::/0."),
                    );
            }),
        ),
        ...validateTypes([aws.vpc.SecurityGroupEgressRule], (rule, _args, reportViolation) => {
            if (everyProtocol(rule.ipProtocol) && [...strings(rule.cidrIpv4), ...strings(rule.cidrIpv6)].some((c) => OPEN.includes(c)))
                reportViolation(
                    at("ipProtocol", "Security groups must not allow all egress to the internet: this rule allows every protocol to 0.0.0.0/0 or ::/0."),
                );
        }),
    ],
};
