// The offline check's result, format-neutral: each violation with what every output shows
// (resource type and name, property, remediation, controls, waiver, source position) and the counts.
import type { EnforcementLevel } from "@pulumi/policy";
import { propertyOf } from "../lib/report";
import { type CheckedResource, judgedBy, type Violation } from "../offline";
import { controlsFor, type RuleInfo, rules } from "../rules";
import type { Waiver } from "../waivers";

export interface Finding {
    readonly policy: string;
    readonly enforcement: EnforcementLevel;
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly property: string | null;
    readonly message: string;
    readonly remediation: string;
    readonly controls: readonly string[];
    readonly waived: Waiver | null;
    /** Where the program registered the resource, when known (not part of the JSON contract: SARIF uses it). */
    readonly source: { readonly file: string; readonly line: number } | null;
}

export interface Summary {
    readonly stack: string;
    readonly format: string;
    readonly policies: number;
    readonly resources: number;
    readonly violations: number;
    readonly mandatory: number;
    readonly advisory: number;
    readonly waived: number;
    /** For a preview without --show-sames: the unchanged resources it omits, and the stack rules therefore not judged. */
    readonly partial?: { readonly omitted: number; readonly notJudged: readonly string[] };
}

export interface Report {
    readonly summary: Summary;
    readonly findings: readonly Finding[];
    readonly rules: readonly RuleInfo[];
    /** Each rule's name → the URNs it judged one by one (with or without a finding), for per-resource reports. */
    readonly judged: ReadonlyMap<string, readonly string[]>;
}

/** What a URN says of itself: urn:pulumi:<stack>::<project>::<qualified type>::<name>. */
function urnParts(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    return { type: parts[2]?.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/** A finding fails the check when it is mandatory and no holding waiver accepts it. */
export function fails(finding: { readonly enforcement: string; readonly waived?: Waiver | null }): boolean {
    return finding.enforcement === "mandatory" && !finding.waived;
}

/** Dockerfiles judged beside (or, with `only`, instead of) the resources: the Dockerfile rules and the files. */
export interface DockerfileSubjects {
    readonly rules: readonly RuleInfo[];
    readonly subjects: readonly CheckedResource[];
    readonly only?: boolean;
}

export function buildReport(
    violations: readonly Violation[],
    resources: readonly CheckedResource[],
    subject: { stack: string; format: string; partial?: Summary["partial"] },
    dockerfiles?: DockerfileSubjects,
): Report {
    const packRules = dockerfiles?.only ? [] : rules;
    const reportRules: readonly RuleInfo[] = [...packRules, ...(dockerfiles?.rules ?? [])];
    const subjects = dockerfiles?.subjects ?? [];
    const byUrn = new Map([...resources, ...subjects].map((r) => [r.urn, r]));
    const byName = new Map(reportRules.map((r) => [r.name, r]));
    const findings = violations.map((v): Finding => {
        const resource = byUrn.get(v.urn);
        const rule = byName.get(v.policy);
        const type = resource?.type ?? urnParts(v.urn).type;
        return {
            policy: v.policy,
            enforcement: v.enforcement,
            urn: v.urn,
            type,
            name: resource?.name ?? urnParts(v.urn).name,
            property: propertyOf(v.message),
            message: v.message,
            remediation: rule?.remediationSteps ?? "",
            controls: rule ? controlsFor(rule, type) : [],
            waived: v.waived ?? null,
            source: v.source ?? resource?.source ?? null,
        };
    });
    const open = findings.filter((f) => !f.waived);
    return {
        summary: {
            ...subject,
            policies: reportRules.length,
            resources: resources.length + subjects.length,
            violations: findings.length,
            mandatory: open.filter((f) => f.enforcement === "mandatory").length,
            advisory: open.filter((f) => f.enforcement !== "mandatory").length,
            waived: findings.length - open.length,
        },
        findings,
        rules: reportRules,
        judged: new Map([
            ...[...judgedBy(packRules, resources)].map(([name, judged]): [string, string[]] => [name, judged.map((resource) => resource.urn)]),
            ...(dockerfiles?.rules ?? []).map((rule): [string, string[]] => [rule.name, subjects.map((s) => s.urn)]),
        ]),
    };
}
