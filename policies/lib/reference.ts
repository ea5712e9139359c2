// The pack described from the rules themselves, for reference pages (docs/policies.md) and any tool
// that lists the rules: name, what it checks, the controls it implements and the types it judges.
import type { Rule, RuleInfo } from "../rules";
import { summaryOf } from "../rules";
import { STANDARDS } from "./standards";
import { validationsOf, validationType } from "./values";

export interface PolicyReference {
    readonly name: string;
    readonly checks: string;
    readonly controls: readonly string[];
    readonly resourceTypes: readonly string[];
    readonly remediation: string;
}

/** The type tokens a rule judges: each validation's, then those a stack rule reads. */
function resourceTypesOf(rule: Rule): string[] {
    const tokens = [...validationsOf(rule).map((v) => validationType(v) ?? ""), ...(rule.stackTypes ?? [])];
    return [...new Set(tokens.filter((t) => t !== ""))];
}

/** Each control, with the types it is limited to when the rule scopes it (controlScopes). */
function scopedControls(rule: Rule): string[] {
    return rule.controls.map((control) => {
        const scope = rule.controlScopes?.[control];
        return scope ? `${control} (${scope.map((token) => `\`${token}\``).join(", ")} only)` : control;
    });
}

export function policyReference(rules: readonly Rule[]): PolicyReference[] {
    return rules.map((rule) => ({
        name: rule.name,
        checks: summaryOf(rule),
        controls: scopedControls(rule),
        resourceTypes: resourceTypesOf(rule),
        remediation: rule.remediationSteps ?? "",
    }));
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/** The reference as a Markdown table, one row per rule. */
export function policyTable(rules: readonly Rule[]): string {
    const rows = policyReference(rules).map(
        (p) =>
            `| <a id="rule-${p.name}"></a>\`${p.name}\` | ${cell(p.checks)} | ${p.controls.join("<br>")} | ${p.resourceTypes.map((t) => `\`${t}\``).join("<br>")} |`,
    );
    return ["| Rule | What it checks | Controls | Resource types |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** The registry of standards (policies/lib/standards.ts) as a Markdown table, one row per prefix. */
export function standardsTable(): string {
    const rows = Object.entries(STANDARDS).map(
        ([prefix, s]) => `| \`${prefix}\` | ${cell(s.title)} | ${cell(s.version)} | ${cell(s.ids)} | ${cell(s.source)} |`,
    );
    return ["| Prefix | Standard | Version | Id | Read from |", "| --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** The Dockerfile rules (policies/dockerfile/rules) as a Markdown table, one row per rule. */
export function dockerfileRuleTable(rules: readonly RuleInfo[]): string {
    const rows = rules.map((r) => `| <a id="rule-${r.name}"></a>\`${r.name}\` | ${cell(summaryOf(r))} | ${r.controls.join("<br>")} |`);
    return ["| Rule | What it checks | Controls |", "| --- | --- | --- |", ...rows].join("\n");
}
