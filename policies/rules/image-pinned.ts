import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { isSecret, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** Why an image reference is not pinned to a version, or undefined (a tag other than latest, or a digest). */
export function unpinnedImageProblem(reference: unknown): string | undefined {
    // A secret reference cannot be read, so it cannot be shown to be pinned.
    if (isSecret(reference)) return "the image is named by a secret, which cannot be shown to be pinned";
    if (reference !== undefined && reference !== null && typeof reference !== "string") return `the image is ${JSON.stringify(reference)}, not a reference`;
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

export const imagePinned: Rule = {
    name: "image-pinned",
    description: "Checks that every image is pinned to a version tag (not latest) or a digest.",
    // Neither CIS Docker nor FSBP has a control for an image reference's tag. Checkov's CKV_K8S_14
    // (kubernetes/checks/resource/k8s/ImageTagFixed.py) is the same check on a container's `image`:
    // fails an empty or latest tag, passes a digest. CKV_DOCKER_7 reads Dockerfile FROM lines:
    // dockerfile-pinned-base claims it.
    controls: ["Checkov CKV_K8S_14"],
    severity: "medium",
    remediationSteps: "Name images as repository:version (e.g. postgres:15-alpine, ghcr.io/org/backend:1.4.2) or repository@sha256:digest.",
    validateResource: [
        ...validateTypes([docker.RemoteImage], (image, _args, reportViolation) => {
            const problem = unpinnedImageProblem(image.name);
            if (problem) reportViolation(at("name", `Images must be pinned: ${problem}.`));
        }),
        ...validateTypes([docker.Image], (image, _args, reportViolation) => {
            const problem = unpinnedImageProblem(image.imageName);
            if (problem) reportViolation(at("imageName", `Images must be pinned: ${problem}.`));
        }),
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            const problem = unpinnedImageProblem(container.image);
            if (problem) reportViolation(at("image", `Images must be pinned: ${problem}.`));
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                const problem = unpinnedImageProblem(definition.image);
                if (problem) reportViolation(at(`${path}.image`, `Images must be pinned: ${label}: ${problem}.`));
            }
        }),
    ],
};
