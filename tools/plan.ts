// npm run plan -- --stack <dev|staging|prod> [--json] [--config-file <path>]
// Prints the stack's resource graph offline: no Pulumi CLI, no Docker, no cloud.
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../config";
import { buildPlan, type Plan, type PlanResource } from "./plan-engine";
import { StackFileError } from "./stack-config";

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
    const keys = KEY_SETTINGS[resource.type] ?? Object.keys(resource.inputs).filter((k) => {
        const v = resource.inputs[k];
        return v !== null && typeof v !== "object";
    }).slice(0, 6);
    return keys.filter((k) => resource.inputs[k] !== undefined).map((k) => `${k}=${brief(resource.inputs[k])}`).join(" ");
}

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

async function main(): Promise<number> {
    const { values } = parseArgs({ options: { stack: { type: "string" }, json: { type: "boolean", default: false }, "config-file": { type: "string" } } });
    if (!values.stack) {
        process.stderr.write("usage: npm run plan -- --stack <dev|staging|prod> [--json] [--config-file <path>]\n");
        return 2;
    }
    try {
        const plan = await buildPlan(path.resolve(__dirname, ".."), values.stack, values["config-file"]);
        process.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${renderTree(plan)}\n`);
        return 0;
    } catch (err) {
        if (err instanceof ConfigError || err instanceof StackFileError) {
            process.stderr.write(`${err.message}\n`);
            return 2;
        }
        throw err;
    }
}

if (require.main === module) {
    main().then((code) => process.exit(code), (err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
    });
}
