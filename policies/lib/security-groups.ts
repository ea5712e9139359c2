// Ingress to a security group, read alike from its three shapes in @pulumi/aws: a SecurityGroup's
// inline `ingress`, an ec2.SecurityGroupRule of type "ingress", and a vpc.SecurityGroupIngressRule.
import { aws } from "./resource-types";
import type { ResourceValidation, ReportViolation } from "@pulumi/policy";
import { numberOf, type Props, records, strings, validateTypes } from "./values";

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

/** One ingress permission and the property path that holds it. */
export interface Ingress {
    readonly property: string;
    readonly allProtocols: boolean;
    readonly fromPort: number;
    readonly toPort: number;
    /** The CIDRs of the internet at large it admits (0.0.0.0/0, ::/0). */
    readonly openCidrs: readonly string[];
}

function ingress(property: string, protocol: unknown, fromPort: unknown, toPort: unknown, cidrs: string[]): Ingress {
    const from = numberOf(fromPort) ?? 0;
    return {
        property,
        // "-1" (or "all") opens every protocol and port, whatever the port fields say.
        allProtocols: protocol === "-1" || protocol === "all" || protocol === -1,
        fromPort: from,
        toPort: numberOf(toPort) ?? from,
        openCidrs: cidrs.filter((c) => OPEN_CIDRS.includes(c)),
    };
}

/** The ports of `ports` that an ingress opens to the internet. */
export function openPorts(permission: Ingress, ports: readonly number[]): number[] {
    if (permission.openCidrs.length === 0) return [];
    return ports.filter((p) => permission.allProtocols || (permission.fromPort <= p && p <= permission.toPort));
}

/** A validation per ingress shape, calling `check` on each permission. */
export function validateIngress(check: (permission: Ingress, reportViolation: ReportViolation) => void): ResourceValidation[] {
    const cidrsOf = (rule: Props) => [...strings(rule.cidrBlocks), ...strings(rule.ipv6CidrBlocks)];
    return [
        ...validateTypes([aws.ec2.SecurityGroup], (group, _args, report) =>
            records(group.ingress).forEach((rule, i) => check(ingress(`ingress[${i}]`, rule.protocol, rule.fromPort, rule.toPort, cidrsOf(rule)), report)),
        ),
        ...validateTypes([aws.ec2.SecurityGroupRule], (rule, _args, report) => {
            if (rule.type === "ingress") check(ingress("cidrBlocks", rule.protocol, rule.fromPort, rule.toPort, cidrsOf(rule)), report);
        }),
        ...validateTypes([aws.vpc.SecurityGroupIngressRule], (rule, _args, report) =>
            check(
                ingress(rule.cidrIpv6 !== undefined ? "cidrIpv6" : "cidrIpv4", rule.ipProtocol, rule.fromPort, rule.toPort, [
                    ...strings(rule.cidrIpv4),
                    ...strings(rule.cidrIpv6),
                ]),
                report,
            ),
        ),
    ];
}
