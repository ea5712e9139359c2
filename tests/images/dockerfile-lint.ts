// Lints a stand-in's Dockerfile against the image contract (docs/image-contract.md), parsed by
// dockerfile-ast (the parser behind VS Code's Docker language service). Each finding names the file
// and line, what was expected and what was found.
import { DockerfileParser, type From, type Instruction } from "dockerfile-ast";
import { UID_BUILD_ARG } from "../../components/service/catalog";

/** The stages every application image provides (design: "Container Specifications"). */
export const REQUIRED_STAGES = ["development", "production"] as const;
/** A version a tag pins: an exact patch release (3.11.13-slim-bookworm, 1.27.5-alpine3.21). */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-_.][\w.-]+)?$/;
/** `$APP_UID:$APP_UID`, braces and quotes allowed: the service's own uid as its user and group. */
const UID_PAIR = `"?\\$\\{?${UID_BUILD_ARG}\\}?:\\$\\{?${UID_BUILD_ARG}\\}?"?`;
const USER_IS_UID = new RegExp(`^${UID_PAIR}$`);
const CHOWNS_TMP = new RegExp(`chown ${UID_PAIR} /tmp\\b`);
const EXPECTED_USER = `USER $${UID_BUILD_ARG}:$${UID_BUILD_ARG}`;

interface Stage {
    readonly from: From;
    readonly instructions: Instruction[];
}

/** Whether `instruction` of `stage` sees the build argument: an ARG is in scope only in its own stage, after it. */
function seesUidArgument(stage: Stage, instruction: Instruction): boolean {
    const before = stage.instructions.slice(0, stage.instructions.indexOf(instruction));
    return before.some((i) => i.getKeyword() === "ARG" && (i.getArgumentsContent() ?? "").split("=")[0] === UID_BUILD_ARG);
}

function stagesOf(text: string): Stage[] {
    const stages: Stage[] = [];
    for (const instruction of DockerfileParser.parse(text).getInstructions()) {
        if (instruction.getKeyword() === "FROM") stages.push({ from: instruction as From, instructions: [] });
        else stages.at(-1)?.instructions.push(instruction);
    }
    return stages;
}

/** The stage and its ancestors (FROM <stage>), nearest first. */
function chainOf(stage: Stage, stages: readonly Stage[]): Stage[] {
    const parent = stages.find((s) => s.from.getBuildStage() === stage.from.getImageName() && s !== stage);
    return [stage, ...(parent ? chainOf(parent, stages) : [])];
}

/** The external image a stage's chain starts from. */
export function baseImage(stage: Stage, stages: readonly Stage[]): From {
    return chainOf(stage, stages).at(-1)?.from ?? stage.from;
}

const line = (i: Instruction) => i.getRange().start.line + 1;

export function lintDockerfile(file: string, text: string): string[] {
    const stages = stagesOf(text);
    const stageNames = new Set(stages.map((s) => s.from.getBuildStage()));
    const findings: string[] = [];
    for (const { from } of stages) {
        if (stageNames.has(from.getImageName() ?? "")) continue;
        const tag = from.getImageTag() ?? "";
        if (from.getImageDigest()) continue;
        if (!EXACT_VERSION.test(tag)) {
            findings.push(
                `${file}:${line(from)}: FROM ${from.getImageName()}: expected a tag pinning an exact version (e.g. 3.11.13-slim-bookworm) or a digest, found ${JSON.stringify(tag || "no tag")}`,
            );
        }
    }
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

export function stagesByName(text: string): { readonly stages: Stage[]; readonly stage: (name: string) => Stage | undefined } {
    const stages = stagesOf(text);
    return { stages, stage: (name) => stages.find((s) => s.from.getBuildStage() === name) };
}
