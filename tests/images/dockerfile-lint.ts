// Lints a stand-in's Dockerfile against what only this project's image contract asks
// (docs/image-contract.md): both targets, the service's own uid (the APP_UID build argument) as USER, a
// /tmp volume it owns. These stay a test of the project's images, not pack rules: on anyone else's
// Dockerfiles (`check --dockerfiles`) they would flag what no standard asks. What does hold for any
// Dockerfile (pinned bases, a non-root USER, no ADD, no secrets) is the pack's Dockerfile rules
// (policies/dockerfile). This reads the files with the pack's model (policies/dockerfile/parse.ts: its
// stages, their chains and effective USER), so there is one parser and one reading of a stage. Each
// finding names the file and line, what was expected and what was found.
import type { Instruction } from "dockerfile-ast";
import { chainOf, CONTRACT_STAGES, effectiveUser, lineOf, parseDockerfile, type Stage, stageName, stageNamed } from "../../policies/dockerfile/parse";
import { UID_BUILD_ARG } from "../../components/service/catalog";

/** `$APP_UID:$APP_UID`, braces and quotes allowed: the service's own uid as its user and group. */
const UID_PAIR = `"?\\$\\{?${UID_BUILD_ARG}\\}?:\\$\\{?${UID_BUILD_ARG}\\}?"?`;
const USER_IS_UID = new RegExp(`^${UID_PAIR}$`);
const CHOWNS_TMP = new RegExp(`chown ${UID_PAIR} /tmp\\b`);
const EXPECTED_USER = `USER $${UID_BUILD_ARG}:$${UID_BUILD_ARG}`;

/** Whether `instruction` of `stage` sees the build argument: an ARG is in scope only in its own stage, after it. */
function seesUidArgument(stage: Stage, instruction: Instruction): boolean {
    const before = stage.instructions.slice(0, stage.instructions.indexOf(instruction));
    return before.some((i) => i.getKeyword() === "ARG" && (i.getArgumentsContent() ?? "").split("=")[0] === UID_BUILD_ARG);
}

export function lintDockerfile(file: string, text: string): string[] {
    const dockerfile = parseDockerfile(file, text);
    const { stages } = dockerfile;
    const findings: string[] = [];
    for (const name of CONTRACT_STAGES) {
        const stage = stageNamed(dockerfile, name);
        if (!stage) {
            findings.push(`${file}: expected a stage named ${name}, found ${stages.flatMap((s) => stageName(s) ?? []).join(", ") || "none"}`);
            continue;
        }
        const chain = chainOf(stage, stages);
        const user = effectiveUser(stage, stages);
        const userText = user?.getArgumentsContent() ?? "";
        const userStage = chain.find((s) => user !== undefined && s.instructions.includes(user));
        if (!user || !userStage || !USER_IS_UID.test(userText) || !seesUidArgument(userStage, user)) {
            const found = !user
                ? "none (root)"
                : USER_IS_UID.test(userText)
                  ? `USER ${userText} without ARG ${UID_BUILD_ARG} in its stage`
                  : `USER ${userText}`;
            findings.push(
                `${file}:${lineOf(stage.from)}: stage ${name}: expected ${EXPECTED_USER} after ARG ${UID_BUILD_ARG} in the same stage (the service's own uid, a build argument), found ${found}`,
            );
        }
        // Instructions nearest first, each with its stage (for the ARG's scope): the VOLUME must come
        // after (i.e. be found before) the chown.
        const nearestFirst = chain.flatMap((s) => [...s.instructions].reverse().map((instruction) => ({ stage: s, instruction })));
        const volume = nearestFirst.findIndex(
            ({ instruction: i }) => i.getKeyword() === "VOLUME" && /["\s[]\/tmp["\s\]]|^\/tmp$/.test(i.getArgumentsContent() ?? ""),
        );
        const chown = nearestFirst.findIndex(
            ({ stage: s, instruction: i }) => i.getKeyword() === "RUN" && CHOWNS_TMP.test(i.getArgumentsContent() ?? "") && seesUidArgument(s, i),
        );
        if (volume < 0 || chown < volume) {
            findings.push(
                `${file}:${lineOf(stage.from)}: stage ${name}: expected /tmp owned by $${UID_BUILD_ARG}:$${UID_BUILD_ARG} (RUN chown after ARG ${UID_BUILD_ARG}) and then declared a VOLUME, found ${volume < 0 ? "no VOLUME /tmp" : "no chown before it"}`,
            );
        }
    }
    return findings;
}
