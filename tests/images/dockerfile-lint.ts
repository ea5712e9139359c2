// Lints a stand-in's Dockerfile against the image contract (docs/image-contract.md), parsed by
// dockerfile-ast (the parser behind VS Code's Docker language service). Each finding names the file
// and line, what was expected and what was found.
import { DockerfileParser, type From, type Instruction } from "dockerfile-ast";
import { APPLICATION_USER } from "../../components/shared/images";

/** The stages every application image provides (design: "Container Specifications"). */
export const REQUIRED_STAGES = ["development", "production"] as const;
/** A version a tag pins: an exact patch release (3.11.13-slim-bookworm, 1.27.5-alpine3.21). */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-_.][\w.-]+)?$/;

interface Stage {
    readonly from: From;
    readonly instructions: Instruction[];
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
        const chain = chainOf(stage, stages).flatMap((s) => [...s.instructions].reverse());
        const user = chain.find((i) => i.getKeyword() === "USER");
        if (user?.getArgumentsContent() !== APPLICATION_USER) {
            findings.push(
                `${file}:${line(stage.from)}: stage ${name}: expected USER ${APPLICATION_USER} (the contract's non-root user), found ${user ? `USER ${user.getArgumentsContent()}` : "none (root)"}`,
            );
        }
        // Instructions nearest first: the VOLUME must come after (i.e. be found before) the chown.
        const volume = chain.findIndex((i) => i.getKeyword() === "VOLUME" && /["\s[]\/tmp["\s\]]|^\/tmp$/.test(i.getArgumentsContent() ?? ""));
        const chown = chain.findIndex((i) => i.getKeyword() === "RUN" && (i.getArgumentsContent() ?? "").includes(`chown ${APPLICATION_USER} /tmp`));
        if (volume < 0 || chown < volume) {
            findings.push(
                `${file}:${line(stage.from)}: stage ${name}: expected /tmp owned by ${APPLICATION_USER} (RUN chown) and then declared a VOLUME, found ${volume < 0 ? "no VOLUME /tmp" : "no chown before it"}`,
            );
        }
    }
    return findings;
}

export function stagesByName(text: string): { readonly stages: Stage[]; readonly stage: (name: string) => Stage | undefined } {
    const stages = stagesOf(text);
    return { stages, stage: (name) => stages.find((s) => s.from.getBuildStage() === name) };
}
