import * as aws from "@pulumi/aws";
import { at } from "../lib/report";
import { isSet, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

const EVERYWHERE = ["0.0.0.0/0", "::/0"];

export const routeTableDefaultRoute: Rule = {
    name: "route-table-default-route",
    description:
        "Checks that a route table's default route (0.0.0.0/0, ::/0) leads to a gateway (internet, NAT or egress-only), not to an instance acting as a NAT nor through a VPC peering.",
    controls: ["Checkov CKV2_AWS_35", "Checkov CKV2_AWS_44"],
    severity: "medium",
    remediationSteps: "Route 0.0.0.0/0 of private subnets to an aws.ec2.NatGateway (`natGatewayId`); route a peered VPC only by its CIDR.",
    validateResource: [
        ...validateTypes([aws.ec2.RouteTable], (table, _args, reportViolation) =>
            records(table.routes).forEach((route, i) => {
                if (!EVERYWHERE.includes(route.cidrBlock as string) && !EVERYWHERE.includes(route.ipv6CidrBlock as string)) return;
                const target = ["networkInterfaceId", "vpcPeeringConnectionId"].find((t) => isSet(route[t]));
                if (target)
                    reportViolation(
                        at(
                            `routes[${i}].${target}`,
                            `Default routes must lead to a gateway: the route to everywhere goes to ${target} ${shown(route[target])}.`,
                        ),
                    );
            }),
        ),
        ...validateTypes([aws.ec2.Route], (route, _args, reportViolation) => {
            if (!EVERYWHERE.includes(route.destinationCidrBlock as string) && !EVERYWHERE.includes(route.destinationIpv6CidrBlock as string)) return;
            const target = ["networkInterfaceId", "vpcPeeringConnectionId"].find((t) => isSet(route[t]));
            if (target)
                reportViolation(at(target, `Default routes must lead to a gateway: the route to everywhere goes to ${target} ${shown(route[target])}.`));
        }),
    ],
};
