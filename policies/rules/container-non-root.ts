import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { at } from "../lib/report";
import { isSecret, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** Why `user` runs the container as root, or undefined for a non-root user ("uid", "uid:gid", "name"). */
export function rootUserProblem(user: unknown): string | undefined {
    // A secret user cannot be read, so it cannot be shown to be non-root: it counts as root.
    if (isSecret(user)) return "sets its user from a secret, which cannot be shown to be non-root";
    if (user !== undefined && user !== null && typeof user !== "string") return `sets user ${JSON.stringify(user)}, which is not a user name or uid`;
    const trimmed = (user ?? "").trim();
    if (trimmed === "") return "sets no user, so it runs as the image's default (root)";
    const account = trimmed.split(":")[0];
    if (account === "root" || /^0+$/.test(account)) return `runs as root (user "${trimmed}")`;
    return undefined;
}

export const containerNonRoot: Rule = {
    name: "container-non-root",
    description: "Checks that every container runs as a non-root user.",
    controls: ["CIS Docker 4.1", "Security Hub ECS.20"],
    severity: "high",
    remediationSteps: 'Set the container\'s user to an unprivileged uid:gid (docker Container `user`, ECS container definition `user`), e.g. "10001:10001".',
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            const problem = rootUserProblem(container.user);
            if (problem) reportViolation(at("user", `Containers must run as a non-root user: this container ${problem}.`));
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                const problem = rootUserProblem(definition.user);
                if (problem) reportViolation(at(`${path}.user`, `Containers must run as a non-root user: ${label} ${problem}.`));
            }
        }),
    ],
};
