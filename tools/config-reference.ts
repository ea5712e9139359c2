// npm run -s config-reference [-- --write]
// docs/configuration.md's reference tables, generated from Pulumi.yaml (types, defaults,
// descriptions), config.ts (what each key accepts, per environment) and the shipped stack files, so
// the page cannot drift from what the program validates (a test compares them).
import * as path from "node:path";
// config.ts and the stack file reader are imported where they are used: they load the Pulumi SDK,
// which --help and usage errors do not need.
import type { ConfigKey } from "../config";
import { runTool, type ToolSpec } from "./cli";
import { checkGeneratorValues, generate, type GeneratedBlock, generatorOptions } from "./generated-page";
import { SECRET_PLACEHOLDER } from "../lib/placeholders";

export const configReferenceBlock: GeneratedBlock = {
    page: "docs/configuration.md",
    begin: "<!-- config-reference:begin (npm run -s config-reference -- --write) -->",
    end: "<!-- config-reference:end -->",
};
const projectDir = path.resolve(__dirname, "..");
const shippedStacks = ["dev", "staging", "prod"] as const;

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

function code(value: unknown): string {
    return value === "" ? '`""` (none)' : `\`${String(value)}\``;
}

async function keysTable(): Promise<string[]> {
    const { environmentMinimums, environments, fields } = await import("../config");
    const { readProjectFile } = await import("../lib/stack-config");
    const declared = readProjectFile(projectDir).config ?? {};
    const rows = (Object.keys(fields) as ConfigKey[]).map((key) => {
        const declaration = declared[key];
        const { type, description, default: fallback } = typeof declaration === "object" ? declaration : { type: "", description: "", default: declaration };
        // Where an environment tightens the general range, each environment's own minimum.
        const minimums = environments.flatMap((e) => (environmentMinimums[e][key] === undefined ? [] : [`${environmentMinimums[e][key]} in ${e}`]));
        const accepts = fields[key].expected + (minimums.length ? `; at least ${minimums.join(", ")}` : "");
        return `| \`${key}\` | ${type} | ${fallback === undefined ? "(set per stack)" : code(fallback)} | ${cell(accepts)} | ${cell(description ?? "")} |`;
    });
    return ["| key | type | default | accepts | meaning |", "| --- | --- | --- | --- | --- |", ...rows];
}

async function stacksTable(): Promise<string[]> {
    const { fields, PROJECT } = await import("../config");
    const { readStackConfig } = await import("../lib/stack-config");
    const stacks = shippedStacks.map((stack) => {
        const read = readStackConfig(projectDir, stack);
        // Only what the stack file itself sets; the rest is Pulumi.yaml's default.
        const own = Object.keys(read.config).filter((key) => read.positions[key]?.file.endsWith(`Pulumi.${stack}.yaml`));
        return { config: read.config, own: new Set(own) };
    });
    const keys = [...new Set(stacks.flatMap((s) => [...s.own]))].sort((a, b) => {
        const order = (k: string) => (k.startsWith(`${PROJECT}:`) ? Object.keys(fields).indexOf(k.slice(PROJECT.length + 1)) : -1);
        return order(a) - order(b) || a.localeCompare(b);
    });
    const value = (s: (typeof stacks)[number], key: string) =>
        !s.own.has(key) ? (key.startsWith(`${PROJECT}:`) ? "(default)" : "(not set)") : s.config[key] === SECRET_PLACEHOLDER ? "(secret)" : code(s.config[key]);
    return [
        `| key | ${shippedStacks.join(" | ")} |`,
        `| --- | ${shippedStacks.map(() => "---").join(" | ")} |`,
        ...keys.map((key) => `| \`${key}\` | ${stacks.map((s) => value(s, key)).join(" | ")} |`),
    ];
}

/** The generated block: every key, then what each shipped stack sets. */
export async function renderConfigReference(): Promise<string> {
    return [
        configReferenceBlock.begin,
        "### Keys",
        "",
        ...(await keysTable()),
        "",
        "### What each shipped stack sets",
        "",
        ...(await stacksTable()),
        configReferenceBlock.end,
    ].join("\n");
}

export const spec: ToolSpec<typeof generatorOptions> = {
    name: "config-reference",
    summary: "prints the configuration reference (Markdown) generated from Pulumi.yaml, config.ts and the shipped stack files",
    usage: ["[--out <file>]", "--write"],
    options: generatorOptions,
    examples: ["npm run -s config-reference", "npm run -s config-reference -- --write"],
    exitCodes: { 0: "the reference was printed or written" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        checkGeneratorValues(values, configReferenceBlock);
        generate(values, configReferenceBlock, await renderConfigReference());
        return 0;
    });
