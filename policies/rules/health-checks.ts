import { aws, docker } from "../lib/resource-types";
import { ecsContainers } from "../lib/containers";
import { ofTypes, referencedBy } from "../lib/references";
import { at } from "../lib/report";
import { isRecord, shown, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** A health check command that runs something (docker's ["NONE"] disables the image's check). */
function runsACheck(command: unknown): boolean {
    const words = Array.isArray(command) ? command : [];
    return words.length > 1 && strings(words).length === words.length && words[0] !== "NONE";
}

export const healthChecks: Rule = {
    name: "health-checks",
    description:
        "Checks that every service has a health check: docker containers other than one-shot jobs and never-started ones (`start: false`), the containers of task definitions ECS services run, and load balancer target groups.",
    // CIS Docker 4.6 (an image's HEALTHCHECK) is not claimed: the orchestrator sets health checks here.
    controls: ["CIS Docker 5.27", "Checkov CKV_AWS_261"],
    controlScopes: { "Checkov CKV_AWS_261": [aws.lb.TargetGroup, aws.alb.TargetGroup] },
    severity: "low",
    remediationSteps:
        'Give docker Containers that keep running (not `attach: true` jobs) a `healthcheck` with `tests` (e.g. ["CMD", "curl", "-f", "http://127.0.0.1:8000/healthz"]), the container definitions of every task an aws.ecs.Service runs a `healthCheck.command`, and target groups an enabled `healthCheck` with a `path`.',
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            // An attached container is a one-shot job: the deployment waits for it to exit, so it serves nothing to check.
            if (container.attach === true) return;
            // One created with `start: false` never runs (an upload seed): there is nothing to check.
            if (container.start === false) return;
            const tests = isRecord(container.healthcheck) ? container.healthcheck.tests : undefined;
            if (!runsACheck(tests)) reportViolation(at("healthcheck.tests", `Services must have a health check: healthcheck.tests is ${shown(tests)}.`));
        }),
        ...validateTypes([aws.lb.TargetGroup, aws.alb.TargetGroup], (group, _args, reportViolation) => {
            const check = group.healthCheck;
            if (!isRecord(check) || check.enabled === false || !check.path)
                reportViolation(at("healthCheck", `Target groups must health-check their targets: healthCheck is ${shown(check)}.`));
        }),
    ],
    stackTypes: [aws.ecs.TaskDefinition, aws.ecs.Service],
    // Only tasks that a service keeps running need one (a one-off task, such as a migration, exits);
    // which tasks those are is known from the services, so this part looks across the stack.
    validateStack: (args, reportViolation) => {
        const tasks = ofTypes(args.resources, [aws.ecs.TaskDefinition]);
        const served = new Set(ofTypes(args.resources, [aws.ecs.Service]).flatMap((s) => referencedBy(tasks, s.props.taskDefinition, "family")));
        for (const task of served) {
            const report = (message: string) => reportViolation(message, task.urn);
            for (const { definition, path, label } of ecsContainers(task.props.containerDefinitions, report)) {
                const command = isRecord(definition.healthCheck) ? definition.healthCheck.command : undefined;
                if (!runsACheck(command))
                    report(at(`${path}.healthCheck.command`, `Services must have a health check: ${label} has healthCheck.command ${shown(command)}.`));
            }
        }
    },
};
