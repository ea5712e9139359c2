import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { isRecord, shown, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** Why a container's capabilities are not restricted, or undefined: it must drop ALL and add none. */
function capabilityProblem(capabilities: unknown, addKey: string, dropKey: string): string | undefined {
    const set = isRecord(capabilities) ? capabilities : {};
    const added = strings(set[addKey]);
    if (added.length > 0) return `adds ${added.join(", ")}`;
    if (set[addKey] !== undefined && !Array.isArray(set[addKey])) return `adds ${shown(set[addKey])}, which cannot be shown to be empty`;
    if (!strings(set[dropKey]).some((c) => c.toUpperCase() === "ALL")) return `drops ${shown(set[dropKey])}, not ALL`;
    return undefined;
}

export const containerCapabilities: Rule = {
    name: "container-capabilities",
    description: "Checks that every container drops all Linux capabilities and adds none back.",
    controls: ["CIS Docker 5.4"],
    severity: "medium",
    remediationSteps:
        'Set docker Container `capabilities: { drops: ["ALL"] }` and ECS container definitions `linuxParameters.capabilities.drop: ["ALL"]`, with no `adds`/`add`.',
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            const problem = capabilityProblem(container.capabilities, "adds", "drops");
            if (problem) reportViolation(at("capabilities", `Containers must drop every capability and add none: this container ${problem}.`));
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                const parameters = isRecord(definition.linuxParameters) ? definition.linuxParameters : {};
                const problem = capabilityProblem(parameters.capabilities, "add", "drop");
                if (problem)
                    reportViolation(at(`${path}.linuxParameters.capabilities`, `Containers must drop every capability and add none: ${label} ${problem}.`));
            }
        }),
    ],
};
