// The reviewer's text: findings grouped by rule, each rule with its count, controls and remediation once.
// What a document says is printed through printable(): its control characters cannot act on the terminal.
import type { Finding, Report } from "./findings";
import { printable } from "../../lib/terminal-text";
import { counted } from "../../lib/words";

function line(f: Finding): string {
    const waiver = f.waived ? `  [waived until ${f.waived.expires}: ${printable(f.waived.reason)}]` : "";
    return `  - ${printable(f.urn)}\n    ${printable(f.message)}${waiver}`;
}

/** What a partial preview leaves unjudged, and how to get a whole one. */
export function partialNote(partial: NonNullable<Report["summary"]["partial"]>): string {
    return `partial preview: ${partial.omitted} unchanged resource${partial.omitted === 1 ? " is" : "s are"} left out (pulumi preview --json without --show-sames), so the stack rules ${partial.notJudged.join(", ")} were not judged (an omitted companion is not a missing one); run pulumi preview --json --show-sames for a whole check`;
}

export function renderText(report: Report): string {
    const lines: string[] = [];
    for (const rule of report.rules) {
        const found = report.findings.filter((f) => f.policy === rule.name);
        if (found.length === 0) continue;
        const levels = [...new Set(found.map((f) => (f.waived ? "waived" : f.enforcement)))].join(", ");
        lines.push(`${rule.name} (${levels}): ${counted(found.length, "finding")}`);
        if (rule.controls?.length) lines.push(`  controls:    ${rule.controls.join(", ")}`);
        lines.push(`  remediation: ${rule.remediationSteps ?? ""}`, ...found.map(line), "");
    }
    const s = report.summary;
    if (s.partial) lines.push(partialNote(s.partial), "");
    lines.push(
        `stack ${printable(s.stack)} (${s.format}): ${counted(s.policies, "policy", "policies")} over ${counted(s.resources, "resource")}, ${counted(s.violations, "finding")}: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.waived} waived`,
    );
    return lines.join("\n");
}
