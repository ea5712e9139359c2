// npm run -s plan -- --stack <dev|staging|prod|pr> [--json] [--out FILE]
// Prints the stack's resource graph offline: no Pulumi CLI, no Docker, no cloud.
import { outOption, planFromArgs, planOptions, runTool, type ToolSpec, writeResult } from "./cli";
import type { Plan, PlanResource } from "../lib/plan-engine";
import { STACK_VALUE } from "../lib/stacks";

const KEY_SETTINGS: Record<string, string[]> = {
    "docker:index/container:Container": ["image", "user", "memory", "cpus", "restart", "ports", "networksAdvanced"],
    "docker:index/network:Network": ["name", "internal"],
    "docker:index/volume:Volume": ["name"],
    "docker:index/remoteImage:RemoteImage": ["name"],
    "docker:index/image:Image": ["imageName", "build"],
};

function brief(value: unknown): string {
    const text = JSON.stringify(value);
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function settingsOf(resource: PlanResource): string {
    const keys =
        KEY_SETTINGS[resource.type] ??
        Object.keys(resource.inputs)
            .filter((k) => {
                const v = resource.inputs[k];
                return v !== null && typeof v !== "object";
            })
            .slice(0, 6);
    return keys
        .filter((k) => resource.inputs[k] !== undefined)
        .map((k) => `${k}=${brief(resource.inputs[k])}`)
        .join(" ");
}

const options = {
    ...planOptions,
    json: { type: "boolean", description: "print the plan as JSON (the contract the check, diagrams and diffs read)" },
    ...outOption,
} as const;

export function renderTree(plan: Plan): string {
    const children = new Map<string | null, PlanResource[]>();
    for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines = [`${plan.project}/${plan.stack}: ${plan.resources.length} resources`];
    const walk = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const flags = [r.options.protect ? "protected" : "", r.options.retainOnDelete ? "retained" : ""].filter(Boolean).join(",");
            lines.push(`${"  ".repeat(depth)}${r.type} ${r.name}${flags ? ` [${flags}]` : ""}`);
            const settings = settingsOf(r);
            if (settings) lines.push(`${"  ".repeat(depth + 2)}${settings}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    lines.push("outputs:", ...Object.entries(plan.outputs).map(([k, v]) => `  ${k}: ${brief(v)}`));
    return lines.join("\n");
}

export const spec: ToolSpec<typeof options> = {
    name: "plan",
    summary: "prints a stack's resource graph offline (no Pulumi CLI, Docker or cloud account), as a tree or as the plan JSON",
    usage: [`--stack ${STACK_VALUE} [--json] [--out <file>] [--config-file <file>]`],
    options,
    examples: [
        "npm run -s plan -- --stack dev",
        "npm run -s plan -- --stack prod --json | jq '.resources | length'",
        "npm run -s plan -- --stack prod --json --out out/prod-plan.json",
    ],
    exitCodes: { 0: "the plan was printed" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        const plan = await planFromArgs(values);
        writeResult(values.json ? JSON.stringify(plan, null, 2) : renderTree(plan), values.out);
        return 0;
    });
