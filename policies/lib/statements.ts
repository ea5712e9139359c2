// Reading the statements of IAM and resource policy documents: who they allow, which actions on which
// resources, under which conditions. Policy grammar: IAM user guide, "IAM JSON policy elements reference".
import { aws } from "./resource-types";
import type { ResourceValidation } from "@pulumi/policy";
import { policyStatements } from "./references";
import { at } from "./report";
import { isRecord, type Props, records, strings, validateTypes } from "./values";

// Each pattern compiled once: the IAM rules match every statement's actions against dozens of names,
// and a stack repeats the same few patterns in thousands of policies. Bounded, for a document of
// countless distinct patterns.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 10_000;

/** Whether an IAM action pattern (`service:Name`, with `*` and `?` wildcards, any case) matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
    let regex = compiled.get(pattern);
    if (!regex) {
        const source = pattern
            .toLowerCase()
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replaceAll("*", ".*")
            .replaceAll("?", ".");
        if (compiled.size >= MAX_COMPILED) compiled.clear();
        compiled.set(pattern, (regex = new RegExp(`^${source}$`)));
    }
    return regex.test(action.toLowerCase());
}

/** The statements of a document that allow (Effect "Allow"). */
export function allowStatements(policy: unknown): Props[] {
    return policyStatements(policy).filter((s) => s.Effect === "Allow");
}

/** The AWS principals a statement names ("*" for `Principal: "*"`). */
export function awsPrincipals(statement: Props): string[] {
    if (statement.Principal === "*") return ["*"];
    return isRecord(statement.Principal) ? strings(statement.Principal.AWS) : [];
}

/** Whether a statement applies to anyone: Principal "*" or an AWS principal "*", with no condition narrowing it. */
export function publicStatement(statement: Props): boolean {
    const unconditioned = !isRecord(statement.Condition) || Object.keys(statement.Condition).length === 0;
    return awsPrincipals(statement).includes("*") && unconditioned;
}

/** Whether a statement's resources include every resource ("*"). */
export function onEveryResource(statement: Props): boolean {
    return strings(statement.Resource).includes("*");
}

/** The actions of `statement` that match one of `actions` (exact names; the statement's own may be wildcards). */
export function grantedActions(statement: Props, actions: readonly string[]): string[] {
    const patterns = strings(statement.Action);
    return actions.filter((action) => patterns.some((p) => actionMatches(p, action)));
}

/** The account id of an ARN (`arn:partition:service:region:account:...`), else undefined. */
export function accountOf(arn: string): string | undefined {
    const parts = arn.split(":");
    return parts[0] === "arn" && /^\d{12}$/.test(parts[4] ?? "") ? parts[4] : undefined;
}

/** The account an AWS principal names: an account id, `arn:...:iam::ACCOUNT:...`; undefined for "*" and services. */
export function principalAccount(principal: string): string | undefined {
    return /^\d{12}$/.test(principal) ? principal : accountOf(principal);
}

/** A document and the property path it was read from. */
export interface Document {
    readonly property: string;
    readonly policy: unknown;
}

// The identity policies of @pulumi/aws: managed, inline (three resources) and a role's inline list.
const IDENTITY_POLICY_TYPES = [aws.iam.Policy, aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy];

/** A validation per identity-policy type, calling `check` on each document (a role's inline policies one by one). */
export function validateIdentityPolicies(check: (document: Document, report: (message: string) => void) => void): ResourceValidation[] {
    return [
        ...validateTypes(IDENTITY_POLICY_TYPES, (resource, _args, report) => check({ property: "policy", policy: resource.policy }, report)),
        ...validateTypes([aws.iam.Role], (role, _args, report) =>
            records(role.inlinePolicies).forEach((inline, i) => check({ property: `inlinePolicies[${i}].policy`, policy: inline.policy }, report)),
        ),
    ];
}

/**
 * Reports, per allowing statement of every identity policy, the actions `pick` selects from it (with
 * the statement's resources, for rules that only look at actions granted on every resource).
 */
export function validateGrants(pick: (actions: string[], statement: Props) => string[], finding: (actions: string[]) => string): ResourceValidation[] {
    return validateIdentityPolicies(({ property, policy }, report) => {
        const found = [...new Set(allowStatements(policy).flatMap((statement) => pick(strings(statement.Action), statement)))];
        if (found.length > 0) report(at(property, finding(found)));
    });
}
