import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const ecsFargatePlatformVersion: Rule = {
    name: "ecs-fargate-platform-version",
    description: "Checks that Fargate services run on the latest Fargate platform version, so they get its security patches.",
    controls: ["AWS FSBP ECS.10", "Checkov CKV_AWS_332"],
    severity: "medium",
    remediationSteps: 'Leave `platformVersion` unset or set it to "LATEST" on the aws.ecs.Service.',
    validateResource: validateSetting([aws.ecs.Service], {
        property: "platformVersion",
        requirement: 'Fargate services must run on the latest platform version ("LATEST" or unset)',
        applies: (service) => service.launchType === "FARGATE",
        holds: (version) => version === undefined || version === "LATEST",
    }),
};
