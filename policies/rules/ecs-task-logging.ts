import { aws } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { isRecord, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const ecsTaskLogging: Rule = {
    name: "ecs-task-logging",
    description: "Checks that every ECS container sends its logs to CloudWatch Logs (the awslogs driver with a log group).",
    controls: ["AWS FSBP ECS.9"],
    severity: "high",
    remediationSteps:
        'Give each ECS container definition `logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": <log group name>, "awslogs-region": <region>, "awslogs-stream-prefix": <name> } }`.',
    validateResource: validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
        for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
            const logging = isRecord(definition.logConfiguration) ? definition.logConfiguration : {};
            const options = isRecord(logging.options) ? logging.options : {};
            if (logging.logDriver !== "awslogs" || typeof options["awslogs-group"] !== "string" || options["awslogs-group"] === "")
                reportViolation(
                    at(
                        `${path}.logConfiguration`,
                        `ECS containers must log to CloudWatch Logs: ${label} has logConfiguration ${shown(definition.logConfiguration)}.`,
                    ),
                );
        }
    }),
};
