import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { dockerEnvironment, ecsContainerLabel, ecsContainers, type EnvironmentVariable } from "../lib/containers";

// A word of the variable's name (split at "_", "-", "."), or its ending, that names a credential.
const SENSITIVE_WORD = /^((API|ACCESS|SECRET|PRIVATE|SIGNING|ENCRYPTION|MASTER|SSH)?KEY|PASS|PWD|[A-Z]*PASSW(OR)?D|[A-Z]*SECRET|[A-Z]*TOKEN|CREDENTIALS?)$/;

/** Why this variable puts a secret in the environment, or undefined. "*_FILE" variables name a mounted file. */
export function plaintextSecretProblem({ name, value }: EnvironmentVariable): string | undefined {
    if (name === "") return `an entry that is not NAME=value (a whole secret value?) is in the environment`;
    const words = name.toUpperCase().split(/[_.-]+/);
    if (value === "" || words[words.length - 1] === "FILE" || !words.some((w) => SENSITIVE_WORD.test(w))) return undefined;
    return `${name} holds a literal value`;
}

export const noPlaintextSecrets: ResourceValidationPolicy = {
    name: "no-plaintext-secrets",
    description: "Checks that no container environment variable named like a credential (PASSWORD, SECRET, TOKEN, KEY) holds a literal value.",
    remediationSteps:
        "Mount the secret as a file and pass its path in NAME_FILE (docker), or reference it from Secrets Manager in the ECS container definition's `secrets` instead of `environment`.",
    validateResource: [
        validateResourceOfType(docker.Container, (container, _args, reportViolation) => {
            for (const variable of dockerEnvironment(container.envs)) {
                const problem = plaintextSecretProblem(variable);
                if (problem) reportViolation(`Container environments must not hold secrets: ${problem}.`);
            }
        }),
        validateResourceOfType(aws.ecs.TaskDefinition, (task, _args, reportViolation) => {
            ecsContainers(task.containerDefinitions, reportViolation).forEach((container, i) => {
                for (const { name, value } of container.environment ?? []) {
                    const problem = plaintextSecretProblem({ name: name ?? "", value: value ?? "" });
                    if (problem) reportViolation(`Container environments must not hold secrets: ${ecsContainerLabel(container, i)}: ${problem}.`);
                }
            });
        }),
    ],
};
