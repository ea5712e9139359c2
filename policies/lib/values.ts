// Reading provider properties that may hold any JSON value: a rule never throws on a shape it did not
// expect. Stack exports and previews hold secrets as opaque objects or "[secret]", so every reader
// here treats those as "not the expected shape" and lets the rule decide by its purpose.
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { type TypeToken, typeTokens } from "./resource-types";

export type Props = Record<string, unknown>;

// The signature key Pulumi writes around a secret (@pulumi/pulumi runtime/rpc.js specialSigKey), both
// around the plaintext ({sig: specialSecretSig, value}) and a stack export's ciphertext ({sig, ciphertext}).
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

export function isRecord(value: unknown): value is Props {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The type token of the Stack resource every stack has (its URN is the stack's). */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** A secret in any of its forms: the plan's "[secret]", or Pulumi's signature object. */
export function isSecret(value: unknown): boolean {
    return value === "[secret]" || (isRecord(value) && SECRET_SIGNATURE in value);
}

/** A value set: a non-empty string, or a secret (present, though unreadable here). */
export function isSet(value: unknown): boolean {
    return isSecret(value) || (typeof value === "string" && value !== "");
}

/** The records of an array (anything else: none). */
export function records(value: unknown): Props[] {
    return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The strings of a string or an array of strings (anything else: none). */
export function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `value` as a finite number (numeric strings included), else undefined. */
export function numberOf(value: unknown): number | undefined {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

/** A value for a message: "a secret" for secrets, else its JSON (cut to 80 characters). */
export function shown(value: unknown): string {
    if (isSecret(value)) return "a secret (not readable here)";
    const json = JSON.stringify(value) ?? "undefined";
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** A rule's resource validations (none for a stack rule). */
export function validationsOf(rule: ResourceValidationPolicy | StackValidationPolicy): ResourceValidation[] {
    return "validateResource" in rule && rule.validateResource ? [rule.validateResource].flat() : [];
}

/** The type token a validation is declared for (validateResourceOfType, validateTypes); undefined when it takes any type. */
export function validationType(validation: ResourceValidation): string | undefined {
    return (validation as { __pulumiType?: string }).__pulumiType;
}

type Validate = (props: Props, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/**
 * One validation per type of `types` (a type and its deprecated aliases, e.g. aws.lb and aws.alb,
 * aws.s3.Bucket and BucketV2), each tagged with its token as validateResourceOfType does, so the
 * analyzer and the offline check run it for those types only. Props are untyped on purpose.
 */
export function validateTypes(types: readonly TypeToken[], validate: Validate): ResourceValidation[] {
    return typeTokens(types).map((token) => {
        const validation: ResourceValidation = (args, reportViolation) => {
            if (args.type !== token) return args.notApplicable(`not a ${token}`);
            validate(isRecord(args.props) ? args.props : {}, args, reportViolation);
        };
        return Object.assign(validation, { __pulumiType: token });
    });
}

/**
 * Freezes a value to its leaves. An object already frozen is passed over: values frozen here are frozen
 * throughout, and a cycle ends where it started.
 */
export function deepFreeze<T>(value: T): T {
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    return value;
}
