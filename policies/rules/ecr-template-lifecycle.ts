import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const ecrTemplateLifecycle: Rule = {
    name: "ecr-template-lifecycle",
    description: "Checks that the ECR repository creation templates give the repositories ECR creates a lifecycle policy, so old images expire.",
    controls: ["AWS FSBP ECR.3"],
    severity: "low",
    remediationSteps: "Set `lifecyclePolicy` on the aws.ecr.RepositoryCreationTemplate (e.g. keep the newest 10 images).",
    validateResource: validateSetting([aws.ecr.RepositoryCreationTemplate], {
        property: "lifecyclePolicy",
        requirement: "Repository creation templates must set a lifecycle policy",
        holds: isSet,
    }),
};
