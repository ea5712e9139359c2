// The reviewer's text: findings grouped by rule, each rule with its count, controls and remediation once.
import type { Finding, Report } from "./findings";

function line(f: Finding): string {
    const waiver = f.waived ? `  [waived until ${f.waived.expires}: ${f.waived.reason}]` : "";
    return `  - ${f.urn}\n    ${f.message}${waiver}`;
}

export function renderText(report: Report): string {
    const lines: string[] = [];
    for (const rule of report.rules) {
        const found = report.findings.filter((f) => f.policy === rule.name);
        if (found.length === 0) continue;
        const levels = [...new Set(found.map((f) => (f.waived ? "waived" : f.enforcement)))].join(", ");
        lines.push(`${rule.name} (${levels}): ${found.length} finding${found.length === 1 ? "" : "s"}`);
        if (rule.controls?.length) lines.push(`  controls:    ${rule.controls.join(", ")}`);
        lines.push(`  remediation: ${rule.remediationSteps ?? ""}`, ...found.map(line), "");
    }
    const s = report.summary;
    lines.push(
        `stack ${s.stack} (${s.format}): ${s.policies} policies over ${s.resources} resources, ${s.violations} findings: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived`,
    );
    return lines.join("\n");
}
