// Runs the pack's rules without the Pulumi CLI, building the validation arguments the way the
// policy analyzer (@pulumi/policy's server) does: resource rules see each resource's inputs, stack
// rules see every resource's outputs, enforcement and thresholds come from a policy-pack config file.
import * as fs from "node:fs";
import * as path from "node:path";
import type {
    EnforcementLevel,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { at } from "./lib/report";
import { DEFAULT_ENFORCEMENT, type Rule, rules } from "./rules";
import { parseWaivers, todayUtc, type Waiver, waiverFor, waiverProblem } from "./waivers";

/** A resource as the offline check sees it, whatever file or program it came from. */
export interface CheckedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly protect: boolean;
    readonly inputs: Record<string, unknown>;
    /** What the provider returned (id included), for stack rules; inputs when the source has no outputs. */
    readonly outputs: Record<string, unknown>;
    /** The file and line that registered it, when the source records one (the plan; an export's sourcePosition). */
    readonly source?: { readonly file: string; readonly line: number } | null;
}

export interface Violation {
    readonly policy: string;
    readonly enforcement: EnforcementLevel;
    readonly urn: string;
    readonly message: string;
    /** The waiver that accepts this finding (it then fails nothing), else null. */
    readonly waived?: Waiver | null;
}

export interface RuleSettings {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
    readonly waivers?: readonly Waiver[];
}

export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
export const CONFIG_DIR = path.join(__dirname, "config");

function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

function matchesSchema(value: unknown, schema: { type?: unknown; minimum?: unknown }): boolean {
    if (schema.type === "integer" && !Number.isInteger(value)) return false;
    if (schema.type !== "integer" && schema.type !== undefined && typeof value !== schema.type) return false;
    return typeof schema.minimum !== "number" || (typeof value === "number" && value >= schema.minimum);
}

/**
 * Each rule's level and properties from a `--policy-pack-config` document: keys are rule names or
 * "all"; values a level or `{ enforcementLevel?, ...properties }`; properties default from the schema.
 */
export function resolveSettings(document: unknown, source: string): Map<string, RuleSettings> {
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
        throw new PolicyConfigError(`${source}: expected a JSON object keyed by policy name, found ${JSON.stringify(document)}`);
    }
    const entries = document as Record<string, unknown>;
    const known = new Set(rules.map((r) => r.name));
    for (const key of Object.keys(entries)) {
        if (key !== "all" && !known.has(key))
            throw new PolicyConfigError(`${source}: key ${key}: expected "all" or a policy name (${[...known].join(", ")}), found ${key}`);
    }
    if (entries.all !== undefined && !isLevel(entries.all))
        throw new PolicyConfigError(`${source}: key all: expected one of ${LEVELS.join(", ")}, found ${JSON.stringify(entries.all)}`);
    const settings = new Map<string, RuleSettings>();
    for (const rule of rules) {
        const entry = entries[rule.name];
        const { enforcementLevel, waivers, ...given } =
            typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : { enforcementLevel: entry, waivers: undefined };
        if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
            throw new PolicyConfigError(`${source}: key ${rule.name}: expected one of ${LEVELS.join(", ")}, found ${JSON.stringify(enforcementLevel)}`);
        }
        const schema = rule.configSchema?.properties ?? {};
        const properties: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(schema)) {
            const value = given[key] ?? property.default;
            if (!matchesSchema(value, property)) {
                throw new PolicyConfigError(
                    `${source}: key ${rule.name}.${key}: expected ${property.type}${property.minimum !== undefined ? ` >= ${property.minimum}` : ""}, found ${JSON.stringify(value)}`,
                );
            }
            properties[key] = value;
        }
        const unknown = Object.keys(given).filter((k) => !(k in schema));
        if (unknown.length > 0)
            throw new PolicyConfigError(
                `${source}: key ${rule.name}: expected only ${["enforcementLevel", ...Object.keys(schema), "waivers"].join(", ")}, found ${unknown.join(", ")}`,
            );
        settings.set(rule.name, {
            enforcementLevel: enforcementLevel ?? (entries.all as EnforcementLevel | undefined) ?? DEFAULT_ENFORCEMENT,
            properties,
            waivers: parseWaivers(waivers, `${source}: key ${rule.name}.waivers`, (message) => new PolicyConfigError(message)),
        });
    }
    return settings;
}

/** The settings of policies/config/<stack>.json. */
export function stackSettings(stack: string): Map<string, RuleSettings> {
    const file = path.join(CONFIG_DIR, `${stack}.json`);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(CONFIG_DIR).map((f) => path.basename(f, ".json"));
        throw new PolicyConfigError(`stack ${stack}: no policy config policies/config/${stack}.json (expected one of ${stacks.join(", ")})`);
    }
    let document: unknown;
    try {
        document = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new PolicyConfigError(`policies/config/${stack}.json: expected JSON, found a parse error: ${(err as Error).message}`);
    }
    return resolveSettings(document, `policies/config/${stack}.json`);
}

/** A rule that throws on a resource's inputs (e.g. a field of an unexpected shape): nothing can be concluded. */
export class RuleError extends Error {
    constructor(rule: string, urn: string, cause: unknown) {
        super(`policy ${rule} could not evaluate ${urn}: ${cause instanceof Error ? cause.message : String(cause)}`);
        this.name = "RuleError";
    }
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

// The analyzer's type test: generated resource classes carry their type token.
function isTypeOf(type: string, resourceClass: unknown): boolean {
    return (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

function options(resource: CheckedResource): PolicyResourceOptions {
    return {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(resource.parent ? { parent: resource.parent } : {}),
    };
}

/** The arguments a resource rule receives for `resource` (props: a copy of its inputs). */
export function resourceArgs(resource: CheckedResource, properties: Record<string, unknown> = {}): ResourceValidationArgs {
    const props = structuredClone(resource.inputs);
    return {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: options(resource),
        stackTags: new Map(),
        isType: (cls) => isTypeOf(resource.type, cls),
        asType: (cls) => (isTypeOf(resource.type, cls) ? (props as never) : undefined),
        getConfig: <T extends object>() => ({ ...properties }) as T,
        notApplicable,
    };
}

/** The resources a stack rule receives (props: outputs), with parents and no recorded dependencies. */
export function stackResources(resources: readonly CheckedResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const converted = resources.map((r) => {
        const props = structuredClone(r.outputs);
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            asType: (cls) => (isTypeOf(r.type, cls) ? (props as never) : undefined),
        };
        byUrn.set(r.urn, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) converted[i].parent = parent;
    });
    return converted;
}

// The validations of a rule that apply to a type: those of validateResourceOfType for that type
// (which carry its token) and those for any type. Memoised: a check of 10,000 resources asks often.
const validationsByRuleAndType = new Map<Rule, Map<string, ResourceValidation[]>>();

function validationsFor(rule: Rule, type: string): ResourceValidation[] {
    let byType = validationsByRuleAndType.get(rule);
    if (!byType) validationsByRuleAndType.set(rule, (byType = new Map()));
    let found = byType.get(type);
    if (!found) {
        const validate = "validateResource" in rule ? rule.validateResource : undefined;
        found = [validate ?? []].flat().filter((v) => {
            const token = (v as { __pulumiType?: string }).__pulumiType;
            return token === undefined || token === type;
        });
        byType.set(type, found);
    }
    return found;
}

/**
 * The resources a rule judges one by one: those of the types its validations are declared for (all, if
 * one declares none); none for a stack rule, which judges the stack as a whole.
 */
export function judgedBy(rule: Rule, resources: readonly CheckedResource[]): CheckedResource[] {
    return resources.filter((r) => validationsFor(rule, r.type).length > 0);
}

// Rules are synchronous but may return a promise; awaiting only then keeps 10,000 resources x 44 rules
// off the microtask queue.
function applies(rule: Rule, urn: string, run: () => unknown): Promise<void> | undefined {
    const fail = (err: unknown) => {
        if (!(err instanceof NotApplicable)) throw new RuleError(rule.name, urn, err);
    };
    try {
        const result = run();
        return result instanceof Promise ? result.then(() => undefined, fail) : undefined;
    } catch (err) {
        fail(err);
        return undefined;
    }
}

/**
 * Runs one rule over the resources and returns its violations (the stack's URN when a stack rule names none).
 * `stackView` is what stack rules receive; evaluate() builds it once for all rules.
 */
export async function runRule(
    rule: Rule,
    resources: readonly CheckedResource[],
    settings: RuleSettings,
    stackView: () => PolicyResource[] = () => stackResources(resources),
): Promise<Violation[]> {
    const found: Violation[] = [];
    // As the analyzer does, a remediate-level rule that still finds a violation reports it as mandatory.
    const enforcement = settings.enforcementLevel === "remediate" ? "mandatory" : settings.enforcementLevel;
    if (enforcement === "disabled") return found;
    for (const resource of resources) {
        const validations = validationsFor(rule, resource.type);
        if (validations.length === 0) continue;
        const report = (message: string) => found.push({ policy: rule.name, enforcement, urn: resource.urn, message });
        for (const validate of validations) {
            const pending = applies(rule, resource.urn, () => validate(resourceArgs(resource, settings.properties), report));
            if (pending) await pending;
        }
    }
    if ("validateStack" in rule) {
        const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
        const args = {
            resources: stackView(),
            stackTags: new Map(),
            getConfig: <T extends object>() => ({ ...settings.properties }) as T,
            notApplicable,
        };
        const report = (message: string, urn?: string) => found.push({ policy: rule.name, enforcement, urn: urn ?? stackUrn, message });
        await applies(rule, stackUrn, () => (rule as StackValidationPolicy).validateStack(args, report));
    }
    return found;
}

export interface EvaluateOptions {
    /** YYYY-MM-DD in UTC, for waiver expiry; today by default. */
    readonly today?: string;
    /** Where findings about the stack as a whole go (waiver problems); the Stack resource's URN by default. */
    readonly stackUrn?: string;
}

/**
 * Every rule over the resources, with each rule's stack settings; findings its waivers accept are
 * marked waived, and each waiver that cannot hold (no reason, expired) is a mandatory finding itself.
 */
export async function evaluate(
    resources: readonly CheckedResource[],
    settings: Map<string, RuleSettings>,
    options: EvaluateOptions = {},
): Promise<Violation[]> {
    const today = options.today ?? todayUtc();
    const stackUrn = options.stackUrn ?? resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const names = new Map(resources.map((r) => [r.urn, r.name]));
    const all: Violation[] = [];
    // Stack rules only read what they receive: one frozen copy serves them all.
    let stackView: PolicyResource[] | undefined;
    const shared = () => (stackView ??= deepFreeze(stackResources(resources)));
    for (const rule of rules) {
        const ruleSettings = settings.get(rule.name);
        if (!ruleSettings) throw new PolicyConfigError(`no settings for policy ${rule.name}`);
        const waivers = ruleSettings.waivers ?? [];
        waivers.forEach((waiver, i) => {
            const problem = waiverProblem(waiver, today);
            if (problem) all.push({ policy: rule.name, enforcement: "mandatory", urn: stackUrn, message: at(`waivers[${i}]`, problem), waived: null });
        });
        for (const violation of await runRule(rule, resources, ruleSettings, shared)) {
            const waiver = waiverFor(waivers, { urn: violation.urn, name: names.get(violation.urn) ?? "" });
            all.push({ ...violation, waived: waiver && waiverProblem(waiver, today) === null ? waiver : null });
        }
    }
    return all;
}

// A rule that tried to change what another rule will read fails loudly (TypeError in strict mode).
function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
    if (value === null || typeof value !== "object" || seen.has(value)) return value;
    seen.add(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key], seen);
    return Object.freeze(value);
}
