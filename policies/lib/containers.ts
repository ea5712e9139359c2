// How the container rules read each platform's containers from provider inputs: a docker Container's
// own arguments, or the containerDefinitions JSON of an ECS task definition.
import type { ReportViolation } from "@pulumi/policy";

/** The fields of one ECS container definition that the rules check (AWS's JSON field names). */
export interface EcsContainer {
    readonly name?: string;
    readonly image?: string;
    readonly user?: string;
    readonly cpu?: number;
    readonly memory?: number;
    readonly environment?: { readonly name?: string; readonly value?: string }[];
    readonly healthCheck?: { readonly command?: string[] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The task's containers; a definition the rules cannot read is itself a violation (unverifiable counts as insecure). */
export function ecsContainers(containerDefinitions: unknown, reportViolation: ReportViolation): EcsContainer[] {
    let parsed: unknown;
    try {
        parsed = typeof containerDefinitions === "string" ? JSON.parse(containerDefinitions) : containerDefinitions;
    } catch {
        parsed = undefined;
    }
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isRecord)) return parsed as EcsContainer[];
    reportViolation(
        `ECS task definitions must declare containerDefinitions as a readable JSON array; found ${JSON.stringify(containerDefinitions)?.slice(0, 60)}.`,
    );
    return [];
}

export function ecsContainerLabel(container: EcsContainer, index: number): string {
    return `container ${container.name ?? `#${index}`}`;
}

export interface EnvironmentVariable {
    readonly name: string;
    readonly value: string;
}

/** A docker Container's `envs` ("NAME=value"); an entry without "=" (e.g. a whole-entry secret) has no name. */
export function dockerEnvironment(envs: readonly string[] | undefined): EnvironmentVariable[] {
    return (envs ?? []).map((entry) => {
        const equals = entry.indexOf("=");
        return equals < 0 ? { name: "", value: entry } : { name: entry.slice(0, equals), value: entry.slice(equals + 1) };
    });
}
