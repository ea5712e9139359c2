import { aws, docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { openPorts, validateIngress } from "../lib/security-groups";
import { numberOf, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** PostgreSQL and Redis. */
const DATASTORE_PORTS = [5432, 6379];
// Docker publishes a port on every host interface unless `ip` names one.
const ALL_INTERFACES = [undefined, "", "0.0.0.0", "::"];

export const datastoreNotPublic: Rule = {
    name: "datastore-not-public",
    description:
        "Checks that databases and caches are not publicly reachable (no public RDS instance, no 0.0.0.0/0 or ::/0 ingress on 5432 or 6379, no docker port published on every host interface).",
    // CIS Docker 5.14 covers every port published on all interfaces, not only the datastores': not claimed.
    controls: ["AWS FSBP RDS.2", "AWS FSBP EC2.19", "Checkov CKV_AWS_17"],
    controlScopes: { "Checkov CKV_AWS_17": [aws.rds.Instance] },
    severity: "critical",
    remediationSteps:
        "Set `publiclyAccessible: false` on RDS instances; allow 5432/6379 only from the application's security group; in docker keep datastore ports unpublished or bind them to 127.0.0.1.",
    validateResource: [
        ...validateTypes([aws.rds.Instance], (instance, _args, reportViolation) => {
            if (instance.publiclyAccessible !== false)
                reportViolation(
                    at(
                        "publiclyAccessible",
                        `RDS instances must not be publicly accessible: publiclyAccessible is ${shown(instance.publiclyAccessible)}, not false.`,
                    ),
                );
        }),
        ...validateIngress((permission, reportViolation) => {
            const ports = openPorts(permission, DATASTORE_PORTS);
            if (ports.length > 0)
                reportViolation(
                    at(
                        permission.property,
                        `Databases and caches must not be reachable from the internet: ingress from ${permission.openCidrs.join(", ")} opens port ${ports.join(", ")}.`,
                    ),
                );
        }),
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            records(container.ports).forEach((port, i) => {
                const internal = numberOf(port.internal);
                if (internal !== undefined && DATASTORE_PORTS.includes(internal) && ALL_INTERFACES.includes(port.ip as string | undefined)) {
                    reportViolation(
                        at(
                            `ports[${i}]`,
                            `Databases and caches must not be reachable from other hosts: port ${internal} is published on every host interface.`,
                        ),
                    );
                }
            });
        }),
    ],
};
