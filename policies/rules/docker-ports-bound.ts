import { docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

// Docker publishes a port on every host interface unless `ip` names one.
const ALL_INTERFACES = [undefined, "", "0.0.0.0", "::"];

export const dockerPortsBound: Rule = {
    name: "docker-ports-bound",
    description: "Checks that every port a docker container publishes is bound to one host interface (e.g. 127.0.0.1), not to all of them.",
    controls: ["CIS Docker 5.14"],
    severity: "high",
    remediationSteps: 'Set `ip: "127.0.0.1"` (or the one interface meant to serve) on each of the docker.Container\'s `ports`.',
    validateResource: validateTypes([docker.Container], (container, _args, reportViolation) => {
        records(container.ports).forEach((port, i) => {
            if (ALL_INTERFACES.includes(port.ip as string | undefined))
                reportViolation(
                    at(
                        `ports[${i}].ip`,
                        `Published ports must be bound to one host interface: port ${shown(port.external ?? port.internal)} has ip ${shown(port.ip)}.`,
                    ),
                );
        });
    }),
};
