import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// Advisory in the AWS stacks (policies/config): their templates serve ECR pull-through caches, which
// refresh a cached tag when the upstream registry moves it; the images the tasks run are pinned by
// version (image-pinned).
export const ecrTemplateImmutableTags: Rule = {
    name: "ecr-template-immutable-tags",
    description: "Checks that the ECR repository creation templates make image tags immutable, so a pushed tag cannot be replaced.",
    controls: ["AWS FSBP ECR.2"],
    severity: "medium",
    remediationSteps: 'Set `imageTagMutability: "IMMUTABLE"` on the aws.ecr.RepositoryCreationTemplate.',
    validateResource: validateSetting([aws.ecr.RepositoryCreationTemplate], {
        property: "imageTagMutability",
        requirement: "Repository creation templates must make tags immutable",
        holds: (mutability) => mutability === "IMMUTABLE" || mutability === "IMMUTABLE_WITH_EXCLUSION",
    }),
};
