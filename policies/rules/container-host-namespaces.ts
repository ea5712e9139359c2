import { aws, docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { validateTypes } from "../lib/values";
import type { Rule } from ".";

// The namespace properties (docker Container and ECS TaskDefinition alike) whose value "host" shares the host's.
const NAMESPACES: Readonly<Record<string, string>> = { networkMode: "network", pidMode: "process", ipcMode: "IPC", usernsMode: "user" };

export const containerHostNamespaces: Rule = {
    name: "container-host-namespaces",
    description: "Checks that no container shares the host's network, process, IPC or user namespace.",
    controls: ["CIS Docker 5.10", "CIS Docker 5.16", "CIS Docker 5.17", "CIS Docker 5.31", "AWS FSBP ECS.3", "NIST 800-53 ECS.17", "Checkov CKV_AWS_335"],
    controlScopes: { "Checkov CKV_AWS_335": [aws.ecs.TaskDefinition] },
    severity: "high",
    remediationSteps:
        'Do not set `networkMode`, `pidMode`, `ipcMode` or `usernsMode` to "host" (docker Container; ECS TaskDefinition `networkMode: "awsvpc"` and no `pidMode`/`ipcMode` "host").',
    validateResource: validateTypes([docker.Container, aws.ecs.TaskDefinition], (props, _args, reportViolation) => {
        for (const [property, namespace] of Object.entries(NAMESPACES)) {
            if (props[property] === "host")
                reportViolation(at(property, `Containers must not share the host's ${namespace} namespace: ${property} is "host".`));
        }
    }),
};
