// What an update of one resource sends, as the Pulumi engine and a bridged (Terraform) provider work it
// out from the previous deploy and the program: for replaying several deploys against the state a cloud
// service leaves behind, without the engine.
import { changedPaths } from "../../tools/diff/compare";

type Properties = Record<string, unknown>;

const under = (path: string, ignored: string) => path === ignored || path.startsWith(`${ignored}.`) || path.startsWith(`${ignored}[`);

/**
 * The program's inputs with each ignoreChanges path set back to its value in the old inputs (removed
 * where the old inputs lack it): pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * processIgnoreChanges (PropertyPath.Reset from the old inputs). Top-level and dotted paths.
 */
export function applyIgnoreChanges(news: Properties, oldInputs: Properties, ignoreChanges: readonly string[]): Properties {
    const result = structuredClone(news);
    for (const path of ignoreChanges) {
        const keys = path.split(".");
        const last = keys.pop()!;
        const from = keys.reduce<Properties | undefined>((o, k) => o?.[k] as Properties | undefined, oldInputs);
        const to = keys.reduce<Properties | undefined>((o, k) => o?.[k] as Properties | undefined, result);
        if (to === undefined) continue;
        if (from !== undefined && last in from) to[last] = structuredClone(from[last]);
        else delete to[last];
    }
    return result;
}

/**
 * The attribute paths an update sends: where the provider's prior state (what it last read from the
 * cloud) differs from the inputs the engine hands it, less every path under an ignored one, which the
 * bridge drops from the provider's diff (pulumi/pulumi-terraform-bridge, processIgnoreChanges on the
 * InstanceDiff's attributes).
 */
export function updatedPaths(priorState: Properties, inputs: Properties, ignoreChanges: readonly string[]): string[] {
    return changedPaths(priorState, inputs)
        .map((c) => c.path)
        .filter((path) => !ignoreChanges.some((ignored) => under(path, ignored)));
}

/** The prior state with the sent paths taken from the inputs: what the provider holds after the update. */
export function applyUpdate(priorState: Properties, inputs: Properties, paths: readonly string[]): Properties {
    const result = structuredClone(priorState);
    const topLevel = new Set(paths.map((p) => p.split(/[.[]/)[0]));
    for (const key of topLevel) {
        if (key in inputs) result[key] = structuredClone(inputs[key]);
        else delete result[key];
    }
    return result;
}
