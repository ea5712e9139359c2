import { aws } from "../lib/resource-types";
import { ofTypes } from "../lib/references";
import { at } from "../lib/report";
import { isSet } from "../lib/values";
import type { Rule } from ".";

const USERS = [aws.ec2.NatGateway, aws.ec2.EipAssociation];

export const eipAttached: Rule = {
    name: "eip-attached",
    description: "Checks that every Elastic IP is attached (to an instance, a network interface or a NAT gateway), so no public address is held unused.",
    controls: ["Checkov CKV2_AWS_19"],
    severity: "low",
    remediationSteps: "Give the aws.ec2.Eip to an aws.ec2.NatGateway (`allocationId`) or an instance (`instance`, aws.ec2.EipAssociation), or release it.",
    stackTypes: [aws.ec2.Eip, ...USERS],
    validateStack: (args, reportViolation) => {
        const allocations = new Set(ofTypes(args.resources, USERS).map((r) => r.props.allocationId));
        for (const eip of ofTypes(args.resources, [aws.ec2.Eip])) {
            const direct = isSet(eip.props.instance) || isSet(eip.props.networkInterface);
            const ids = [eip.props.id, eip.props.allocationId];
            if (!direct && typeof eip.props.id === "string" && !ids.some((id) => allocations.has(id)))
                reportViolation(at("id", `Elastic IPs must be attached: nothing of the stack uses Elastic IP ${eip.name}.`), eip.urn);
        }
    },
};
