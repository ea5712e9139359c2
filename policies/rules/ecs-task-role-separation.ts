import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const ecsTaskRoleSeparation: Rule = {
    name: "ecs-task-role-separation",
    description:
        "Checks that an ECS task definition's execution role (what ECS uses to pull images and read secrets) is not also its task role (what the application's code may do).",
    controls: ["Checkov CKV_AWS_249"],
    severity: "medium",
    remediationSteps: "Give the aws.ecs.TaskDefinition a `taskRoleArn` of its own, distinct from `executionRoleArn`, holding only what the application calls.",
    validateResource: validateSetting([aws.ecs.TaskDefinition], {
        property: "taskRoleArn",
        requirement: "ECS task definitions must not use their execution role as the task role",
        holds: (taskRole, task) => !isSet(taskRole) || taskRole !== task.executionRoleArn,
    }),
};
