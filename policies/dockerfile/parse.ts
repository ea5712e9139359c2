// A Dockerfile as the Dockerfile rules read it, parsed by dockerfile-ast (the parser behind VS Code's
// Docker language service): its build stages, each with its FROM and its instructions, and the
// stages an image ships.
import { DockerfileParser, type From, type Instruction } from "dockerfile-ast";

/** The stages every application image provides (design: "Container Specifications"; docs/image-contract.md). */
export const CONTRACT_STAGES = ["development", "production"] as const;

export interface Stage {
    readonly from: From;
    readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
    /** The file as reports name it (relative to the repository or the checked folder). */
    readonly file: string;
    readonly stages: readonly Stage[];
}

export function parseDockerfile(file: string, text: string): Dockerfile {
    const stages: { from: From; instructions: Instruction[] }[] = [];
    for (const instruction of DockerfileParser.parse(text).getInstructions()) {
        if (instruction.getKeyword() === "FROM") stages.push({ from: instruction as From, instructions: [] });
        else stages.at(-1)?.instructions.push(instruction);
    }
    return { file, stages };
}

/** The 1-based line an instruction starts on. */
export function lineOf(instruction: Instruction): number {
    return instruction.getRange().start.line + 1;
}

/** A stage's name (FROM ... AS <name>), if it has one. */
export function stageName(stage: Stage): string | undefined {
    return stage.from.getBuildStage() ?? undefined;
}

/** The earlier stage a FROM names (FROM <stage>), if it names one rather than an image. */
export function parentStage(stage: Stage, stages: readonly Stage[]): Stage | undefined {
    const image = stage.from.getImageName();
    const index = stages.indexOf(stage);
    return stages.slice(0, index).find((s) => image !== null && stageName(s) === image);
}

/** The stage and its ancestors (FROM <stage>), nearest first. */
export function chainOf(stage: Stage, stages: readonly Stage[]): Stage[] {
    const parent = parentStage(stage, stages);
    return [stage, ...(parent ? chainOf(parent, stages) : [])];
}

/** The external image a stage's chain starts from. */
export function baseImage(stage: Stage, stages: readonly Stage[]): From {
    return chainOf(stage, stages).at(-1)?.from ?? stage.from;
}

/** The stage named `name`, if any. */
export function stageNamed(dockerfile: Dockerfile, name: string): Stage | undefined {
    return dockerfile.stages.find((s) => stageName(s) === name);
}

/**
 * The stages an image ships: the contract's (development, production) where the file has them, and
 * the last stage, which `docker build` builds without --target.
 */
export function shippedStages(dockerfile: Dockerfile): Stage[] {
    const named = CONTRACT_STAGES.flatMap((name) => stageNamed(dockerfile, name) ?? []);
    const last = dockerfile.stages.at(-1);
    return last && !named.includes(last) ? [...named, last] : named;
}

/** The USER a stage runs as: the last USER of its chain (undefined: none, so root). */
export function effectiveUser(stage: Stage, stages: readonly Stage[]): Instruction | undefined {
    return chainOf(stage, stages)
        .flatMap((s) => [...s.instructions].reverse())
        .find((i) => i.getKeyword() === "USER");
}
