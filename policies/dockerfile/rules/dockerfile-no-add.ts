import { at } from "../../lib/report";
import { lineOf } from "../parse";
import type { DockerfileRule } from "../rule";

// A source ADD fetches instead of copying: a URL or a git repository.
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

export const dockerfileNoAdd: DockerfileRule = {
    name: "dockerfile-no-add",
    description: "Checks that Dockerfiles copy files with COPY, never ADD, which also fetches remote URLs (unverified content) and unpacks archives.",
    // CIS Docker 4.9 and Checkov CKV_DOCKER_4 (dockerfile/checks/AddExists.py) fail every ADD.
    controls: ["CIS Docker 4.9", "Checkov CKV_DOCKER_4"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Replace ADD with COPY; fetch remote files in a RUN step that verifies a checksum (curl ... && sha256sum -c), or in a build stage.",
    checkDockerfile: (dockerfile, report) => {
        for (const stage of dockerfile.stages)
            for (const add of stage.instructions.filter((i) => i.getKeyword() === "ADD")) {
                const json =
                    "getJSONStrings" in add ? (add as { getJSONStrings(): { getJSONValue(): string }[] }).getJSONStrings().map((s) => s.getJSONValue()) : [];
                const sources = (json.length > 0 ? json : add.getArguments().map((a) => a.getValue())).slice(0, -1);
                const remote = sources.filter((s) => REMOTE.test(s));
                report(
                    lineOf(add),
                    at(
                        "ADD",
                        remote.length > 0
                            ? `Dockerfiles must not ADD: ADD ${remote.join(", ")} fetches remote content that nothing verifies.`
                            : `Dockerfiles must not ADD: ADD ${sources.join(", ")} (COPY copies; ADD also unpacks archives and fetches URLs).`,
                    ),
                );
            }
    },
};
