import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { ecsContainerLabel, ecsContainers } from "../lib/containers";

/** Why `user` runs the container as root, or undefined for a non-root user ("uid", "uid:gid", "name"). */
export function rootUserProblem(user: string | undefined): string | undefined {
    const trimmed = (user ?? "").trim();
    if (trimmed === "") return "sets no user, so it runs as the image's default (root)";
    const account = trimmed.split(":")[0];
    if (account === "root" || /^0+$/.test(account)) return `runs as root (user "${trimmed}")`;
    return undefined;
}

export const containerNonRoot: ResourceValidationPolicy = {
    name: "container-non-root",
    description: "Checks that every container runs as a non-root user.",
    remediationSteps: 'Set the container\'s user to an unprivileged uid:gid (docker Container `user`, ECS container definition `user`), e.g. "10001:10001".',
    validateResource: [
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            const problem = rootUserProblem(container.user);
            if (problem) reportViolation(`Containers must run as a non-root user: this container ${problem}.`);
        }),
        validateResourceOfType(aws.ecs.TaskDefinition, (task, _args, reportViolation) => {
            ecsContainers(task.containerDefinitions, reportViolation).forEach((container, i) => {
                const problem = rootUserProblem(container.user);
                if (problem) reportViolation(`Containers must run as a non-root user: ${ecsContainerLabel(container, i)} ${problem}.`);
            });
        }),
    ],
};
