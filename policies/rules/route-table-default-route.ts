import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, type Props, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

const EVERYWHERE = ["0.0.0.0/0", "::/0"];
const NOT_GATEWAYS = ["networkInterfaceId", "vpcPeeringConnectionId"];

/** The target that is not a gateway of a route whose destination (under the given keys) is everywhere, if any. */
function nonGatewayTarget(route: Props, destinations: readonly string[]): string | undefined {
    if (!destinations.some((key) => EVERYWHERE.includes(route[key] as string))) return undefined;
    return NOT_GATEWAYS.find((t) => isSet(route[t]));
}

const finding = (route: Props, target: string) => `Default routes must lead to a gateway: the route to everywhere goes to ${target} ${shown(route[target])}.`;

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
                const target = nonGatewayTarget(route, ["cidrBlock", "ipv6CidrBlock"]);
                if (target) reportViolation(at(`routes[${i}].${target}`, finding(route, target)));
            }),
        ),
        ...validateTypes([aws.ec2.Route], (route, _args, reportViolation) => {
            const target = nonGatewayTarget(route, ["destinationCidrBlock", "destinationIpv6CidrBlock"]);
            if (target) reportViolation(at(target, finding(route, target)));
        }),
    ],
};
