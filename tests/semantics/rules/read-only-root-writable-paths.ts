// A Fargate bind mount starts empty, owned by root with mode 0755, unless the image declares a
// VOLUME at its path, whose owner and mode it then takes (Amazon ECS developer guide, "Bind
// mounts"; aws/containers-roadmap#938). A non-root container with a read-only root can therefore
// write only under a mount at a path its image declares and its user owns.
import { applicationServices } from "../../../components/service/catalog";
import { APPLICATION_SCRATCH_VOLUME, thirdPartyImages } from "../../../components/shared/images";
import type { SemanticsRule } from "../rule";
import { byName, containersOf, ofType, setContainers, TYPE } from "../plan-reading";

const ROOT = /^(0|root)(:.*)?$/;

/** The volume an image declares for its non-root user, by image reference; undefined when unknown. */
function declaredVolume(image: string): string | undefined {
    if (image.endsWith(`/${thirdPartyImages.postgres.reference}`) || image === thirdPartyImages.postgres.reference)
        return thirdPartyImages.postgres.writableVolume;
    const repository = image.split(":")[0];
    if (applicationServices.some((s) => repository.endsWith(`/${s}`))) return APPLICATION_SCRATCH_VOLUME;
    return undefined;
}

/** Absolute paths a shell command redirects output to (`> /path`, `>> /path`). */
function writtenPaths(command: readonly string[]): string[] {
    return command.flatMap((part) => [...part.matchAll(/>{1,2}\s*"?(\/[^\s"';|&)]+)/g)].map((m) => m[1])).filter((p) => !p.startsWith("/dev/"));
}

export const readOnlyRootWritablePaths: SemanticsRule = {
    name: "read-only-root-writable-paths",
    description: "A non-root task with a read-only root writes only under a mount at a volume its image declares for its user",
    source: "Amazon ECS developer guide, Bind mounts (Fargate); aws/containers-roadmap#938; docker-library/postgres 15/alpine Dockerfile (VOLUME $PGDATA, 1777)",
    targets: ["aws"],
    check(plan) {
        const findings: string[] = [];
        for (const task of ofType(plan, TYPE.taskDefinition)) {
            for (const c of containersOf(task)) {
                if (c.readonlyRootFilesystem !== true || c.user === undefined || ROOT.test(c.user)) continue;
                const declared = declaredVolume(c.image);
                const writable = (c.mountPoints ?? []).filter((m) => m.readOnly !== true);
                for (const mount of writable) {
                    if (mount.containerPath !== declared)
                        findings.push(
                            `${task.name}/${c.name}: mount at ${mount.containerPath} is root-owned 0755 on Fargate (the image declares ${declared ?? "no known volume"})`,
                        );
                }
                const inMount = (file: string) => writable.some((m) => m.containerPath === declared && file.startsWith(`${m.containerPath}/`));
                for (const file of writtenPaths(c.command ?? [])) {
                    if (!inMount(file)) findings.push(`${task.name}/${c.name}: command writes ${file}, outside a volume user ${c.user} can write`);
                }
            }
        }
        return findings;
    },
    mutate(plan) {
        const task = byName(plan, TYPE.taskDefinition, "database-access");
        setContainers(
            task,
            containersOf(task).map((c) => ({ ...c, mountPoints: (c.mountPoints ?? []).map((m) => ({ ...m, containerPath: "/tmp" })) })),
        );
    },
};
