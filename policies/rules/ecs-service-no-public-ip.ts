import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isRecord } from "../lib/values";
import type { Rule } from ".";

export const ecsServiceNoPublicIp: Rule = {
    name: "ecs-service-no-public-ip",
    description: "Checks that ECS services do not assign public IP addresses to their tasks.",
    controls: ["AWS FSBP ECS.2", "Checkov CKV_AWS_333"],
    severity: "high",
    remediationSteps: "Set `networkConfiguration.assignPublicIp: false` on the aws.ecs.Service and reach the internet through a NAT gateway.",
    validateResource: validateSetting([aws.ecs.Service], {
        property: "networkConfiguration.assignPublicIp",
        requirement: "ECS services must not give their tasks public IP addresses",
        value: (service) => (isRecord(service.networkConfiguration) ? service.networkConfiguration.assignPublicIp : undefined),
        // Unset, ECS assigns none.
        holds: (assign) => assign !== true,
    }),
};
