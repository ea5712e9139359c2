// Lints a stand-in's Dockerfile against what only the image contract asks (docs/image-contract.md):
// both targets, the service's own uid as USER, a /tmp volume it owns. Pinned bases and a non-root USER
// are the pack's Dockerfile rules (policies/dockerfile), whose parser this reads with. Each finding names the file
// and line, what was expected and what was found.
import type { Instruction } from "dockerfile-ast";
import { baseImage, chainOf, CONTRACT_STAGES, parseDockerfile, type Stage } from "../../policies/dockerfile/parse";
import { UID_BUILD_ARG } from "../../components/service/catalog";

/** The stages every application image provides (design: "Container Specifications"). */
export const REQUIRED_STAGES = CONTRACT_STAGES;
export { baseImage };
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

const stagesOf = (text: string) => parseDockerfile("Dockerfile", text).stages;

const line = (i: Instruction) => i.getRange().start.line + 1;

export function lintDockerfile(file: string, text: string): string[] {
    const stages = stagesOf(text);
    const stageNames = new Set(stages.map((s) => s.from.getBuildStage()));
    const findings: string[] = [];
    for (const name of REQUIRED_STAGES) {
        const stage = stages.find((s) => s.from.getBuildStage() === name);
        if (!stage) {
            findings.push(`${file}: expected a stage named ${name}, found ${[...stageNames].join(", ") || "none"}`);
            continue;
        }
        // Instructions nearest first, each with its stage (for the ARG's scope).
        const chain = chainOf(stage, stages).flatMap((s) => [...s.instructions].reverse().map((instruction) => ({ stage: s, instruction })));
        const user = chain.find(({ instruction }) => instruction.getKeyword() === "USER");
        const userText = user?.instruction.getArgumentsContent() ?? "";
        if (!user || !USER_IS_UID.test(userText) || !seesUidArgument(user.stage, user.instruction)) {
            const found = !user
                ? "none (root)"
                : USER_IS_UID.test(userText)
                  ? `USER ${userText} without ARG ${UID_BUILD_ARG} in its stage`
                  : `USER ${userText}`;
            findings.push(
                `${file}:${line(stage.from)}: stage ${name}: expected ${EXPECTED_USER} after ARG ${UID_BUILD_ARG} in the same stage (the service's own uid, a build argument), found ${found}`,
            );
        }
        // Nearest first: the VOLUME must come after (i.e. be found before) the chown.
        const volume = chain.findIndex(({ instruction: i }) => i.getKeyword() === "VOLUME" && /["\s[]\/tmp["\s\]]|^\/tmp$/.test(i.getArgumentsContent() ?? ""));
        const chown = chain.findIndex(
            ({ stage: s, instruction: i }) => i.getKeyword() === "RUN" && CHOWNS_TMP.test(i.getArgumentsContent() ?? "") && seesUidArgument(s, i),
        );
        if (volume < 0 || chown < volume) {
            findings.push(
                `${file}:${line(stage.from)}: stage ${name}: expected /tmp owned by $${UID_BUILD_ARG}:$${UID_BUILD_ARG} (RUN chown after ARG ${UID_BUILD_ARG}) and then declared a VOLUME, found ${volume < 0 ? "no VOLUME /tmp" : "no chown before it"}`,
            );
        }
    }
    return findings;
}

export function stagesByName(text: string): { readonly stages: readonly Stage[]; readonly stage: (name: string) => Stage | undefined } {
    const stages = stagesOf(text);
    return { stages, stage: (name) => stages.find((s) => s.from.getBuildStage() === name) };
}
