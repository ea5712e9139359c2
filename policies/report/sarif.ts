// SARIF 2.1.0 for GitHub code scanning: one reportingDescriptor per rule (help text, controls as
// tags), one result per finding (level from enforcement, the URN as logical location, the file and
// line that registered the resource as physical location, waivers as accepted suppressions).
import { createHash } from "node:crypto";
import type { Finding, Report } from "./findings";

const SCHEMA = "https://json-schema.org/schemas/sarif-schema-2.1.0.json";
const TOOL = "osint-platform-security";

function level(f: Finding): "error" | "warning" | "note" {
    return f.enforcement === "mandatory" ? "error" : f.enforcement === "advisory" ? "warning" : "note";
}

// Stable across runs and line moves, so code scanning tracks one alert per rule, resource and property.
function fingerprint(f: Finding): string {
    return createHash("sha256")
        .update(`${f.policy}\n${f.urn}\n${f.property ?? ""}`)
        .digest("hex");
}

// GitHub refuses the whole file when any result lacks a physical location (its ingestion rule GH1001;
// github/codeql-action#1738), so a finding whose registration is unknown points at what decides it:
// the stack's policy config for a waiver, else the stack's config file.
function physicalLocation(f: Finding, stack: string) {
    const source = f.source ?? { file: f.property?.startsWith("waivers[") ? `policies/config/${stack}.json` : `Pulumi.${stack}.yaml`, line: 1 };
    return { artifactLocation: { uri: source.file, uriBaseId: "%SRCROOT%" }, region: { startLine: source.line } };
}

function result(f: Finding, ruleIndex: number, stack: string) {
    return {
        ruleId: f.policy,
        ruleIndex,
        level: level(f),
        message: { text: `${f.name} (${f.type}): ${f.message}` },
        locations: [
            {
                physicalLocation: physicalLocation(f, stack),
                logicalLocations: [{ fullyQualifiedName: f.urn, name: f.name, kind: "resource" }],
            },
        ],
        partialFingerprints: { "osintFinding/v1": fingerprint(f) },
        properties: { enforcement: f.enforcement, property: f.property, controls: f.controls },
        ...(f.waived
            ? { suppressions: [{ kind: "external", status: "accepted", justification: `${f.waived.reason} (waived until ${f.waived.expires})` }] }
            : {}),
    };
}

export function renderSarif(report: Report, version: string): string {
    const index = new Map(report.rules.map((r, i) => [r.name, i]));
    const sarif = {
        $schema: SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: TOOL,
                        version,
                        rules: report.rules.map((r) => {
                            const controls = r.controls ?? [];
                            const text = `${r.description}\n\nRemediation: ${r.remediationSteps ?? ""}${controls.length ? `\n\nControls: ${controls.join(", ")}` : ""}`;
                            return {
                                id: r.name,
                                name: r.name,
                                shortDescription: { text: r.description },
                                fullDescription: { text: r.description },
                                help: { text, markdown: text.replace(/\n\n(Remediation|Controls):/g, "\n\n**$1:**") },
                                defaultConfiguration: { level: r.enforcementLevel === "advisory" ? "warning" : "error" },
                                properties: { tags: ["security", ...controls], controls },
                            };
                        }),
                    },
                },
                originalUriBaseIds: { "%SRCROOT%": { description: { text: "the repository's root" } } },
                results: report.findings.map((f) => result(f, index.get(f.policy) ?? -1, report.summary.stack)),
                properties: { summary: report.summary },
            },
        ],
    };
    return JSON.stringify(sarif, null, 2);
}
