// Waivers in the CrossGuard pack (`pulumi preview --policy-pack policies --policy-pack-config
// policies/config/<stack>.json`): each rule's config schema accepts `waivers`, and a finding that a
// holding waiver names is not reported as a violation (the engine knows no "waived" level, so it
// could only fail the preview; pulumi/pulumi-policy#438), but written to the pack's log. A waiver
// without a reason or past its date waives nothing: the finding is reported, saying why.
import type { PolicyConfigSchema, ReportViolation, ResourceValidation, ResourceValidationArgs, StackValidation, StackValidationArgs } from "@pulumi/policy";
import { STACK_TYPE, validationsOf, validationType } from "../lib/values";
import type { Rule } from "../rules";
import { parseWaivers, todayUtc, WAIVERS_SCHEMA, type Waiver, waiverFor, waiverProblem } from ".";

type Report = (message: string, urn?: string) => void;

function schemaWithWaivers(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
    return { ...schema, properties: { ...schema?.properties, waivers: WAIVERS_SCHEMA as never } };
}

function configuredWaivers(rule: string, getConfig: () => object): Waiver[] {
    return parseWaivers((getConfig() as { waivers?: unknown }).waivers, `policy ${rule}: waivers`, (message) => new Error(message));
}

/**
 * Routes each finding: waived ones to the log, the rest to the engine (noting a waiver that cannot hold).
 * The waivers are read at the first finding: most validations report none.
 */
function filtered(rule: string, getConfig: () => object, report: Report, nameOf: (urn: string | undefined) => { urn: string; name: string }): Report {
    let waivers: readonly Waiver[] | undefined;
    return (message, urn) => {
        waivers ??= configuredWaivers(rule, getConfig);
        const subject = nameOf(urn);
        const waiver = waiverFor(waivers, subject);
        const problem = waiver && waiverProblem(waiver, todayUtc());
        if (waiver && !problem) {
            console.error(`policy ${rule}: waived on ${subject.urn} until ${waiver.expires} (${waiver.reason}): ${message}`);
            return;
        }
        report(problem ? `${message} (${problem})` : message, urn);
    };
}

function wrapValidation(rule: string, validate: ResourceValidation): ResourceValidation {
    const wrapped: ResourceValidation = (args: ResourceValidationArgs, report: ReportViolation) =>
        validate(args, filtered(rule, args.getConfig, report as Report, () => ({ urn: args.urn, name: args.name })) as ReportViolation);
    // validateResourceOfType tags its function with the type it applies to; keep the tag.
    return Object.assign(wrapped, { __pulumiType: validationType(validate) });
}

function wrapStackValidation(rule: string, validate: StackValidation): StackValidation {
    return (args: StackValidationArgs, report) => {
        const names = new Map(args.resources.map((r) => [r.urn, r.name]));
        const stackUrn = args.resources.find((r) => r.type === STACK_TYPE)?.urn ?? "";
        const nameOf = (urn?: string) => ({ urn: urn ?? stackUrn, name: names.get(urn ?? stackUrn) ?? "" });
        return validate(args, filtered(rule, args.getConfig, report, nameOf));
    };
}

/**
 * The rule as the pack serves it: `waivers` in its config schema, honoured in every validation it has.
 * A rule may have both kinds (health-checks judges containers one by one and task definitions as a stack).
 */
export function withWaivers(rule: Rule): Rule {
    const validations = validationsOf(rule);
    const validateResource = validations.length > 0 ? validations.map((v) => wrapValidation(rule.name, v)) : undefined;
    const validateStack = "validateStack" in rule && rule.validateStack ? wrapStackValidation(rule.name, rule.validateStack) : undefined;
    return {
        ...rule,
        configSchema: schemaWithWaivers(rule.configSchema),
        ...(validateResource && { validateResource }),
        ...(validateStack && { validateStack }),
    };
}
