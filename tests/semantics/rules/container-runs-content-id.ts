import type { SemanticsRule } from "../rule";
import { buildsOf, containersOf, pulledReferences } from "../docker-plan";

const CONTENT_ID = /^sha256:[0-9a-f]{64}$/;

export const containerRunsContentId: SemanticsRule = {
    name: "container-runs-content-id",
    description: "A container of a locally built image that names its tag is never replaced by a rebuild, so it keeps running the old image.",
    source: "pulumi/pulumi-docker sdk image.ts: repoDigest is the local image id with skipPush; terraform-provider-docker replaces a container when its image changes",
    targets: ["docker"],
    check(plan) {
        const tags = new Set(buildsOf(plan).map((b) => b.imageName));
        const pulled = new Set(pulledReferences(plan));
        return containersOf(plan).flatMap((c) => {
            const image = String(c.inputs.image);
            if (pulled.has(image) && !tags.has(image)) return [];
            return CONTENT_ID.test(image) ? [] : [`${c.name}: image ${image} is a tag of a local build, not its content id (repoDigest)`];
        });
    },
    mutate(plan) {
        const [build] = buildsOf(plan);
        const runsBuild = containersOf(plan).find((c) => CONTENT_ID.test(String(c.inputs.image)));
        if (runsBuild) runsBuild.inputs.image = build.imageName;
    },
};
