// npm run check -- --stack <dev|staging|prod> [--config-file <path>] [--json]
// npm run check -- --input <plan.json|preview.json|export.json> [--stack-config <stack>] [--json]
// Runs the CrossGuard rules (policies/rules) offline over the stack's plan or a saved file.
// Exit 0: no mandatory violation; 1: at least one; 2: bad usage, unreadable input or config.
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "../config";
import { type CheckedResource, evaluate, PolicyConfigError, RuleError, stackSettings, type Violation } from "../policies/offline";
import { rules } from "../policies/rules";
import { planFromArgs, planOptions, runCli, UsageError } from "./cli";
import { mocks } from "./mocks";
import { type Plan, type PlanResource, plainValue } from "./plan-engine";
import { StackFileError } from "./stack-config";

export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The offline plan's resources; outputs are what tools/mocks.ts returns for them, as in the plan itself. */
export async function planResources(plan: Plan): Promise<CheckedResource[]> {
    return Promise.all(
        plan.resources.map(async (r: PlanResource) => {
            const { id, state } = await mocks.newResource({ type: r.type, name: r.name, inputs: r.inputs, custom: true });
            return { urn: r.urn, type: r.type, name: r.name, parent: r.parent, protect: r.options.protect, inputs: r.inputs, outputs: { ...state, id } };
        }),
    );
}

// One resource entry of a file; `where` names it in errors (e.g. "steps[3].newState").
function fileResource(entry: unknown, where: string): CheckedResource {
    if (!isRecord(entry)) throw new InputError(`${where}: expected an object, found ${JSON.stringify(entry)}`);
    for (const key of ["type", "urn"]) {
        if (typeof entry[key] !== "string" || entry[key] === "")
            throw new InputError(`${where}.${key}: expected a non-empty string, found ${JSON.stringify(entry[key])}`);
    }
    if (!isRecord(entry.inputs)) throw new InputError(`${where}.inputs: expected an object, found ${JSON.stringify(entry.inputs)}`);
    const urn = entry.urn as string;
    // Secrets become "[secret]" and unknowns "[unknown]", as in the offline plan.
    const inputs = plainValue(entry.inputs) as Json;
    // A preview's new state may carry few outputs: stack rules then see the inputs beneath them.
    const outputs = { ...inputs, ...(isRecord(entry.outputs) ? (plainValue(entry.outputs) as Json) : {}) };
    const options = isRecord(entry.options) ? entry.options : {};
    return {
        urn,
        type: entry.type as string,
        name: typeof entry.name === "string" ? entry.name : urn.slice(urn.lastIndexOf("::") + 2),
        parent: typeof entry.parent === "string" && entry.parent !== "" ? entry.parent : null,
        protect: entry.protect === true || options.protect === true,
        inputs,
        outputs: typeof entry.id === "string" ? { ...outputs, id: entry.id } : outputs,
    };
}

export type InputFormat = "plan" | "preview" | "export";

/** Recognises the plan JSON, `pulumi preview --json` output or `pulumi stack export`, and reads its resources. */
export async function readInput(text: string, file: string): Promise<{ format: InputFormat; resources: CheckedResource[] }> {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (err) {
        throw new InputError(`${file}: expected JSON, found a parse error: ${(err as Error).message}`);
    }
    let format: InputFormat;
    let resources: CheckedResource[];
    if (isRecord(document) && Array.isArray(document.resources)) {
        format = "plan";
        // A saved plan has no outputs: they come from the same mocks as when it was made.
        const read = document.resources.map((r, i) => fileResource(r, `resources[${i}]`));
        resources = await planResources({
            stack: "",
            project: "",
            outputs: {},
            invokes: [],
            resources: read.map((r) => ({
                urn: r.urn,
                type: r.type,
                name: r.name,
                parent: r.parent,
                inputs: r.inputs,
                options: { protect: r.protect, retainOnDelete: false, dependsOn: [] },
                dependencies: [],
            })),
        });
    } else if (isRecord(document) && Array.isArray(document.steps)) {
        format = "preview";
        // A deletion leaves no new state to check.
        resources = document.steps.flatMap((step, i) => {
            if (!isRecord(step)) throw new InputError(`steps[${i}]: expected an object, found ${JSON.stringify(step)}`);
            return step.newState === undefined && step.op === "delete" ? [] : [fileResource(step.newState, `steps[${i}].newState`)];
        });
    } else if (
        isRecord(document) &&
        isRecord(document.deployment) &&
        (Array.isArray(document.deployment.resources) || document.deployment.resources === undefined)
    ) {
        format = "export";
        resources = ((document.deployment.resources ?? []) as unknown[]).map((r, i) => fileResource(r, `deployment.resources[${i}]`));
    } else {
        throw new InputError(
            `${file}: expected the plan JSON ("resources"), \`pulumi preview --json\` output ("steps") or \`pulumi stack export\` ("deployment.resources"), found ${isRecord(document) ? `an object with keys ${Object.keys(document).join(", ") || "(none)"}` : JSON.stringify(document)?.slice(0, 40)}`,
        );
    }
    if (resources.length === 0) throw new InputError(`${file}: the ${format} holds no resources, so there is nothing to check`);
    return { format, resources };
}

/** The stack named by URNs (urn:pulumi:<stack>::<project>::...). */
export function stackOfUrns(resources: readonly CheckedResource[]): string | undefined {
    return /^urn:pulumi:([^:]+)::/.exec(resources[0]?.urn ?? "")?.[1];
}

export function renderViolations(violations: readonly Violation[], subject: string): string {
    const remediation = new Map(rules.map((r) => [r.name, r.remediationSteps ?? ""]));
    const mandatory = violations.filter((v) => v.enforcement === "mandatory").length;
    const lines = violations.map(
        (v) => `[${v.enforcement}] ${v.policy}\n  resource:    ${v.urn}\n  violation:   ${v.message}\n  remediation: ${remediation.get(v.policy)}`,
    );
    lines.push(`${subject}: ${rules.length} policies, ${violations.length} violations (${mandatory} mandatory, ${violations.length - mandatory} advisory)`);
    return lines.join("\n");
}

const USAGE =
    "usage: npm run check -- --stack <dev|staging|prod> [--config-file <path>] [--json]\n       npm run check -- --input <file> [--stack-config <stack>] [--json]";

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: { ...planOptions, input: { type: "string" }, "stack-config": { type: "string" }, json: { type: "boolean", default: false } },
    });
    if ((values.stack === undefined) === (values.input === undefined) || (values.input === undefined && values["stack-config"] !== undefined))
        throw new UsageError(USAGE);
    let document: Json;
    let resources: CheckedResource[];
    let stack: string;
    try {
        if (values.input === undefined) {
            const plan = await planFromArgs(values, USAGE).catch((err: unknown) => {
                if (err instanceof UsageError || err instanceof ConfigError || err instanceof StackFileError) throw err;
                // Exit 1 means "violations found"; a program that cannot plan has not been checked at all.
                throw new InputError(
                    `stack ${values.stack}: the offline plan failed, so nothing was checked: ${err instanceof Error ? err.message : String(err)}`,
                );
            });
            stack = plan.stack;
            document = { ...plan };
            resources = await planResources(plan);
        } else {
            const file = values.input;
            if (!fs.existsSync(file)) throw new InputError(`${file}: no such file`);
            const input = await readInput(fs.readFileSync(file, "utf8"), file);
            resources = input.resources;
            const named = values["stack-config"] ?? stackOfUrns(resources);
            if (named === undefined) throw new InputError(`${file}: its URNs name no stack; pass --stack-config <stack>`);
            stack = named;
            document = { format: input.format, resources: resources.map(({ outputs: _outputs, ...r }) => r) };
        }
        const violations = await evaluate(resources, stackSettings(stack));
        process.stdout.write(values.json ? `${JSON.stringify({ ...document, violations }, null, 2)}\n` : `${renderViolations(violations, `stack ${stack}`)}\n`);
        return violations.some((v) => v.enforcement === "mandatory") ? 1 : 0;
    } catch (err) {
        // An unreadable input or policy config, or a rule that cannot read a resource, is never a pass.
        if (!(err instanceof InputError || err instanceof PolicyConfigError || err instanceof RuleError)) throw err;
        process.stderr.write(`${err.message}\n`);
        return 2;
    }
}

if (require.main === module) runCli(main);
