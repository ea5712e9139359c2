import { at } from "../../lib/report";
import { lineOf, parentStage } from "../parse";
import type { DockerfileRule } from "../rule";

/** A version a tag pins: an exact patch release (3.11.13-slim-bookworm, 1.27.5-alpine3.21, v2.55.1). */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-_.][\w.-]+)?$/;

export const dockerfilePinnedBase: DockerfileRule = {
    name: "dockerfile-pinned-base",
    description: "Checks that every base image a Dockerfile builds from is pinned to an exact version tag or a digest.",
    // Checkov's CKV_DOCKER_7 (dockerfile/checks/ReferenceLatestTag.py) fails a FROM without a tag or with
    // latest; this rule fails those and any tag short of an exact version (20-alpine moves).
    controls: ["Checkov CKV_DOCKER_7"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Name each base image with an exact version tag (python:3.11.13-slim-bookworm) or a digest (python@sha256:...).",
    checkDockerfile: (dockerfile, report) => {
        for (const stage of dockerfile.stages) {
            const from = stage.from;
            const image = from.getImageName() ?? "";
            // FROM <earlier stage> and the empty image pin nothing to a registry.
            if (parentStage(stage, dockerfile.stages) || image === "scratch" || from.getImageDigest()) continue;
            const tag = from.getImageTag() ?? "";
            const found = image.includes("$") ? `${from.getImage() ?? image}, a build argument, which cannot be shown pinned` : JSON.stringify(tag || "no tag");
            if (image.includes("$") || !EXACT_VERSION.test(tag))
                report(
                    lineOf(from),
                    at(
                        "FROM",
                        `Base images must be pinned: FROM ${image}: expected a tag pinning an exact version (e.g. 3.11.13-slim-bookworm) or a digest, found ${found}.`,
                    ),
                );
        }
    },
};
