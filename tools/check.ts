// npm run -s check -- --stack <dev|staging|prod|pr> | --input <file|-> [--format text|json|sarif|junit] [--out FILE]
// Runs the CrossGuard rules (policies/rules) offline over the stack's plan or a file the Pulumi CLI
// wrote, with each stack's policy config and waivers (policies/config/<stack>.json).
import * as fs from "node:fs";
import * as path from "node:path";
// The input reader, the rules and the report are imported where they are used, once the command line
// is valid, so --help and usage errors load none of them. A check of a file loads no Pulumi SDK (the
// rules name types by token, policies/lib/resource-types.ts); --stack loads them to plan the program.
import type { CheckInput } from "../policies/input/read";
import type { Report } from "../policies/report/findings";
import { renderJson } from "../policies/report/json";
import { renderText } from "../policies/report/text";
import { expectedErrors, isExpectedError, outOption, planFromArgs, planOptions, runTool, type ToolSpec, type ToolValues, UsageError, writeResult } from "./cli";
import { fileProblem, PathError } from "../lib/file-problems";
import type { Plan } from "../lib/plan-engine";
import { printable } from "../lib/terminal-text";
import { InputError } from "../policies/input/errors";
import { readInputText } from "../policies/input/text";
import { STACK_VALUE } from "../lib/stacks";

export const FORMATS = ["text", "json", "sarif", "junit"] as const;
type Format = (typeof FORMATS)[number];

const options = {
    ...planOptions,
    stack: {
        type: "string",
        value: "<dev|staging|prod|pr>",
        description:
            "the stack whose offline plan to check (Pulumi.<stack>.yaml; pr is the review-stack template, whose stacks pr-<...> read its policy config)",
    },
    input: {
        type: "string",
        value: "<file|->",
        description: "check a saved file instead: `pulumi stack export`, `pulumi preview --json` or the plan JSON (- reads stdin)",
    },
    "stack-config": {
        type: "string",
        value: "<stack>",
        description:
            "with --input: the policy config to apply, policies/config/<stack>.json (default: the stack its URNs name; a stack without one gets each policy's default, as pulumi does without --policy-pack-config)",
    },
    dockerfiles: {
        type: "string",
        value: "<folder>",
        description: "check every Dockerfile under a folder against the Dockerfile rules instead (--stack also checks those its plan builds)",
    },
    // No parser default: an explicit --format text must be seen to refuse it beside --json.
    format: { type: "string", value: "<text|json|sarif|junit>", description: "the result's format (default: text)" },
    json: { type: "boolean", description: "same as --format json" },
    "include-plan": { type: "boolean", description: "with --format json: add the checked resources as `plan`" },
    today: { type: "string", value: "<YYYY-MM-DD>", description: "judge waiver expiry as of this day (UTC; default: today)" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "check",
    summary: "checks a stack's plan, or a file the Pulumi CLI wrote, against the security policy pack offline (no Pulumi CLI or cloud account)",
    usage: [
        `--stack ${STACK_VALUE} [--config-file <file>] [--format <text|json|sarif|junit>] [--out <file>]`,
        "--input <file|-> [--stack-config <stack>] [--format <text|json|sarif|junit>] [--out <file>]",
        "--dockerfiles <folder> [--format <text|json|sarif|junit>] [--out <file>]",
    ],
    options,
    examples: [
        "npm run -s check -- --stack prod",
        "npm run -s check -- --dockerfiles images --format sarif --out out/dockerfiles.sarif",
        "pulumi stack export --stack prod | npm run -s check -- --input - --format sarif --out out/check.sarif",
        "pulumi preview --json --show-sames --stack staging > preview.json && npm run -s check -- --input preview.json --format junit --out out/check.xml",
        "npm run -s check -- --stack pr",
    ],
    exitCodes: { 0: "no failing finding (none, or advisory or waived only)", 1: "a mandatory finding, or a waiver without a reason or past its date" },
};

type Values = ToolValues<typeof options>;

/** A real day as YYYY-MM-DD: the Date of an impossible one (2027-02-30) is invalid or rolls over to another day. */
function isCalendarDay(text: string): boolean {
    const day = new Date(`${text}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** The format asked for, after the checks parseArgs cannot make (which options go together). */
export function checkedFormat(values: Values): Format {
    const sources = [values.stack, values.input, values.dockerfiles].filter((v) => v !== undefined).length;
    if (sources !== 1) throw new UsageError("give one of --stack, --input or --dockerfiles");
    if (values.dockerfiles !== undefined && (values["stack-config"] !== undefined || values["config-file"] !== undefined || values["include-plan"]))
        throw new UsageError("--dockerfiles checks files only: it takes no --stack-config, --config-file or --include-plan");
    if (values.input === undefined && values["stack-config"] !== undefined)
        throw new UsageError("--stack-config goes with --input (--stack already names the config)");
    if (values.input !== undefined && values["config-file"] !== undefined)
        throw new UsageError("--config-file goes with --stack (an --input file is checked as it was planned)");
    if (values.today !== undefined && !isCalendarDay(values.today))
        throw new UsageError(`option --today: expected a day as YYYY-MM-DD, found ${JSON.stringify(values.today)}`);
    if (values.json) {
        if (values.format !== undefined && values.format !== "json")
            throw new UsageError(`--json is --format json; it cannot be combined with --format ${values.format}`);
        return "json";
    }
    const format = values.format ?? "text";
    if (values["include-plan"] && format !== "json") throw new UsageError("--include-plan goes with --format json");
    if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`option --format: expected one of ${FORMATS.join(", ")}, found ${JSON.stringify(format)}`);
    return format as Format;
}

/** A line on stderr that is not the verdict (which settings were applied, what was not judged). */
function note(text: string): void {
    process.stderr.write(`check: note: ${printable(text)}\n`);
}

async function programInput(values: { stack?: string; "config-file"?: string }): Promise<{ input: CheckInput; stack: string; plan: Plan }> {
    const { InputError, planInput } = await import("../policies/input/read");
    const plan = await planFromArgs(values).catch((err: unknown) => {
        if (isExpectedError(err)) throw err;
        // Exit 1 means "violations found"; a program that cannot plan has not been checked at all.
        throw new InputError(`stack ${values.stack}: the offline plan failed, so nothing was checked: ${err instanceof Error ? err.message : String(err)}`);
    });
    return { input: await planInput(plan), stack: plan.stack, plan };
}

const RENDERERS: Record<Format, (report: Report, plan: unknown) => string | Promise<string>> = {
    text: renderText,
    json: renderJson,
    // SARIF reads the rules' metadata, JUnit its writer library: loaded for their output only.
    sarif: async (report) => (await import("../policies/report/sarif")).renderSarif(report, packVersion()),
    junit: async (report) => (await import("../policies/report/junit")).renderJunit(report),
};

if (require.main === module)
    runTool(spec, async (values) => {
        const format = checkedFormat(values);
        const { readInput, stackOfUrns } = await import("../policies/input/read");
        const { evaluate, PolicyConfigError, RuleError, stackSettings } = await import("../policies/offline");
        const { buildReport, fails } = await import("../policies/report/findings");
        // An unreadable input or policy config, or a rule that cannot read a resource, is never a pass.
        expectedErrors(InputError, PolicyConfigError, RuleError);
        if (values.dockerfiles !== undefined) return checkDockerfiles(values.dockerfiles, format, values.out);
        const { documentSettings, stackRuleNames } = await import("../policies/offline");
        const { partialNote } = await import("../policies/report/text");
        let checked: { input: CheckInput; stack: string; plan?: Plan; settings: ReturnType<typeof stackSettings> };
        if (values.input === undefined) {
            const program = await programInput(values);
            checked = { ...program, settings: stackSettings(program.stack) };
        } else {
            const file = values.input === "-" ? "standard input" : values.input;
            const input = await readInput(await readInputText(values.input), file);
            const stack = values["stack-config"] ?? stackOfUrns(input);
            if (values["stack-config"] !== undefined)
                checked = { input, stack: values["stack-config"], settings: stackSettings(values["stack-config"], "--stack-config") };
            else if (stack !== undefined) {
                const chosen = documentSettings(stack, `${file}: the stack its URNs name`);
                if (chosen.note) note(chosen.note);
                checked = { input, stack, settings: chosen.settings };
            } else if (input.resources.length === 0) checked = { input, stack: "(none)", settings: new Map() };
            else throw new InputError(`${file}: its URNs name no stack; pass --stack-config <stack>`);
        }
        const { input, stack, settings } = checked;
        const partial = input.omitted ? { omitted: input.omitted, notJudged: stackRuleNames() } : undefined;
        if (partial) note(partialNote(partial));
        // A destroyed stack's export, or a preview with nothing to create or change: a verdict, not an error.
        if (input.resources.length === 0)
            note(`${values.input === "-" ? "standard input" : values.input}: the ${input.format} holds no resource to judge: nothing to check`);
        const violations =
            input.resources.length === 0
                ? []
                : await evaluate(input.resources, settings, { today: values.today, stackUrn: input.stackUrn, stackRules: partial === undefined });
        // The program's own plan: the Dockerfiles it builds are judged too (never paths a document names).
        const dockerfiles = checked.plan ? await judgedDockerfiles(await plannedDockerfilesOf(checked.plan)) : undefined;
        const report = buildReport(
            [...violations, ...(dockerfiles?.violations ?? [])],
            input.resources,
            { stack, format: input.format, ...(partial ? { partial } : {}) },
            dockerfiles,
        );
        const plan = values["include-plan"]
            ? (checked.plan ?? { format: input.format, resources: input.resources.map(({ outputs: _o, ...r }) => r) })
            : undefined;
        const text = await RENDERERS[format](report, plan);
        writeResult(text, values.out);
        return report.findings.some(fails) ? 1 : 0;
    });

const REPOSITORY = path.join(__dirname, "..");

async function plannedDockerfilesOf(plan: Plan) {
    const { plannedDockerfiles } = await import("../policies/dockerfile/files");
    return plannedDockerfiles(plan.resources, REPOSITORY);
}

/** The Dockerfile rules over files: findings and the report's view of them. */
async function judgedDockerfiles(files: readonly import("../policies/dockerfile/judge").DockerfileText[], only = false) {
    const { judgeDockerfiles } = await import("../policies/dockerfile/judge");
    const { dockerfileRules } = await import("../policies/dockerfile/rules");
    return { ...judgeDockerfiles(files), rules: dockerfileRules, only };
}

/** check --dockerfiles <folder>: every Dockerfile under it, in the same formats; exit 1 on a finding. */
async function checkDockerfiles(folder: string, format: Format, out: string | undefined): Promise<number> {
    const { folderDockerfiles } = await import("../policies/dockerfile/files");
    const { buildReport, fails } = await import("../policies/report/findings");
    let files;
    try {
        files = folderDockerfiles(folder, process.cwd());
    } catch (err) {
        throw new PathError(`${folder}: cannot be read: ${fileProblem(err)}`);
    }
    if (files.length === 0)
        throw new PathError(`${folder}: expected a folder holding a Dockerfile (Dockerfile, Dockerfile.<name> or <name>.Dockerfile), found none`);
    const judged = await judgedDockerfiles(files, true);
    const report = buildReport(judged.violations, [], { stack: folder, format: "dockerfiles" }, judged);
    writeResult(await RENDERERS[format](report, undefined), out);
    return report.findings.some(fails) ? 1 : 0;
}

function packVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policies", "package.json"), "utf8")) as { version: string }).version;
}
