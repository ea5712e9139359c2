import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { ecsContainerLabel, ecsContainers } from "../lib/containers";

function positive(value: unknown): boolean {
    const number = typeof value === "string" ? Number(value.trim() || NaN) : value;
    return typeof number === "number" && Number.isFinite(number) && number > 0;
}

export const containerResourceLimits: ResourceValidationPolicy = {
    name: "container-resource-limits",
    description: "Checks that every container (and every ECS task) has a memory and a CPU limit.",
    remediationSteps:
        "Set docker Container `memory` (MB) and `cpus`; on ECS set the task's `cpu` and `memory` and each container definition's `cpu` and `memory`.",
    validateResource: [
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            if (!positive(container.memory)) reportViolation(`Containers must have a memory limit: memory is ${JSON.stringify(container.memory)}.`);
            if (!positive(container.cpus)) reportViolation(`Containers must have a CPU limit: cpus is ${JSON.stringify(container.cpus)}.`);
        }),
        validateResourceOfType(aws.ecs.TaskDefinition, (task, _args, reportViolation) => {
            if (!positive(task.memory)) reportViolation(`ECS tasks must have a memory limit: memory is ${JSON.stringify(task.memory)}.`);
            if (!positive(task.cpu)) reportViolation(`ECS tasks must have a CPU limit: cpu is ${JSON.stringify(task.cpu)}.`);
            ecsContainers(task.containerDefinitions, reportViolation).forEach((container, i) => {
                const label = ecsContainerLabel(container, i);
                if (!positive(container.memory))
                    reportViolation(`Containers must have a memory limit: ${label} has memory ${JSON.stringify(container.memory)}.`);
                if (!positive(container.cpu)) reportViolation(`Containers must have a CPU limit: ${label} has cpu ${JSON.stringify(container.cpu)}.`);
            });
        }),
    ],
};
