import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** PostgreSQL and Redis. */
export const DATASTORE_PORTS = [5432, 6379];
const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];
// Docker publishes a port on every host interface unless `ip` names one.
const ALL_INTERFACES = ["", "0.0.0.0", "::"];

interface Ingress {
    readonly protocol?: string;
    readonly fromPort?: number;
    readonly toPort?: number;
    readonly cidrs: readonly (string | undefined)[];
}

/** The datastore ports an ingress rule opens to the whole internet. */
function exposedPorts(ingress: Ingress): number[] {
    if (!ingress.cidrs.some((c) => c !== undefined && OPEN_CIDRS.includes(c))) return [];
    const allPorts = ingress.protocol === "-1" || ingress.protocol === "all";
    return DATASTORE_PORTS.filter((p) => allPorts || ((ingress.fromPort ?? 0) <= p && p <= (ingress.toPort ?? ingress.fromPort ?? 0)));
}

function reportExposed(ingress: Ingress, reportViolation: (message: string) => void): void {
    const ports = exposedPorts(ingress);
    if (ports.length > 0)
        reportViolation(
            `Databases and caches must not be reachable from the internet: ingress from ${ingress.cidrs.filter(Boolean).join(", ")} opens port ${ports.join(", ")}.`,
        );
}

export const datastoreNotPublic: ResourceValidationPolicy = {
    name: "datastore-not-public",
    description:
        "Checks that databases and caches are not publicly reachable (no public RDS instance, no 0.0.0.0/0 or ::/0 ingress on 5432 or 6379, no docker port published on every host interface).",
    remediationSteps:
        "Set `publiclyAccessible: false` on RDS instances; allow 5432/6379 only from the application's security group; in docker keep datastore ports unpublished or bind them to 127.0.0.1.",
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (instance, _args, reportViolation) => {
            if (instance.publiclyAccessible !== false)
                reportViolation(
                    `RDS instances must not be publicly accessible: publiclyAccessible is ${JSON.stringify(instance.publiclyAccessible)}, not false.`,
                );
        }),
        validateResourceOfType(aws.ec2.SecurityGroup, (group, _args, reportViolation) => {
            for (const rule of group.ingress ?? []) {
                reportExposed({ ...rule, cidrs: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])] }, reportViolation);
            }
        }),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, _args, reportViolation) => {
            if (rule.type === "ingress") reportExposed({ ...rule, cidrs: [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])] }, reportViolation);
        }),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, reportViolation) => {
            reportExposed({ protocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort, cidrs: [rule.cidrIpv4, rule.cidrIpv6] }, reportViolation);
        }),
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            for (const port of container.ports ?? []) {
                if (DATASTORE_PORTS.includes(port.internal) && ALL_INTERFACES.includes(port.ip ?? "")) {
                    reportViolation(`Databases and caches must not be reachable from other hosts: port ${port.internal} is published on every host interface.`);
                }
            }
        }),
    ],
};
