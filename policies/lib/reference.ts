// The pack described from the rules themselves, for reference pages (docs/policies.md) and any tool
// that lists the rules: name, what it checks, the controls it implements and the types it judges.
import type { Rule } from "../rules";
import { summaryOf } from "../rules";
import { typeToken, validationsOf, validationType } from "./values";

export interface PolicyReference {
    readonly name: string;
    readonly checks: string;
    readonly controls: readonly string[];
    readonly resourceTypes: readonly string[];
    readonly remediation: string;
}

/** The type tokens a rule judges: each validation's, then the classes a stack rule reads. */
function resourceTypesOf(rule: Rule): string[] {
    const tokens = [...validationsOf(rule).map((v) => validationType(v) ?? ""), ...(rule.stackTypes ?? []).map(typeToken)];
    return [...new Set(tokens.filter((t) => t !== ""))];
}

export function policyReference(rules: readonly Rule[]): PolicyReference[] {
    return rules.map((rule) => ({
        name: rule.name,
        checks: summaryOf(rule),
        controls: rule.controls,
        resourceTypes: resourceTypesOf(rule),
        remediation: rule.remediationSteps ?? "",
    }));
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/** The reference as a Markdown table, one row per rule. */
export function policyTable(rules: readonly Rule[]): string {
    const rows = policyReference(rules).map(
        (p) => `| \`${p.name}\` | ${cell(p.checks)} | ${p.controls.join("<br>")} | ${p.resourceTypes.map((t) => `\`${t}\``).join("<br>")} |`,
    );
    return ["| Rule | What it checks | Controls | Resource types |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
