import { docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { numberOf, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

/**
 * The process limit of a docker Container. @pulumi/docker's Container has no `pidsLimit` argument (see
 * node_modules/@pulumi/docker/container.d.ts), so the bound it offers is the `nproc` ulimit; both its
 * soft and hard values must be positive. CIS Docker 5.29 reads HostConfig.PidsLimit, which this cannot
 * set, so the rule claims 5.19 (docker-bench-security reads HostConfig.Ulimits for it) and not 5.29.
 */
function processLimit(ulimits: unknown): number | undefined {
    const nproc = records(ulimits).find((u) => u.name === "nproc");
    const soft = numberOf(nproc?.soft);
    const hard = numberOf(nproc?.hard);
    return soft !== undefined && hard !== undefined && soft > 0 && hard > 0 ? Math.max(soft, hard) : undefined;
}

// Docker only: an ECS container definition on Fargate has no PIDs limit to set (Fargate bounds a task
// by its size), so there is nothing to check there.
export const containerPidsLimit: Rule = {
    name: "container-pids-limit",
    description: "Checks that every docker container overrides the default ulimit with a process limit (nproc), so a fork bomb cannot exhaust the host.",
    controls: ["CIS Docker 5.19"],
    severity: "low",
    remediationSteps:
        'Give the docker Container `ulimits: [{ name: "nproc", soft: 256, hard: 256 }]` (sized for its processes; @pulumi/docker has no pidsLimit argument).',
    validateResource: validateTypes([docker.Container], (container, _args, reportViolation) => {
        if (processLimit(container.ulimits) === undefined)
            reportViolation(
                at("ulimits", `Containers must have a process limit: ulimits is ${shown(container.ulimits)}, with no positive nproc soft and hard limit.`),
            );
    }),
};
