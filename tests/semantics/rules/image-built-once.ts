import type { SemanticsRule } from "../rule";
import { buildsOf } from "../docker-plan";

export const imageBuiltOnce: SemanticsRule = {
    name: "image-built-once",
    description:
        "Two images building the same context, target and build arguments build it twice on every change, and their containers can run different builds of one source.",
    source: "pulumi/pulumi-docker provider/image.go: each Image resource runs its own build",
    targets: ["docker"],
    check(plan) {
        const seen = new Map<string, string>();
        return buildsOf(plan).flatMap(({ resource, context, target, args }) => {
            const key = `${context}#${target}#${JSON.stringify(args)}`;
            const first = seen.get(key);
            seen.set(key, first ?? resource.name);
            return first ? [`${resource.name}: builds ${context} (${target}, ${JSON.stringify(args)}) again, as ${first} does`] : [];
        });
    },
    mutate(plan) {
        const [build] = buildsOf(plan);
        plan.resources.push({ ...structuredClone(build.resource), urn: `${build.resource.urn}-again`, name: `${build.resource.name}-again` });
    },
};
