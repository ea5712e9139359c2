import { aws, docker } from "../lib/resource-types";
import { dockerEnvironment, ecsContainers, ecsEnvironment, type EnvironmentVariable } from "../lib/containers";
import { at } from "../lib/report";
import { isSecret, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

// The variables FSBP ECS.8 names (Security Hub user guide, ECS controls: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, ECS_ENGINE_AUTH_DATA); the first two also match SENSITIVE_WORD, the last (the
// ECS agent's private registry credentials) does not.
const ECS_8_NAMES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];
// A word of the variable's name (split at "_", "-", "."), or its ending, that names a credential.
const SENSITIVE_WORD = /^((API|ACCESS|SECRET|PRIVATE|SIGNING|ENCRYPTION|MASTER|SSH)?KEY|PASS|PWD|[A-Z]*PASSW(OR)?D|[A-Z]*SECRET|[A-Z]*TOKEN|CREDENTIALS?)$/;

/** Whether a variable's name names a credential; "*_FILE" variables name a mounted file instead. */
export function credentialName(name: string): boolean {
    const words = name.toUpperCase().split(/[_.-]+/);
    return words[words.length - 1] !== "FILE" && (ECS_8_NAMES.includes(name.toUpperCase()) || words.some((w) => SENSITIVE_WORD.test(w)));
}

/** Why this variable puts a secret in the environment, or undefined. */
export function plaintextSecretProblem({ name, value }: EnvironmentVariable): string | undefined {
    if (name === "") return `an entry that is not NAME=value (a whole secret value?) is in the environment`;
    return value !== "" && credentialName(name) ? `${name} holds a literal value` : undefined;
}

export const noPlaintextSecrets: Rule = {
    name: "no-plaintext-secrets",
    description:
        "Checks that no container environment variable named like a credential (PASSWORD, SECRET, TOKEN, KEY, ECS_ENGINE_AUTH_DATA) holds a literal value.",
    controls: ["AWS FSBP ECS.8"],
    severity: "high",
    remediationSteps:
        "Mount the secret as a file and pass its path in NAME_FILE (docker), or reference it from Secrets Manager in the ECS container definition's `secrets` instead of `environment`.",
    validateResource: [
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            // Pulumi marks the whole list secret when an entry is one: a secret value is in the environment.
            if (isSecret(container.envs)) {
                reportViolation(at("envs", "Container environments must not hold secrets: envs is a Pulumi secret, so a secret value is in the environment."));
                return;
            }
            // Any other shape than a list of strings cannot be read, so it cannot be shown to hold no secret.
            if (container.envs !== undefined && !(Array.isArray(container.envs) && container.envs.every((e) => typeof e === "string"))) {
                reportViolation(
                    at("envs", `Container environments must not hold secrets: envs is ${shown(container.envs)}, not a list of NAME=value strings.`),
                );
                return;
            }
            for (const variable of dockerEnvironment(container.envs)) {
                const problem = plaintextSecretProblem(variable);
                if (problem) reportViolation(at("envs", `Container environments must not hold secrets: ${problem}.`));
            }
        }),
        ...validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
            for (const { definition, path, label } of ecsContainers(task.containerDefinitions, reportViolation)) {
                for (const variable of ecsEnvironment(definition.environment)) {
                    const problem = plaintextSecretProblem(variable);
                    if (problem) reportViolation(at(`${path}.environment`, `Container environments must not hold secrets: ${label}: ${problem}.`));
                }
            }
        }),
    ],
};
