import { at } from "../../lib/report";
import { rootUserProblem } from "../../rules/container-non-root";
import { effectiveUser, lineOf, shippedStages, stageName } from "../parse";
import type { DockerfileRule } from "../rule";

export const dockerfileNonRootUser: DockerfileRule = {
    name: "dockerfile-non-root-user",
    description:
        "Checks that every stage a Dockerfile ships (development, production and the last stage) ends as a non-root USER, so its containers run unprivileged without being told to.",
    // CIS Docker 4.1 ("a user for the container has been created"), Checkov CKV_DOCKER_3 (a USER exists)
    // and CKV_DOCKER_8 (the last USER is not root), per shipped stage.
    controls: ["CIS Docker 4.1", "Checkov CKV_DOCKER_3", "Checkov CKV_DOCKER_8"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "End every shipped stage (or a stage it builds FROM) with `USER <uid>:<gid>` of an unprivileged user the image creates (the image contract's is the service's own uid, `USER $APP_UID:$APP_UID`).",
    checkDockerfile: (dockerfile, report) => {
        for (const stage of shippedStages(dockerfile)) {
            const user = effectiveUser(stage, dockerfile.stages);
            const problem = rootUserProblem(user?.getArgumentsContent() ?? undefined);
            if (problem)
                report(
                    lineOf(user ?? stage.from),
                    at("USER", `Images must run as a non-root user: stage ${stageName(stage) ?? `#${dockerfile.stages.indexOf(stage)}`} ${problem}.`),
                );
        }
    },
};
