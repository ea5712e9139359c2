import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { records } from "../lib/values";
import type { Rule } from ".";

// "enhanced" is Container Insights with the task- and container-level metrics added in 2024.
const ON = ["enabled", "enhanced"];

export const ecsContainerInsights: Rule = {
    name: "ecs-container-insights",
    description: "Checks that ECS clusters collect Container Insights metrics.",
    controls: ["AWS FSBP ECS.12", "Checkov CKV_AWS_65"],
    severity: "medium",
    remediationSteps: 'Add `{ name: "containerInsights", value: "enabled" }` (or "enhanced") to the aws.ecs.Cluster\'s `settings`.',
    validateResource: validateSetting([aws.ecs.Cluster], {
        property: "settings",
        requirement: 'ECS clusters must use Container Insights (setting containerInsights "enabled" or "enhanced")',
        holds: (settings) => records(settings).some((s) => s.name === "containerInsights" && ON.includes(s.value as string)),
    }),
};
