import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { validateTypes } from "../lib/values";
import type { Rule } from ".";

export const containerNotPrivileged: Rule = {
    name: "container-not-privileged",
    description: "Checks that no container runs privileged (every host device and capability, no confinement).",
    controls: ["CIS Docker 5.5", "AWS FSBP ECS.4", "Checkov CKV_AWS_334"],
    controlScopes: { "Checkov CKV_AWS_334": [aws.ecs.TaskDefinition] },
    severity: "high",
    remediationSteps:
        "Leave `privileged` unset (false) on docker Containers and ECS container definitions; grant a single capability instead if one is truly needed.",
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            if (container.privileged === true) reportViolation(at("privileged", "Containers must not run privileged: privileged is true."));
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                if (definition.privileged === true)
                    reportViolation(at(`${path}.privileged`, `Containers must not run privileged: ${label} sets privileged true.`));
            }
        }),
    ],
};
