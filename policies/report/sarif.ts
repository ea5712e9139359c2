// SARIF 2.1.0 for GitHub code scanning: one reportingDescriptor per rule (help text, controls as
// tags, security-severity, a link to its documentation), one result per finding (level from
// enforcement, the URN as logical location, the file and line that registered the resource as
// physical location, waivers as accepted suppressions), within GitHub's limits ("SARIF support for
// code scanning": 25,000 results per run, a physical location on every result, startLine >= 1).
import { createHash } from "node:crypto";
import type { RuleInfo, Severity } from "../rules";
import { fails, type Finding, type Report } from "./findings";
import { documentationUri, policyConfigFile, repositoryUri, stackFile, stackOfUrn, waiverLine } from "./locations";

const SCHEMA = "https://json-schema.org/schemas/sarif-schema-2.1.0.json";
const TOOL = "osint-platform-security";
/** GitHub code scanning refuses a run with more results ("SARIF support for code scanning", limits). */
export const MAX_RESULTS = 25_000;
/** The rule of the one note result that says how many results a run left out. */
export const TRUNCATED_RULE = "results-truncated";
const RULES_PAGE = "docs/policies.md";

// GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function level(f: Finding): "error" | "warning" | "note" {
    return f.enforcement === "mandatory" ? "error" : f.enforcement === "advisory" ? "warning" : "note";
}

/** "container-non-root" → "ContainerNonRoot": the rule's name as SARIF viewers show it, distinct from its id. */
export function ruleDisplayName(id: string): string {
    return id.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}

// Stable across runs and line moves, so code scanning tracks one alert per rule, resource and
// property; the n-th finding of the same three (two admin statements of one policy) adds its ordinal.
function fingerprints(findings: readonly Finding[]): string[] {
    const seen = new Map<string, number>();
    return findings.map((f) => {
        const key = `${f.policy}\n${f.urn}\n${f.property ?? ""}`;
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        return createHash("sha256")
            .update(n === 0 ? key : `${key}\n#${n}`)
            .digest("hex");
    });
}

interface Place {
    readonly file: string;
    readonly line: number;
}

// GitHub refuses the whole file when any result lacks a physical location (GH1001; github/codeql-action#1738),
// so a finding without a usable registration points at what decides it: a waiver's own line in the
// stack's policy config, else the settings file of the stack the document names.
function placeOf(f: Finding, configStack: string): Place {
    const source = f.source;
    if (source && repositoryUri(source.file) !== undefined)
        return { file: source.file, line: Number.isInteger(source.line) && source.line >= 1 ? source.line : 1 };
    const waiver = /^waivers\[(\d+)\]$/.exec(f.property ?? "");
    const config = policyConfigFile(configStack);
    if (waiver && config !== undefined) return { file: config, line: waiverLine(configStack, f.policy, Number(waiver[1])) ?? 1 };
    return { file: stackFile(stackOfUrn(f.urn) ?? configStack), line: 1 };
}

function physicalLocation(place: Place) {
    return { artifactLocation: { uri: repositoryUri(place.file) ?? "Pulumi.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: place.line } };
}

function result(f: Finding, ruleIndex: number, fingerprint: string, configStack: string) {
    return {
        ruleId: f.policy,
        ruleIndex,
        level: level(f),
        message: { text: `${f.name} (${f.type}): ${f.message}` },
        locations: [
            {
                physicalLocation: physicalLocation(placeOf(f, configStack)),
                logicalLocations: [{ fullyQualifiedName: f.urn, name: f.name, kind: "resource" }],
            },
        ],
        partialFingerprints: { "osintFinding/v1": fingerprint },
        properties: { enforcement: f.enforcement, property: f.property, controls: f.controls },
        ...(f.waived
            ? { suppressions: [{ kind: "external", status: "accepted", justification: `${f.waived.reason} (waived until ${f.waived.expires})` }] }
            : {}),
    };
}

function descriptor(r: RuleInfo, helpUri: string) {
    const controls = r.controls;
    const text = `${r.description}\n\nRemediation: ${r.remediationSteps ?? ""}${controls.length ? `\n\nControls: ${controls.join(", ")}` : ""}`;
    return {
        id: r.name,
        name: ruleDisplayName(r.name),
        shortDescription: { text: r.description },
        fullDescription: { text: r.description },
        helpUri,
        help: { text, markdown: text.replace(/\n\n(Remediation|Controls):/g, "\n\n**$1:**") },
        defaultConfiguration: { level: r.enforcementLevel === "advisory" ? "warning" : "error" },
        properties: { tags: ["security", ...controls], controls, "security-severity": SECURITY_SEVERITY[r.severity], precision: "very-high" },
    };
}

// What is kept when a run has more findings than GitHub takes: failing ones first, then advisory, then waived.
function rank(f: Finding): number {
    return fails(f) ? 0 : f.waived ? 2 : 1;
}

export function renderSarif(report: Report, version: string): string {
    const configStack = report.summary.stack;
    const index = new Map(report.rules.map((r, i) => [r.name, i]));
    const prints = fingerprints(report.findings);
    const numbered = report.findings.map((finding, i) => ({ finding, print: prints[i] }));
    const cut = Math.max(0, numbered.length - MAX_RESULTS + (numbered.length > MAX_RESULTS ? 1 : 0));
    const kept =
        cut === 0
            ? numbered
            : numbered
                  .map((n, i) => ({ ...n, i }))
                  .sort((a, b) => rank(a.finding) - rank(b.finding) || a.i - b.i)
                  .slice(0, MAX_RESULTS - 1);
    const rules = report.rules.map((r) => descriptor(r, documentationUri(RULES_PAGE, `rule-${r.name}`)));
    const results: object[] = kept.map(({ finding, print }) => result(finding, index.get(finding.policy) ?? -1, print, configStack));
    if (cut > 0) {
        rules.push({
            id: TRUNCATED_RULE,
            name: ruleDisplayName(TRUNCATED_RULE),
            shortDescription: { text: `Findings left out of this run: GitHub code scanning takes at most ${MAX_RESULTS} results per run.` },
            fullDescription: { text: `Findings left out of this run: GitHub code scanning takes at most ${MAX_RESULTS} results per run.` },
            helpUri: documentationUri("docs/security-review.md", "formats-and-options"),
            help: {
                text: "Run the check with --format json or text for every finding.",
                markdown: "Run the check with `--format json` or `text` for every finding.",
            },
            defaultConfiguration: { level: "note" },
            properties: { tags: ["security"], controls: [], "security-severity": SECURITY_SEVERITY.low, precision: "very-high" },
        });
        results.push({
            ruleId: TRUNCATED_RULE,
            ruleIndex: rules.length - 1,
            level: "note",
            message: {
                text: `${cut} of ${report.findings.length} findings are not in this SARIF run (GitHub takes at most ${MAX_RESULTS} results per run): failing findings are kept first, then advisory, then waived. Every finding is in --format json.`,
            },
            locations: [{ physicalLocation: physicalLocation({ file: stackFile(stackOfUrn(report.findings[0]?.urn ?? "") ?? configStack), line: 1 }) }],
            partialFingerprints: { "osintFinding/v1": createHash("sha256").update(`${TRUNCATED_RULE}\n${configStack}`).digest("hex") },
        });
    }
    const sarif = {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: TOOL, version, informationUri: documentationUri(RULES_PAGE), rules } },
                originalUriBaseIds: { "%SRCROOT%": { description: { text: "the repository's root" } } },
                results,
                properties: { summary: report.summary },
            },
        ],
    };
    return JSON.stringify(sarif, null, 2);
}
