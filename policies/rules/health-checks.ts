import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, type StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { ecsContainerLabel, ecsContainers } from "../lib/containers";
import { referencedBy } from "../lib/references";

/** A health check command that runs something (docker's ["NONE"] disables the image's check). */
function runsACheck(command: readonly string[] | undefined): boolean {
    return (command ?? []).length > 1 && command?.[0] !== "NONE";
}

export const healthChecks: ResourceValidationPolicy & StackValidationPolicy = {
    name: "health-checks",
    description:
        "Checks that every service has a health check: docker containers other than one-shot jobs, the containers of task definitions ECS services run, and load balancer target groups.",
    remediationSteps:
        'Give docker Containers that keep running (not `attach: true` jobs) a `healthcheck` with `tests` (e.g. ["CMD", "curl", "-f", "http://127.0.0.1:8000/healthz"]), the container definitions of every task an aws.ecs.Service runs a `healthCheck.command`, and target groups an enabled `healthCheck` with a `path`.',
    validateResource: [
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            // An attached container is a one-shot job: the deployment waits for it to exit, so it serves nothing to check.
            if (container.attach === true) return;
            if (!runsACheck(container.healthcheck?.tests))
                reportViolation(`Services must have a health check: healthcheck.tests is ${JSON.stringify(container.healthcheck?.tests)}.`);
        }),
        validateResourceOfType(aws.lb.TargetGroup, (group, _args, reportViolation) => {
            const check = group.healthCheck;
            if (!check || check.enabled === false || !check.path)
                reportViolation(`Target groups must health-check their targets: healthCheck is ${JSON.stringify(check)}.`);
        }),
    ],
    // Only tasks that a service keeps running need one (a one-off task, such as a migration, exits);
    // which tasks those are is known from the services, so this part looks across the stack.
    validateStack: (args, reportViolation) => {
        const tasks = args.resources.filter((r) => r.isType(aws.ecs.TaskDefinition));
        const served = new Set(args.resources.filter((r) => r.isType(aws.ecs.Service)).flatMap((s) => referencedBy(tasks, s.props.taskDefinition, "family")));
        for (const task of served) {
            const report = (message: string) => reportViolation(message, task.urn);
            ecsContainers(task.props.containerDefinitions, report).forEach((container, i) => {
                if (!runsACheck(container.healthCheck?.command))
                    report(
                        `Services must have a health check: ${ecsContainerLabel(container, i)} has healthCheck.command ${JSON.stringify(container.healthCheck?.command)}.`,
                    );
            });
        }
    },
};
