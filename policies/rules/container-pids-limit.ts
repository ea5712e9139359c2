import * as docker from "@pulumi/docker";
import { at } from "../lib/report";
import { numberOf, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

// Docker only: an ECS container definition has no PIDs limit to set (Fargate bounds a task by its
// size), so there is nothing to check there.
export const containerPidsLimit: Rule = {
    name: "container-pids-limit",
    description: "Checks that every docker container has a PIDs limit, so a fork bomb cannot exhaust the host.",
    controls: ["CIS Docker 5.28"],
    remediationSteps: "Set `pidsLimit` on the docker Container to a positive number sized for its processes (e.g. 100 for a web service).",
    validateResource: validateTypes([docker.Container], (container, _args, reportViolation) => {
        if (!((numberOf(container.pidsLimit) ?? 0) > 0))
            reportViolation(at("pidsLimit", `Containers must have a PIDs limit: pidsLimit is ${shown(container.pidsLimit)}.`));
    }),
};
