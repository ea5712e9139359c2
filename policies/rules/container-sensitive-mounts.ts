import { aws, docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, records, validateTypes } from "../lib/values";
import type { Rule } from ".";

// Host paths whose mount gives a container control of the host: the Docker socket (CIS 5.32) and the
// system directories CIS 5.6 lists.
const DOCKER_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock"];
const SYSTEM_DIRECTORIES = ["/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/var/lib/docker", "/run", "/var/run", "/root"];

/** Why mounting `hostPath` is dangerous, or undefined. */
function sensitiveHostPath(hostPath: unknown): string | undefined {
    if (typeof hostPath !== "string") return undefined;
    const path = hostPath.replace(/\/+$/, "") || "/";
    if (path === "/") return "the host's root filesystem";
    if (DOCKER_SOCKETS.includes(path)) return "the Docker socket (full control of the Docker engine)";
    const directory = SYSTEM_DIRECTORIES.find((d) => path === d || path.startsWith(`${d}/`));
    return directory ? `the host system directory ${directory}` : undefined;
}

export const containerSensitiveMounts: Rule = {
    name: "container-sensitive-mounts",
    description:
        "Checks that no container mounts the Docker socket or a sensitive host directory (/, /etc, /proc, /sys, /dev, /boot, /usr, /lib, /run, /var/lib/docker).",
    controls: ["CIS Docker 5.6", "CIS Docker 5.32"],
    severity: "high",
    remediationSteps: "Mount named volumes or application directories only; never bind the Docker socket or a host system directory into a container.",
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            const report = (property: string, hostPath: unknown) => {
                const problem = sensitiveHostPath(hostPath);
                if (problem) reportViolation(at(property, `Containers must not mount sensitive host paths: ${JSON.stringify(hostPath)} is ${problem}.`));
            };
            records(container.volumes).forEach((volume, i) => report(`volumes[${i}].hostPath`, volume.hostPath));
            records(container.mounts).forEach((mount, i) => {
                if (mount.type === "bind") report(`mounts[${i}].source`, mount.source);
            });
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            records(task.volumes).forEach((volume, i) => {
                // @pulumi/aws takes the host path as a string; AWS's own JSON as { sourcePath }.
                const hostPath = isRecord(volume.hostPath) ? volume.hostPath.sourcePath : volume.hostPath;
                const problem = sensitiveHostPath(hostPath);
                if (problem)
                    reportViolation(at(`volumes[${i}].hostPath`, `Containers must not mount sensitive host paths: ${JSON.stringify(hostPath)} is ${problem}.`));
            });
        }),
    ],
};
