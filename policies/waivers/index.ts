// Waivers: a policy's entry in policies/config/<stack>.json may accept a finding on named resources
// for a stated reason until a date. A waived finding is still reported (as waived) but fails nothing;
// a waiver without a reason, or past its date, waives nothing and is itself a mandatory finding.
import { Minimatch } from "minimatch";

export interface Waiver {
    /** A URN or a resource name, or a glob of either (`*` any run of characters, `?` one, `{a,b}` either). */
    readonly resource: string;
    readonly reason: string;
    /** YYYY-MM-DD: the waiver holds through the end of that day, UTC. */
    readonly expires: string;
    /** Set to accept the risk on every resource the waiver names; without it, a waiver naming more than one waives nothing. */
    readonly allowMany?: boolean;
}

/**
 * The config's own key for how far ahead a waiver may expire: `"waiver-horizon": {"days": 365}`. An
 * object, as the Pulumi CLI takes every key of a --policy-pack-config (it skips names of no policy).
 */
export const HORIZON_KEY = "waiver-horizon";

/** How far ahead a waiver may expire by default: a year; a later date counts as expired (config key "waiver-horizon"). */
export const DEFAULT_HORIZON_DAYS = 365;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The waivers property of a policy's config, as the pack declares it (the Pulumi CLI validates it against this). */
export const WAIVERS_SCHEMA = {
    type: "array",
    items: {
        type: "object",
        properties: {
            resource: { type: "string", minLength: 1 },
            reason: { type: "string" },
            expires: { type: "string", pattern: DATE.source },
            allowMany: { type: "boolean" },
        },
        required: ["resource", "expires"],
        additionalProperties: false,
    },
    default: [],
} as const;

/** Reads a policy's `waivers` value; a shape error is the config's to fix (thrown with `where`, e.g. "policies/config/prod.json: key s3-tls-only.waivers"). */
export function parseWaivers(value: unknown, where: string, fail: (message: string) => Error): Waiver[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw fail(`${where}: expected a list of {"resource", "reason", "expires"}, found ${JSON.stringify(value)}`);
    return value.map((entry: unknown, i) => {
        const at = `${where}[${i}]`;
        if (typeof entry !== "object" || entry === null || Array.isArray(entry))
            throw fail(`${at}: expected an object {"resource", "reason", "expires"}, found ${JSON.stringify(entry)}`);
        const { resource, reason, expires, allowMany, ...rest } = entry as Record<string, unknown>;
        const extra = Object.keys(rest);
        if (extra.length > 0) throw fail(`${at}: expected only resource, reason, expires and allowMany, found ${extra.join(", ")}`);
        if (allowMany !== undefined && typeof allowMany !== "boolean")
            throw fail(`${at}.allowMany: expected true or false, found ${JSON.stringify(allowMany)}`);
        if (typeof resource !== "string" || resource === "") throw fail(`${at}.resource: expected a URN or name glob, found ${JSON.stringify(resource)}`);
        if (reason !== undefined && typeof reason !== "string") throw fail(`${at}.reason: expected a string, found ${JSON.stringify(reason)}`);
        if (typeof expires !== "string" || !isDate(expires)) throw fail(`${at}.expires: expected a date YYYY-MM-DD, found ${JSON.stringify(expires)}`);
        return { resource, reason: reason ?? "", expires, ...(allowMany === true ? { allowMany } : {}) };
    });
}

function isDate(text: string): boolean {
    const parts = DATE.exec(text);
    if (!parts) return false;
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** Today's date in UTC as YYYY-MM-DD (the check takes another for tests). */
export function todayUtc(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

/** The day `days` after `day` (both YYYY-MM-DD, UTC). */
export function daysAfter(day: string, days: number): string {
    return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Why a waiver waives nothing, or null when it holds on `today` (YYYY-MM-DD, UTC). With a horizon, a
 * waiver expiring more than that many days ahead counts as expired: "9999-12-31" accepts a risk for good.
 */
export function waiverProblem(waiver: Waiver, today: string, horizonDays?: number): string | null {
    if (waiver.reason.trim() === "") return `the waiver for "${waiver.resource}" gives no reason, so it waives nothing: say why the risk is accepted`;
    // Dates in one format compare as strings; a waiver holds through its own day.
    if (waiver.expires < today)
        return `the waiver for "${waiver.resource}" expired on ${waiver.expires}, so it waives nothing: fix the resource or renew the waiver`;
    const latest = horizonDays === undefined ? undefined : daysAfter(today, horizonDays);
    if (latest !== undefined && waiver.expires > latest)
        return `the waiver for "${waiver.resource}" expires on ${waiver.expires}, beyond the ${horizonDays}-day horizon (${latest}), so it waives nothing as if expired: set a date by ${latest}`;
    return null;
}

// A URN is one flat identifier, not a path: the "/" inside its type tokens (aws:s3/bucketV2:BucketV2)
// must not stop `*`, so it is swapped for a character no URN or glob syntax uses before matching.
const flat = (text: string) => text.replaceAll("/", "\u2215");

// Each glob compiled once to a regular expression (minimatch's own for it; testing one is a fraction of
// a match() call): a check of 10,000 resources asks of every finding. False for a pattern that matches nothing.
const globs = new Map<string, RegExp | false>();

function glob(pattern: string): RegExp | false {
    let compiled = globs.get(pattern);
    if (compiled === undefined) globs.set(pattern, (compiled = new Minimatch(flat(pattern), { dot: true, nocomment: true, nonegate: true }).makeRe()));
    return compiled;
}

/** Whether the waiver names this resource by URN or by name (exactly or by glob). */
export function waives(waiver: Waiver, resource: { readonly urn: string; readonly name: string }): boolean {
    if (resource.urn === waiver.resource || resource.name === waiver.resource) return true;
    const pattern = glob(waiver.resource);
    return pattern !== false && (pattern.test(flat(resource.urn)) || pattern.test(flat(resource.name)));
}

/** The resource of a finding, as a waiver names it. */
export interface Subject {
    readonly urn: string;
    readonly name: string;
}

/** Whether any waiver names the resource, holding or not. */
export function named(waivers: readonly Waiver[], resource: Subject): boolean {
    return waivers.some((w) => waives(w, resource));
}

/** What a rule's waivers do to its findings (the offline check and the pack both judge them with this). */
export interface WaiverVerdict {
    /** For each finding, the waiver that accepts it, if one holds. */
    readonly holds: readonly (Waiver | undefined)[];
    /** Each waiver that cannot hold, by index, and why. */
    readonly problems: readonly { readonly index: number; readonly problem: string }[];
    /** The holding waivers that accept no finding, by index. */
    readonly unused: readonly number[];
}

/** A few of many names, for a message. */
export function someOf(names: readonly string[]): string {
    return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
}

/**
 * A rule's waivers judged against all its findings (each finding's resource in `subjects`, in order)
 * on `today`: a finding is accepted by the first waiver naming it, if that one holds. A waiver cannot
 * hold without a reason, past its date, beyond the horizon, or naming more than one resource without
 * allowMany (which only the whole set of findings shows).
 */
export function judgeWaivers(waivers: readonly Waiver[], subjects: readonly Subject[], today: string, horizonDays?: number): WaiverVerdict {
    const index = subjects.map((subject) => waivers.findIndex((w) => waives(w, subject)));
    // The resources each waiver names, by URN (a resource may have several findings).
    const resources = waivers.map((_w, i) => new Map(subjects.filter((_s, f) => index[f] === i).map((s) => [s.urn, s.name || s.urn])));
    const problems: { index: number; problem: string }[] = [];
    const unused: number[] = [];
    const holding = waivers.map((waiver, i) => {
        const names = [...resources[i].values()];
        const problem =
            waiverProblem(waiver, today, horizonDays) ??
            (names.length > 1 && !waiver.allowMany
                ? `the waiver for "${waiver.resource}" names ${names.length} resources (${someOf(names)}), so it waives nothing: name one, or add "allowMany": true to accept the risk on each`
                : null);
        if (problem) problems.push({ index: i, problem });
        else if (names.length === 0) unused.push(i);
        return problem === null;
    });
    return { holds: index.map((i) => (i >= 0 && holding[i] ? waivers[i] : undefined)), problems, unused };
}

/** Why a waiver that waives no finding is reported. */
export function unusedWaiver(waiver: Waiver): string {
    return `the waiver for "${waiver.resource}" waives no finding of this check: remove it, or fix its resource pattern`;
}
