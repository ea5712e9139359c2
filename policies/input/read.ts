// Reads what the offline check is given, exactly as the Pulumi CLI writes it:
// - `pulumi stack export`: an UntypedDeployment {version, deployment: DeploymentV3} whose resources are
//   ResourceV3 (pulumi/pulumi sdk/go/common/apitype/core.go): `inputs` and `outputs` are omitempty, so
//   the Stack, components and some providers carry none;
// - `pulumi preview --json`: a PreviewDigest {steps: [{op, urn, oldState, newState}]} whose states are
//   ResourceV3 too (pulumi/pulumi pkg/display/json.go; ops from pkg/resource/deploy/step.go);
// - this project's plan JSON (`npm run -s plan -- --json`).
// Custom resources are judged by their inputs (their outputs where a state has no inputs); the Stack,
// components and providers are context only; resources on their way out are not judged. Secret values
// (ciphertext or plaintext signature objects) become "[secret]", as in the plan.
import { isRecord, STACK_TYPE } from "../lib/values";
import type { CheckedResource } from "../offline";
import { mocks } from "../../lib/mocks";
import type { Plan } from "../../lib/plan-engine";
import { parseJsonText } from "../../lib/json-text";
import { plainFrozen, TooDeepError } from "../../lib/property-values";
import { InputError } from "./errors";

export { InputError };

export type InputFormat = "plan" | "preview" | "export";

export interface CheckInput {
    readonly format: InputFormat;
    /** The custom resources to judge. */
    readonly resources: CheckedResource[];
    /** The stack's own URN (findings about the stack as a whole), when the file names one. */
    readonly stackUrn: string | undefined;
    /**
     * A preview's unchanged resources it leaves out (`pulumi preview --json` without --show-sames
     * prints no step for them, but counts them in changeSummary.same): 0 when it holds them all.
     */
    readonly omitted?: number;
}

type Json = Record<string, unknown>;

function shown(value: unknown): string {
    return value === undefined ? "nothing" : (JSON.stringify(value)?.slice(0, 60) ?? String(value));
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** Deployment versions whose resources are ResourceV3 (4 only adds a `features` list). */
export const DEPLOYMENT_VERSIONS = [3, 4];

/**
 * The longest URN read (a resource's is its stack, project, type chain and name: well under this);
 * a longer one is refused rather than copied into every finding and report.
 */
export const MAX_URN_LENGTH = 16_384;

/** Preview steps whose resource is on its way out: only an old state, nothing to judge. */
const LEAVING_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

/** The offline plan's resources; outputs are what lib/mocks.ts returns for them, as in the plan itself. */
export async function planResources(plan: Plan): Promise<CheckedResource[]> {
    return Promise.all(
        plan.resources.map(async (r) => {
            const { id, state } = await mocks.newResource({ type: r.type, name: r.name, inputs: r.inputs, custom: true });
            return {
                urn: r.urn,
                type: r.type,
                name: r.name,
                parent: r.parent,
                protect: r.options.protect,
                inputs: r.inputs,
                outputs: { ...state, id },
                source: r.source ?? null,
            };
        }),
    );
}

// "project:///components/db.ts#75,9" (the engine's form, source_eval.go parseSourcePosition) → file and
// line. Another scheme (a position outside the project) says nothing this check can point at.
function sourcePosition(value: unknown, where: string, file: string): CheckedResource["source"] {
    const parsed = typeof value === "string" ? /^project:\/\/\/([^#]+)#(\d+)/.exec(value) : null;
    if (!parsed) return null;
    try {
        return { file: decodeURIComponent(parsed[1]), line: Number(parsed[2]) };
    } catch {
        throw new InputError(
            `${file}: ${where}.sourcePosition: expected project:///<path>#<line>[,<column>] with valid percent-escapes, found ${shown(value)}`,
        );
    }
}

function requireString(entry: Json, key: string, where: string, file: string): string {
    const value = entry[key];
    if (typeof value !== "string" || value === "") throw new InputError(`${file}: ${where}.${key}: expected a non-empty string, found ${shown(value)}`);
    if (value.length > MAX_URN_LENGTH)
        throw new InputError(
            `${file}: ${where}.${key}: expected at most ${MAX_URN_LENGTH} characters, found ${value.length} (starting ${shown(value.slice(0, 40))})`,
        );
    return value;
}

/** A property value read in place (plain JSON, frozen); one nested too deep to judge is the file's error. */
function judgedValue(value: Json, where: string, file: string): Json {
    try {
        return plainFrozen(value) as Json;
    } catch (err) {
        if (err instanceof TooDeepError) {
            const path = err.path.length > 80 ? `${err.path.slice(0, 80)}...` : err.path;
            throw new InputError(`${file}: ${where}${path === "" ? "" : `.${path}`}: ${err.message}`);
        }
        throw err;
    }
}

function optionalObject(entry: Json, key: string, where: string, file: string): Json | undefined {
    const value = entry[key];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) throw new InputError(`${file}: ${where}.${key}: expected an object, found ${shown(value)}`);
    return value;
}

/**
 * A ResourceV3 (export or preview state); undefined for what is not judged (Stack, components,
 * providers, pending deletions). `previous` is the state before, for a preview's update step: the
 * CLI prints its new state as the engine announces the step, before it runs, so with the new inputs
 * but no outputs (and maybe no id) yet; an update keeps the resource's id, ARN and other outputs.
 */
function stateResource(entry: unknown, where: string, file: string, previous?: unknown): { resource?: CheckedResource; urn: string; type: string } {
    if (!isRecord(entry)) throw new InputError(`${file}: ${where}: expected a resource object, found ${shown(entry)}`);
    const urn = requireString(entry, "urn", where, file);
    const type = requireString(entry, "type", where, file);
    const inputs = optionalObject(entry, "inputs", where, file);
    const outputs = optionalObject(entry, "outputs", where, file) ?? (isRecord(previous) ? optionalObject(previous, "outputs", where, file) : undefined);
    if (entry.custom !== true || type === STACK_TYPE || type.startsWith(PROVIDER_PREFIX) || entry.delete === true) return { urn, type };
    const ids = [entry.id, isRecord(previous) ? previous.id : undefined];
    const id = ids.find((value): value is string => typeof value === "string" && value !== "");
    // Read in place and frozen: the check shares these with every rule instead of copying them.
    const judgedInputs = judgedValue(inputs ?? outputs ?? {}, `${where}.${inputs ? "inputs" : "outputs"}`, file);
    const plainOutputs = outputs ? { ...judgedInputs, ...judgedValue(outputs, `${where}.outputs`, file) } : judgedInputs;
    return {
        urn,
        type,
        resource: {
            urn,
            type,
            name: urn.slice(urn.lastIndexOf("::") + 2),
            parent: typeof entry.parent === "string" && entry.parent !== "" ? entry.parent : null,
            protect: entry.protect === true,
            inputs: judgedInputs,
            outputs: Object.freeze(id === undefined ? plainOutputs : { ...plainOutputs, id }),
            source: sourcePosition(entry.sourcePosition, where, file),
        },
    };
}

function fromExport(document: Json, file: string): CheckInput {
    if (!DEPLOYMENT_VERSIONS.includes(document.version as number))
        throw new InputError(`${file}: version: expected a stack export of version ${DEPLOYMENT_VERSIONS.join(" or ")}, found ${shown(document.version)}`);
    const deployment = document.deployment as Json;
    const entries = deployment.resources ?? [];
    if (!Array.isArray(entries)) throw new InputError(`${file}: deployment.resources: expected a list, found ${shown(entries)}`);
    const read = entries.map((r, i) => stateResource(r, `deployment.resources[${i}]`, file));
    return { format: "export", resources: read.flatMap((r) => (r.resource ? [r.resource] : [])), stackUrn: read.find((r) => r.type === STACK_TYPE)?.urn };
}

function fromPreview(document: Json, file: string): CheckInput {
    // PreviewDigest's steps and changeSummary are omitempty (pulumi/pulumi sdk/go/common/display/json.go).
    const steps = (document.steps ?? []) as unknown[];
    const summary = document.changeSummary ?? {};
    if (!isRecord(summary)) throw new InputError(`${file}: changeSummary: expected an object of counts by op, found ${shown(summary)}`);
    const judged = new Map<string, CheckedResource>();
    let stackUrn: string | undefined;
    let sames = 0;
    steps.forEach((step, i) => {
        const where = `steps[${i}]`;
        if (!isRecord(step)) throw new InputError(`${file}: ${where}: expected a step object, found ${shown(step)}`);
        const op = requireString(step, "op", where, file);
        if (op === "same") sames++;
        if (LEAVING_OPS.has(op)) return;
        if (step.newState === undefined) throw new InputError(`${file}: ${where}.newState: expected the resource's new state for op "${op}", found nothing`);
        const { resource, urn, type } = stateResource(step.newState, `${where}.newState`, file, step.oldState);
        if (type === STACK_TYPE) stackUrn = urn;
        // A replacement appears as several steps of one URN (replace, create-replacement), each with the same new state: keyed by URN, it is judged once.
        if (resource) judged.set(urn, resource);
    });
    // Without --show-sames the CLI prints no step for an unchanged resource (display.go shouldShow), yet
    // counts it in changeSummary.same (the Stack's own step is always printed, and counted there too).
    const same = typeof summary.same === "number" ? summary.same : 0;
    return { format: "preview", resources: [...judged.values()], stackUrn, omitted: Math.max(0, same - sames) };
}

async function fromPlan(document: Json, file: string): Promise<CheckInput> {
    const plan = document as unknown as Plan;
    plan.resources.forEach((r: unknown, i) => {
        const where = `resources[${i}]`;
        if (!isRecord(r)) throw new InputError(`${file}: ${where}: expected a resource object, found ${shown(r)}`);
        for (const key of ["urn", "type", "name"]) requireString(r, key, where, file);
        if (!isRecord(r.inputs)) throw new InputError(`${file}: ${where}.inputs: expected an object, found ${shown(r.inputs)}`);
        if (!isRecord(r.options)) throw new InputError(`${file}: ${where}.options: expected an object, found ${shown(r.options)}`);
    });
    return planInput(plan);
}

/** A plan's judged resources (not the Stack, nor providers; components match no rule) and its stack URN. */
export async function planInput(plan: Plan): Promise<CheckInput> {
    // A saved plan has no outputs: they come from the same mocks as when it was made.
    const all = await planResources(plan);
    return {
        format: "plan",
        resources: all.filter((r) => r.type !== STACK_TYPE && !r.type.startsWith(PROVIDER_PREFIX)),
        stackUrn: all.find((r) => r.type === STACK_TYPE)?.urn,
    };
}

// A preview of nothing to change leaves out the (empty) steps, but keeps these (PreviewDigest).
const PREVIEW_KEYS = ["changeSummary", "duration"];

/** Recognises the plan JSON, `pulumi preview --json` output or a `pulumi stack export`, and reads its resources. */
export async function readInput(text: string, file: string): Promise<CheckInput> {
    const document = parseJsonText(text, file, (message) => new InputError(message));
    let input: CheckInput;
    if (isRecord(document) && Array.isArray(document.resources)) input = await fromPlan(document, file);
    else if (isRecord(document) && (Array.isArray(document.steps) || (document.steps === undefined && PREVIEW_KEYS.some((k) => k in document))))
        input = fromPreview(document, file);
    else if (isRecord(document) && isRecord(document.deployment)) input = fromExport(document, file);
    else if (isRecord(document) && ["resources", "steps", "deployment"].some((key) => key in document)) {
        // The key names the format; its value is of the wrong kind.
        const key = ["resources", "steps", "deployment"].find((k) => k in document)!;
        throw new InputError(`${file}: key ${key}: expected ${key === "deployment" ? "an object" : "a list"}, found ${shown(document[key])}`);
    } else
        throw new InputError(
            `${file}: expected the plan JSON ("resources"), \`pulumi preview --json\` output ("steps") or \`pulumi stack export\` ("deployment"), found ${isRecord(document) ? `an object with keys ${Object.keys(document).join(", ") || "(none)"}` : shown(document)}`,
        );
    return input;
}

/** The stack a document's URNs name (urn:pulumi:<stack>::<project>::...): its Stack's, else its first resource's. */
export function stackOfUrns(input: Pick<CheckInput, "resources" | "stackUrn">): string | undefined {
    return /^urn:pulumi:(.*?)::/s.exec(input.stackUrn ?? input.resources[0]?.urn ?? "")?.[1];
}
