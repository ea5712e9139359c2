import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { ecsContainerLabel, ecsContainers } from "../lib/containers";

/** Why an image reference is not pinned to a version, or undefined (a tag other than latest, or a digest). */
export function unpinnedImageProblem(reference: string | undefined): string | undefined {
    const ref = (reference ?? "").trim();
    if (ref === "") return "no image is named";
    if (/@sha256:[0-9a-f]{64}$/.test(ref) || /^sha256:[0-9a-f]{64}$/.test(ref)) return undefined;
    // The tag follows the last ":" after the last "/" (a registry's ":port" comes before it).
    const lastPart = ref.slice(ref.lastIndexOf("/") + 1);
    const colon = lastPart.indexOf(":");
    const tag = colon < 0 ? "" : lastPart.slice(colon + 1);
    if (tag === "") return `"${ref}" has no tag`;
    if (tag === "latest") return `"${ref}" uses the latest tag`;
    return undefined;
}

export const imagePinned: ResourceValidationPolicy = {
    name: "image-pinned",
    description: "Checks that every image is pinned to a version tag (not latest) or a digest.",
    remediationSteps: "Name images as repository:version (e.g. postgres:15-alpine, ghcr.io/org/backend:1.4.2) or repository@sha256:digest.",
    validateResource: [
        validateResourceOfType(docker.RemoteImage, (image, _args, reportViolation) => {
            const problem = unpinnedImageProblem(image.name);
            if (problem) reportViolation(`Images must be pinned: ${problem}.`);
        }),
        validateResourceOfType(docker.Image, (image, _args, reportViolation) => {
            const problem = unpinnedImageProblem(image.imageName);
            if (problem) reportViolation(`Images must be pinned: ${problem}.`);
        }),
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            const problem = unpinnedImageProblem(container.image);
            if (problem) reportViolation(`Images must be pinned: ${problem}.`);
        }),
        validateResourceOfType(aws.ecs.TaskDefinition, (task, _args, reportViolation) => {
            ecsContainers(task.containerDefinitions, reportViolation).forEach((container, i) => {
                const problem = unpinnedImageProblem(container.image);
                if (problem) reportViolation(`Images must be pinned: ${ecsContainerLabel(container, i)}: ${problem}.`);
            });
        }),
    ],
};
