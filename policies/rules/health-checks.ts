import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { ecsContainerLabel, ecsContainers } from "../lib/containers";

/** A health check command that runs something (docker's ["NONE"] disables the image's check). */
function runsACheck(command: readonly string[] | undefined): boolean {
    return (command ?? []).length > 1 && command?.[0] !== "NONE";
}

export const healthChecks: ResourceValidationPolicy = {
    name: "health-checks",
    description: "Checks that every service has a health check: docker containers, ECS containers and load balancer target groups.",
    remediationSteps: "Give docker Containers a `healthcheck` with `tests` (e.g. [\"CMD\", \"curl\", \"-f\", \"http://127.0.0.1:8000/healthz\"]), ECS container definitions a `healthCheck.command`, and target groups an enabled `healthCheck` with a `path`.",
    validateResource: [
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            if (!runsACheck(container.healthcheck?.tests)) reportViolation(`Services must have a health check: healthcheck.tests is ${JSON.stringify(container.healthcheck?.tests)}.`);
        }),
        validateResourceOfType(aws.ecs.TaskDefinition, (task, _args, reportViolation) => {
            ecsContainers(task.containerDefinitions, reportViolation).forEach((container, i) => {
                if (!runsACheck(container.healthCheck?.command)) reportViolation(`Services must have a health check: ${ecsContainerLabel(container, i)} has healthCheck.command ${JSON.stringify(container.healthCheck?.command)}.`);
            });
        }),
        validateResourceOfType(aws.lb.TargetGroup, (group, _args, reportViolation) => {
            const check = group.healthCheck;
            if (!check || check.enabled === false || !check.path) reportViolation(`Target groups must health-check their targets: healthCheck is ${JSON.stringify(check)}.`);
        }),
    ],
};
