// How the container rules read each platform's containers from provider inputs: a docker Container's
// own arguments, or the containerDefinitions JSON of an ECS task definition. Every reader accepts any
// JSON value (a secret included) and never throws.
import type { ReportViolation } from "@pulumi/policy";
import { at } from "./report";
import { deepFreeze, isRecord, type Props, records, shown, strings } from "./values";

/** One ECS container definition (AWS's JSON field names), with the property path of its messages. */
export interface EcsContainer {
    readonly definition: Props;
    /** e.g. "containerDefinitions[0]". */
    readonly path: string;
    /** e.g. "container backend". */
    readonly label: string;
}

// A task's container rules run one after another (the analyzer and the offline check both take each
// resource through every rule in turn), so the last definitions read are kept: a task's JSON is parsed
// once, not once per rule. Frozen, since the rules share them.
let lastRead: { readonly text: string; readonly parsed: unknown } | undefined;

function parsedDefinitions(containerDefinitions: unknown): unknown {
    if (typeof containerDefinitions !== "string") return containerDefinitions;
    if (lastRead?.text !== containerDefinitions) {
        let parsed: unknown;
        try {
            parsed = deepFreeze(JSON.parse(containerDefinitions));
        } catch {
            parsed = undefined;
        }
        lastRead = { text: containerDefinitions, parsed };
    }
    return lastRead.parsed;
}

/** The task's containers; a definition the rules cannot read is itself a violation (unverifiable counts as insecure). */
export function ecsContainers(containerDefinitions: unknown, reportViolation: ReportViolation): EcsContainer[] {
    const parsed = parsedDefinitions(containerDefinitions);
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isRecord)) {
        return parsed.map((definition, i) => ({
            definition,
            path: `containerDefinitions[${i}]`,
            label: `container ${typeof definition.name === "string" ? definition.name : `#${i}`}`,
        }));
    }
    reportViolation(
        at(
            "containerDefinitions",
            `ECS task definitions must declare containerDefinitions as a readable JSON array, so the container rules can judge them; found ${shown(containerDefinitions)}.`,
        ),
    );
    return [];
}

export interface EnvironmentVariable {
    readonly name: string;
    readonly value: string;
}

/** A docker Container's `envs` ("NAME=value"); an entry without "=" (e.g. a whole-entry secret) has no name. */
export function dockerEnvironment(envs: unknown): EnvironmentVariable[] {
    return strings(envs).map((entry) => {
        const equals = entry.indexOf("=");
        return equals < 0 ? { name: "", value: entry } : { name: entry.slice(0, equals), value: entry.slice(equals + 1) };
    });
}

/** An ECS container definition's `environment` ({name, value} pairs; a non-string value reads as its JSON). */
export function ecsEnvironment(environment: unknown): EnvironmentVariable[] {
    return records(environment).map((variable) => ({
        name: typeof variable.name === "string" ? variable.name : "",
        value: typeof variable.value === "string" ? variable.value : (JSON.stringify(variable.value) ?? ""),
    }));
}
