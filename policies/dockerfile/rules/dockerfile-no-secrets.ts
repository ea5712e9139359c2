import { Arg, Env } from "dockerfile-ast";
import { at } from "../../lib/report";
import { credentialName } from "../../rules/no-plaintext-secrets";
import { lineOf } from "../parse";
import type { DockerfileRule } from "../rule";

export const dockerfileNoSecrets: DockerfileRule = {
    name: "dockerfile-no-secrets",
    description:
        "Checks that no Dockerfile ENV or ARG is named like a credential (PASSWORD, SECRET, TOKEN, KEY), since both stay in the image's config or history.",
    // CIS Docker 4.10 ("secrets are not stored in Dockerfiles"). Docker's own build check
    // SecretsUsedInArgOrEnv flags the same names whatever their value: a build argument passed at build
    // time is recorded in the image's history, an ENV in its config.
    controls: ["CIS Docker 4.10"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Pass build-time secrets with `RUN --mount=type=secret,id=...` and runtime ones from the orchestrator (a mounted file named by NAME_FILE, or ECS `secrets`); never as ENV or ARG.",
    checkDockerfile: (dockerfile, report) => {
        for (const stage of dockerfile.stages)
            for (const instruction of stage.instructions) {
                const properties =
                    instruction instanceof Env
                        ? instruction.getProperties()
                        : instruction instanceof Arg
                          ? [instruction.getProperty()].flatMap((p) => p ?? [])
                          : [];
                for (const property of properties) {
                    const name = property.getName();
                    if (!credentialName(name)) continue;
                    const keyword = instruction.getKeyword();
                    report(
                        lineOf(instruction),
                        at(
                            keyword,
                            `Dockerfiles must not hold secrets: ${keyword} ${name} ${keyword === "ENV" ? "is kept in the image's config" : "is recorded in the image's history when passed"}${property.getValue() ? " and sets a literal value" : ""}.`,
                        ),
                    );
                }
            }
    },
};
