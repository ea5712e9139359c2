// Waivers in the CrossGuard pack (`pulumi preview --policy-pack policies --policy-pack-config
// policies/config/<stack>.json`), judged as the offline check judges them (./index.ts judgeWaivers):
// each rule's config schema accepts `waivers`; a waiver without a reason, past its date or beyond the
// horizon waives nothing, and so does one naming more than one resource without allowMany.
//
// Whether a waiver names more than one resource, or none, shows only over all of a rule's findings, so
// every rule also judges the stack: a finding of its resource validations that some waiver names is
// held back (analyze runs resource by resource) and judged with the rule's other findings when the
// engine validates the stack, after every resource (analyzeStack). There, an accepted finding is
// written to the pack's log, not reported: the engine knows no "waived" level, so it could only fail
// the preview (pulumi/pulumi-policy#438). A waiver that cannot hold is a violation of its rule at the
// stack; one that waives nothing goes to the log (the engine gives a policy one level, and an unused
// waiver is advisory in the offline check).
import type {
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { STACK_TYPE, validationsOf, validationType } from "../lib/values";
import type { Rule } from "../rules";
import { DEFAULT_HORIZON_DAYS, HORIZON_KEY, judgeWaivers, named, parseWaivers, type Subject, todayUtc, unusedWaiver, WAIVERS_SCHEMA, type Waiver } from ".";
import { at } from "../lib/report";

type Report = (message: string, urn?: string) => void;

interface Finding extends Subject {
    readonly message: string;
}

// The Pulumi CLI hands a --policy-pack-config key only to the policy of that name, so the horizon is a
// policy of its own. It is first in the pack, so the engine calls it, and it keeps its config reader,
// before any rule judges its waivers; `"waiver-horizon": "disabled"` leaves the default.
let horizonConfig: (() => { days?: unknown }) | undefined;

function horizonDays(): number {
    const days = horizonConfig?.().days;
    return typeof days === "number" && Number.isInteger(days) && days >= 0 ? days : DEFAULT_HORIZON_DAYS;
}

/** The policy that carries the waiver horizon's config; it validates nothing itself. */
export const waiverHorizon: StackValidationPolicy = {
    name: HORIZON_KEY,
    description: `How far ahead a waiver may expire (days; ${DEFAULT_HORIZON_DAYS} unless configured): a later date waives nothing, as if expired.`,
    configSchema: { properties: { days: { type: "integer", minimum: 0, default: DEFAULT_HORIZON_DAYS } } },
    validateStack: (args) => {
        horizonConfig = args.getConfig;
    },
};

function schemaWithWaivers(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
    return { ...schema, properties: { ...schema?.properties, waivers: WAIVERS_SCHEMA as never } };
}

function configuredWaivers(rule: string, getConfig: () => object): Waiver[] {
    return parseWaivers((getConfig() as { waivers?: unknown }).waivers, `policy ${rule}: waivers`, (message) => new Error(message));
}

/** The findings of each rule's resource validations that a waiver names, held for the stack's judgement. */
const heldBack = new Map<string, Finding[]>();

function wrapValidation(rule: string, validate: ResourceValidation): ResourceValidation {
    const wrapped: ResourceValidation = (args: ResourceValidationArgs, report: ReportViolation) => {
        let waivers: readonly Waiver[] | undefined;
        const subject = { urn: args.urn, name: args.name };
        // The waivers are read at the first finding: most validations report none.
        const filtered: Report = (message, urn) => {
            waivers ??= configuredWaivers(rule, args.getConfig);
            if (!named(waivers, subject)) return report(message, urn);
            heldBack.set(rule, [...(heldBack.get(rule) ?? []), { ...subject, message }]);
        };
        return validate(args, filtered as ReportViolation);
    };
    // validateResourceOfType tags its function with the type it applies to; keep the tag.
    return Object.assign(wrapped, { __pulumiType: validationType(validate) });
}

/** The rule's own stack validation (if any), then its waivers judged over all its findings. */
function judgingStack(rule: string, validate: StackValidation | undefined): StackValidation {
    return async (args: StackValidationArgs, report: ReportViolation) => {
        const names = new Map(args.resources.map((r) => [r.urn, r.name]));
        const stackUrn = args.resources.find((r) => r.type === STACK_TYPE)?.urn ?? "";
        const found = heldBack.get(rule) ?? [];
        heldBack.delete(rule);
        if (validate)
            await validate(args, ((message: string, urn?: string) =>
                found.push({ urn: urn ?? stackUrn, name: names.get(urn ?? stackUrn) ?? "", message })) as ReportViolation);
        const waivers = configuredWaivers(rule, args.getConfig);
        const verdict = judgeWaivers(waivers, found, todayUtc(), horizonDays());
        found.forEach((finding, i) => {
            const waiver = verdict.holds[i];
            if (waiver) console.error(`policy ${rule}: waived on ${finding.urn} until ${waiver.expires} (${waiver.reason}): ${finding.message}`);
            else report(finding.message, finding.urn || undefined);
        });
        for (const { index, problem } of verdict.problems) report(at(`waivers[${index}]`, problem), stackUrn || undefined);
        for (const index of verdict.unused) console.error(`policy ${rule}: ${at(`waivers[${index}]`, unusedWaiver(waivers[index]))}`);
    };
}

/**
 * The rule as the pack serves it: `waivers` in its config schema, judged over every validation it has
 * (a rule may have both kinds: health-checks judges containers one by one and task definitions as a stack).
 */
export function withWaivers(rule: Rule): Rule {
    const validations = validationsOf(rule);
    const validateResource = validations.length > 0 ? validations.map((v) => wrapValidation(rule.name, v)) : undefined;
    const own = "validateStack" in rule ? rule.validateStack : undefined;
    return {
        ...rule,
        configSchema: schemaWithWaivers(rule.configSchema),
        ...(validateResource && { validateResource }),
        validateStack: judgingStack(rule.name, own),
    };
}
