// How much of each anchor the pack covers, derived from the rules' own metadata: a check counts as
// covered when a rule claims its control id for a resource type the check judges and the program
// declares (controlsFor honours a rule's per-type scopes). docs/policy-coverage.md carries the table
// (npm run -s policy-coverage -- --write); tests/policies/policy-coverage.test.ts keeps it current.
import { policyReference } from "../lib/reference";
import { controlsFor, type Rule } from "../rules";
import type { Anchor, AnchorCheck } from "./anchors";

export interface CoverageRow {
    readonly check: AnchorCheck;
    /** The check's types the program declares. */
    readonly types: readonly string[];
    /** The rules that claim the check's control on one of those types. */
    readonly rules: readonly string[];
}

export interface AnchorCoverage {
    readonly anchor: Anchor;
    /** One row per check on a declared type: the fixed denominator. */
    readonly rows: readonly CoverageRow[];
    readonly covered: number;
}

export function anchorCoverage(anchor: Anchor, rules: readonly Rule[], declared: ReadonlySet<string>): AnchorCoverage {
    const judged = new Map(policyReference(rules).map((p) => [p.name, new Set(p.resourceTypes)]));
    const rows = anchor.checks
        .map((check): CoverageRow => {
            const types = check.types.filter((t) => declared.has(t));
            const claiming = rules.filter((rule) => types.some((t) => judged.get(rule.name)?.has(t) && controlsFor(rule, t).includes(check.control)));
            return { check, types, rules: claiming.map((r) => r.name) };
        })
        .filter((row) => row.types.length > 0);
    return { anchor, rows, covered: rows.filter((r) => r.rules.length > 0).length };
}

const percent = (covered: number, of: number) => `${of === 0 ? 0 : Math.floor((covered * 1000) / of) / 10}%`;
const cell = (text: string) => text.replaceAll("|", "\\|");
const shortType = (token: string) => token.split(":").pop() ?? token;

/** The Markdown of every anchor's coverage: a summary line each, then one table per anchor. */
export function coverageMarkdown(coverages: readonly AnchorCoverage[]): string {
    const summary = [
        "| anchor | checks on declared types | covered | share |",
        "| --- | --- | --- | --- |",
        ...coverages.map((c) => `| ${c.anchor.name} | ${c.rows.length} | ${c.covered} | ${percent(c.covered, c.rows.length)} |`),
    ];
    const tables = coverages.flatMap((c) => [
        "",
        `### ${c.anchor.name}`,
        "",
        `Source: ${c.anchor.source}.`,
        "",
        "| check | resource types | property judged | covered by |",
        "| --- | --- | --- | --- |",
        ...c.rows.map(
            (r) =>
                `| ${r.check.control} | ${r.types.map((t) => `\`${shortType(t)}\``).join(", ")} | ${cell(r.check.property)} | ${
                    r.rules.length > 0 ? r.rules.map((n) => `\`${n}\``).join(", ") : `not covered: ${cell(r.check.notCovered ?? "no reason given")}`
                } |`,
        ),
    ]);
    return [...summary, ...tables].join("\n");
}
