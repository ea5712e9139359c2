import * as fs from "node:fs";
import * as path from "node:path";
import { projectDir } from "../../helpers/plan";
import type { SemanticsRule } from "../rule";
import { buildsOf } from "../docker-plan";

export const buildContextInRepository: SemanticsRule = {
    name: "build-context-in-repository",
    description: "pulumi preview fails on a fresh clone when an image's build context (and its Dockerfile) is missing, or lies outside the repository.",
    source: "pulumi/pulumi-docker provider/provider.go: Check hashes the build context (hashContext) during preview",
    targets: ["docker"],
    check(plan) {
        return buildsOf(plan).flatMap(({ resource, context }) => {
            if (path.relative(projectDir, context).startsWith("..") || !path.isAbsolute(context)) {
                return [`${resource.name}: build.context ${context} is outside the repository`];
            }
            if (!fs.existsSync(path.join(context, "Dockerfile"))) return [`${resource.name}: build.context ${context} has no Dockerfile`];
            return [];
        });
    },
    mutate(plan) {
        const [build] = buildsOf(plan);
        (build.resource.inputs.build as { context: string }).context = path.join(projectDir, "..", "osint-platform-app", "backend");
    },
};
