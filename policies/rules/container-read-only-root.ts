import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const containerReadOnlyRoot: Rule = {
    name: "container-read-only-root",
    description: "Checks that every container's root filesystem is read-only (a docker container created with `start: false`, which never runs, excepted).",
    controls: ["CIS Docker 5.13", "AWS FSBP ECS.5", "Checkov CKV_AWS_336"],
    controlScopes: { "Checkov CKV_AWS_336": [aws.ecs.TaskDefinition] },
    severity: "high",
    remediationSteps:
        "Set docker Container `readOnly: true` (give writable paths a volume or `tmpfs`) and ECS container definitions `readonlyRootFilesystem: true` (writable paths on a task volume).",
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            // A container created with `start: false` is never started by the provider (terraform-provider-docker
            // resourceDockerContainerCreate starts only when `start` is set, and the update only then): it runs no
            // process to write anything, and an upload at "/" needs its root writable (components/docker/container.ts).
            if (container.start === false) return;
            if (container.readOnly !== true)
                reportViolation(at("readOnly", `Containers must have a read-only root filesystem: readOnly is ${shown(container.readOnly)}, not true.`));
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                if (definition.readonlyRootFilesystem !== true)
                    reportViolation(
                        at(
                            `${path}.readonlyRootFilesystem`,
                            `Containers must have a read-only root filesystem: ${label} has readonlyRootFilesystem ${shown(definition.readonlyRootFilesystem)}, not true.`,
                        ),
                    );
            }
        }),
    ],
};
