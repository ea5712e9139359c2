import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { numberOf, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

function positive(value: unknown): boolean {
    return (numberOf(value) ?? 0) > 0;
}

export const containerResourceLimits: Rule = {
    name: "container-resource-limits",
    description: "Checks that every container (and every ECS task) has a memory and a CPU limit.",
    controls: ["CIS Docker 5.11", "CIS Docker 5.12", "AWS Control Tower CT.ECS.PR.7"],
    severity: "medium",
    remediationSteps:
        "Set docker Container `memory` (MB) and `cpus`; on ECS set the task's `cpu` and `memory` and each container definition's `cpu` and `memory`.",
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            if (!positive(container.memory)) reportViolation(at("memory", `Containers must have a memory limit: memory is ${shown(container.memory)}.`));
            if (!positive(container.cpus)) reportViolation(at("cpus", `Containers must have a CPU limit: cpus is ${shown(container.cpus)}.`));
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            if (!positive(task.memory)) reportViolation(at("memory", `ECS tasks must have a memory limit: memory is ${shown(task.memory)}.`));
            if (!positive(task.cpu)) reportViolation(at("cpu", `ECS tasks must have a CPU limit: cpu is ${shown(task.cpu)}.`));
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                if (!positive(definition.memory))
                    reportViolation(at(`${path}.memory`, `Containers must have a memory limit: ${label} has memory ${shown(definition.memory)}.`));
                if (!positive(definition.cpu))
                    reportViolation(at(`${path}.cpu`, `Containers must have a CPU limit: ${label} has cpu ${shown(definition.cpu)}.`));
            }
        }),
    ],
};
