// Runs the pack's rules without the Pulumi CLI, building the validation arguments the way the
// policy analyzer (@pulumi/policy's server) does: resource rules see each resource's inputs, stack
// rules see every resource's outputs, enforcement and thresholds come from a policy-pack config file.
import type {
    EnforcementLevel,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { parseJsonText } from "../lib/json-text";
import { at } from "./lib/report";
import { deepFreeze, STACK_TYPE, validationsOf, validationType } from "./lib/values";
import { DEFAULT_ENFORCEMENT, type Rule, rules } from "./rules";
import { CONFIG_FOLDER, configStackOf, configText, configuredStacks, duplicateKeys, isStackName, lineFinder } from "./settings/config-file";
import { DEFAULT_HORIZON_DAYS, HORIZON_KEY, judgeWaivers, parseWaivers, todayUtc, unusedWaiver, type Waiver } from "./waivers";

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
    /** Where the finding is decided when that is not a resource's registration: a waiver's line in its config. */
    readonly source?: { readonly file: string; readonly line: number } | null;
}

export interface RuleSettings {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
    readonly waivers?: readonly Waiver[];
    /** Where each waiver is written (file and line), in the order of `waivers`. */
    readonly waiverSources?: readonly { readonly file: string; readonly line: number }[];
    /** Waivers expiring more than this many days ahead count as expired. */
    readonly waiverHorizonDays?: number;
}

export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export { HORIZON_KEY };

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
        if (key !== "all" && key !== HORIZON_KEY && !known.has(key))
            throw new PolicyConfigError(`${source}: key ${key}: expected "all", "${HORIZON_KEY}" or a policy name (${[...known].join(", ")}), found ${key}`);
    }
    const horizon = entries[HORIZON_KEY] ?? { days: DEFAULT_HORIZON_DAYS };
    const horizonDays =
        typeof horizon === "object" && horizon !== null && Object.keys(horizon).join() === "days" ? (horizon as { days: unknown }).days : undefined;
    if (typeof horizonDays !== "number" || !Number.isInteger(horizonDays) || horizonDays < 0)
        throw new PolicyConfigError(`${source}: key ${HORIZON_KEY}: expected {"days": <whole number of days, 0 or more>}, found ${JSON.stringify(horizon)}`);
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
            waiverHorizonDays: horizonDays,
        });
    }
    return settings;
}

/** A stack name given on the command line or read from a document, refused unless Pulumi accepts it as one. */
function validStack(stack: string, source: string): string {
    if (!isStackName(stack))
        throw new PolicyConfigError(
            `${source}: expected a stack name (letters, digits, "-", "_", "."; at most 100), found ${JSON.stringify(stack.slice(0, 120))}`,
        );
    return stack;
}

/** Each rule's settings from a config file's text: its duplicate keys refused, its waivers located. */
export function settingsOfText(text: string, file: string): Map<string, RuleSettings> {
    const repeated = duplicateKeys(text);
    if (repeated.length > 0)
        throw new PolicyConfigError(
            repeated
                .map((d) => `${file}:${d.line}: key ${d.path}: expected each key once, found it again (first on line ${d.firstLine}); JSON keeps only the last`)
                .join("; "),
        );
    const settings = resolveSettings(
        parseJsonText(text, file, (message) => new PolicyConfigError(message)),
        file,
    );
    const lineOf = lineFinder(text);
    for (const [name, s] of settings) {
        const waivers = s.waivers ?? [];
        if (waivers.length > 0) settings.set(name, { ...s, waiverSources: waivers.map((_w, i) => ({ file, line: lineOf([name, "waivers", i]) ?? 1 })) });
    }
    return settings;
}

/**
 * The settings of a stack's policy config, policies/config/<stack>.json (a review stack pr-<...>
 * reads pr.json); a stack without one is an error naming those there are.
 */
export function stackSettings(stack: string, source = "stack"): Map<string, RuleSettings> {
    const configStack = configStackOf(validStack(stack, source));
    if (configStack === undefined)
        throw new PolicyConfigError(`stack ${stack}: no policy config in ${CONFIG_FOLDER}/ (expected one of ${configuredStacks().join(", ")})`);
    const { text, file } = configText(configStack);
    return settingsOfText(text, file);
}

/**
 * The settings for the stack a document names: its policy config, or, for a stack with none, each
 * policy's own default (as the Pulumi CLI applies them without --policy-pack-config) and a note saying so.
 */
export function documentSettings(stack: string, source: string): { settings: Map<string, RuleSettings>; note?: string } {
    if (configStackOf(validStack(stack, source)) !== undefined) return { settings: stackSettings(stack, source) };
    const settings = resolveSettings({}, "the policies' defaults");
    const levels = [...new Set([...settings.values()].map((s) => s.enforcementLevel))].join(", ");
    return {
        settings,
        note: `stack ${stack} has no policy config in ${CONFIG_FOLDER}/ (${configuredStacks().join(", ")}): applied each policy's default (${levels}, default thresholds), as \`pulumi preview\` does without --policy-pack-config; --stack-config <stack> applies a configured stack's instead`,
    };
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

// What no resource read here has (no source the check reads records these options): one frozen copy
// shared by every resource, instead of four objects per resource per view of a 50,000-resource stack.
const NONE = Object.freeze([]) as unknown as never[];
const NO_TIMEOUTS = Object.freeze({ createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 });
const NO_PROPERTY_DEPENDENCIES = Object.freeze({});

function options(resource: CheckedResource): PolicyResourceOptions {
    const opts: PolicyResourceOptions = {
        protect: resource.protect,
        ignoreChanges: NONE,
        aliases: NONE,
        customTimeouts: NO_TIMEOUTS,
        additionalSecretOutputs: NONE,
    };
    if (resource.parent) opts.parent = resource.parent;
    return opts;
}

// The analyzer hands each validation a fresh copy of the properties, so no rule sees what another
// changed. Here every rule shares one frozen copy instead: a rule that tries to change it fails loudly
// (TypeError in strict mode) and 10,000 resources are not copied once per rule. The readers
// (policies/input) hand over properties already frozen to the leaves; anything else is copied first.
function frozen(properties: Record<string, unknown>): Record<string, unknown> {
    return Object.isFrozen(properties) ? properties : deepFreeze(structuredClone(properties));
}

/**
 * What a resource rule receives for `resource`, but getConfig (props: its inputs, frozen); made once per
 * resource. `stackTags`: the stack's, the same for every resource (none offline).
 */
function resourceArgs(
    resource: CheckedResource,
    props: Record<string, unknown>,
    stackTags: ResourceValidationArgs["stackTags"],
): Omit<ResourceValidationArgs, "getConfig"> {
    return {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: options(resource),
        stackTags,
        isType: (cls) => isTypeOf(resource.type, cls),
        asType: (cls) => (isTypeOf(resource.type, cls) ? (props as never) : undefined),
        notApplicable,
    };
}

/** A rule's getConfig: a copy of its configured properties on each call. */
function configOf(settings: RuleSettings): ResourceValidationArgs["getConfig"] {
    return <T extends object>() => ({ ...settings.properties }) as T;
}

/** The resources a stack rule receives (props: outputs, frozen), with parents and no recorded dependencies. */
function stackResources(resources: readonly CheckedResource[]): readonly PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const converted = resources.map((r) => {
        const props = frozen(r.outputs);
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: NONE,
            propertyDependencies: NO_PROPERTY_DEPENDENCIES,
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
    return Object.freeze(converted.map((r) => Object.freeze(r)));
}

/** For each resource type met, the rules that judge its resources one by one, with their validations: worked out once per type. */
class Dispatch<R extends { readonly rule: Rule }> {
    private readonly byType = new Map<string, { readonly judge: R; readonly validations: ResourceValidation[] }[]>();
    // Each judge's validations with the type each is declared for (validateResourceOfType, validateTypes; none: any type).
    private readonly declared: readonly {
        readonly judge: R;
        readonly validations: readonly { readonly validate: ResourceValidation; readonly type?: string }[];
    }[];
    constructor(judges: readonly R[]) {
        this.declared = judges.map((judge) => ({
            judge,
            validations: validationsOf(judge.rule).map((validate) => ({ validate, type: validationType(validate) })),
        }));
    }

    of(type: string): readonly { readonly judge: R; readonly validations: ResourceValidation[] }[] {
        let found = this.byType.get(type);
        if (!found) {
            found = this.declared.flatMap(({ judge, validations }) => {
                const applying = validations.filter((v) => v.type === undefined || v.type === type).map((v) => v.validate);
                return applying.length > 0 ? [{ judge, validations: applying }] : [];
            });
            this.byType.set(type, found);
        }
        return found;
    }
}

/**
 * Each rule's name → the resources it judges one by one: those of the types its validations are
 * declared for (all, if one declares none); none for a stack rule, which judges the stack as a whole.
 */
export function judgedBy(ruleList: readonly Rule[], resources: readonly CheckedResource[]): Map<string, CheckedResource[]> {
    const judged = new Map(ruleList.map((rule) => [rule.name, [] as CheckedResource[]]));
    const dispatch = new Dispatch(ruleList.map((rule) => ({ rule })));
    for (const resource of resources) for (const { judge } of dispatch.of(resource.type)) judged.get(judge.rule.name)!.push(resource);
    return judged;
}

function failed(rule: Rule, urn: string, err: unknown): void {
    if (!(err instanceof NotApplicable)) throw new RuleError(rule.name, urn, err);
}

// Rules are synchronous but may return a promise; awaiting only then keeps 10,000 resources x 117 rules
// off the microtask queue. The validation and its arguments are passed in, not closed over: no
// function is made per call of the ~27,000 a 10,000-resource stack takes.
function applies<A, R>(rule: Rule, urn: string, run: (args: A, report: R) => unknown, args: A, report: R): Promise<void> | undefined {
    try {
        const result = run(args, report);
        return result instanceof Promise ? result.then(undefined, (err: unknown) => failed(rule, urn, err)) : undefined;
    } catch (err) {
        failed(rule, urn, err);
        return undefined;
    }
}

interface Judge {
    readonly rule: Rule;
    readonly getConfig: ResourceValidationArgs["getConfig"];
    readonly enforcement: EnforcementLevel;
    readonly found: Violation[];
}

/**
 * Runs the rules over the resources and returns each rule's violations, in the order of `ruleList`
 * (the stack's URN when a stack rule names none). Resources are visited once, each by the rules of
 * its type; stack rules share one frozen view of the stack.
 */
async function judge(
    ruleList: readonly Rule[],
    resources: readonly CheckedResource[],
    settingsOf: (rule: Rule) => RuleSettings,
    stackUrn: string,
    withStackRules = true,
): Promise<Violation[][]> {
    // As the analyzer does, a remediate-level rule that still finds a violation reports it as mandatory.
    const judges: Judge[] = ruleList.map((rule) => {
        const settings = settingsOf(rule);
        const enforcement = settings.enforcementLevel === "remediate" ? "mandatory" : settings.enforcementLevel;
        return { rule, getConfig: configOf(settings), enforcement, found: [] };
    });
    const active = judges.filter((j) => j.enforcement !== "disabled");
    const dispatch = new Dispatch(active);
    const stackTags = new Map<string, string>();
    for (const resource of resources) {
        const judging = dispatch.of(resource.type);
        if (judging.length === 0) continue;
        const shared = resourceArgs(resource, frozen(resource.inputs), stackTags);
        for (const { judge: j, validations } of judging) {
            const report = (message: string) => j.found.push({ policy: j.rule.name, enforcement: j.enforcement, urn: resource.urn, message });
            for (const validate of validations) {
                // Each validation its own arguments object, as from the analyzer; what they hold is shared.
                const pending = applies(j.rule, resource.urn, validate, { ...shared, getConfig: j.getConfig }, report);
                if (pending) await pending;
            }
        }
    }
    const stackRules = withStackRules ? active.filter((j) => "validateStack" in j.rule) : [];
    if (stackRules.length > 0) {
        const view = stackResources(resources);
        for (const j of stackRules) {
            const args = {
                resources: view as PolicyResource[],
                stackTags: new Map(),
                getConfig: j.getConfig,
                notApplicable,
            };
            const report = (message: string, urn?: string) => j.found.push({ policy: j.rule.name, enforcement: j.enforcement, urn: urn ?? stackUrn, message });
            await applies(j.rule, stackUrn, (a: typeof args, r: typeof report) => (j.rule as StackValidationPolicy).validateStack(a, r), args, report);
        }
    }
    return judges.map((j) => j.found);
}

/** The URN of the resources' Stack, where findings about the stack as a whole go ("" when they hold none). */
export function stackUrnOf(resources: readonly CheckedResource[]): string {
    return resources.find((r) => r.type === STACK_TYPE)?.urn ?? "";
}

/** Runs one rule over the resources and returns its violations (the stack's URN when a stack rule names none). */
export async function runRule(rule: Rule, resources: readonly CheckedResource[], settings: RuleSettings): Promise<Violation[]> {
    const [found] = await judge([rule], resources, () => settings, stackUrnOf(resources));
    return found;
}

export interface EvaluateOptions {
    /** YYYY-MM-DD in UTC, for waiver expiry; today by default. */
    readonly today?: string;
    /** Where findings about the stack as a whole go (waiver problems); the Stack resource's URN by default. */
    readonly stackUrn?: string;
    /**
     * False for a partial view of the stack (a preview without --show-sames): stack rules, which look
     * for a resource's companions across the stack, would take an omitted companion for a missing one.
     */
    readonly stackRules?: boolean;
}

/** The rules that judge the stack as a whole (some judge resources one by one as well). */
export function stackRuleNames(): string[] {
    return rules.filter((r) => "validateStack" in r && r.validateStack).map((r) => r.name);
}

/**
 * Each waiver of a rule judged against that rule's findings (policies/waivers judgeWaivers): whether it
 * holds, and the finding it is itself when it cannot hold (mandatory) or waives nothing at all
 * (advisory: remove it).
 */
function waiverFindings(
    rule: Rule,
    settings: RuleSettings,
    found: readonly Violation[],
    names: ReadonlyMap<string, string>,
    today: string,
    stackUrn: string,
    whole: boolean,
): { holds: readonly (Waiver | undefined)[]; problems: Violation[] } {
    const waivers = settings.waivers ?? [];
    const verdict = judgeWaivers(
        waivers,
        found.map((v) => ({ urn: v.urn, name: names.get(v.urn) ?? "" })),
        today,
        settings.waiverHorizonDays,
    );
    const base = (i: number) => ({ policy: rule.name, urn: stackUrn, waived: null, source: settings.waiverSources?.[i] ?? null });
    const problems = waivers.flatMap((waiver, i): Violation[] => {
        const problem = verdict.problems.find((p) => p.index === i)?.problem;
        if (problem) return [{ ...base(i), enforcement: "mandatory", message: at(`waivers[${i}]`, problem) }];
        // Of a partial view (an omitted resource may be the one it names), nothing can be said.
        if (verdict.unused.includes(i) && whole && settings.enforcementLevel !== "disabled")
            return [{ ...base(i), enforcement: "advisory", message: at(`waivers[${i}]`, unusedWaiver(waiver)) }];
        return [];
    });
    return { holds: verdict.holds, problems };
}

/**
 * Every rule over the resources, with each rule's stack settings; findings its waivers accept are
 * marked waived, and each waiver that cannot hold (no reason, expired, too far ahead, too broad) is a
 * mandatory finding itself, one that waives nothing an advisory one.
 */
export async function evaluate(
    resources: readonly CheckedResource[],
    settings: Map<string, RuleSettings>,
    options: EvaluateOptions = {},
): Promise<Violation[]> {
    const today = options.today ?? todayUtc();
    const stackUrn = options.stackUrn ?? stackUrnOf(resources);
    const names = new Map(resources.map((r) => [r.urn, r.name]));
    const settingsOf = (rule: Rule) => {
        const found = settings.get(rule.name);
        if (!found) throw new PolicyConfigError(`no settings for policy ${rule.name}`);
        return found;
    };
    const found = await judge(rules, resources, settingsOf, stackUrn, options.stackRules ?? true);
    const all: Violation[] = [];
    rules.forEach((rule, r) => {
        const { holds, problems } = waiverFindings(rule, settingsOf(rule), found[r], names, today, stackUrn, options.stackRules ?? true);
        all.push(...problems);
        found[r].forEach((violation, i) => all.push({ ...violation, waived: holds[i] ?? null }));
    });
    return all;
}
