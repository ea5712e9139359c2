// The JSON result: {"summary", "violations"} (the checked plan itself only on request).
import type { Report } from "./findings";

export function renderJson(report: Report, plan?: unknown): string {
    const violations = report.findings.map((f) => ({
        policy: f.policy,
        enforcement: f.enforcement,
        urn: f.urn,
        type: f.type,
        name: f.name,
        property: f.property,
        message: f.message,
        remediation: f.remediation,
        controls: f.controls,
        waived: f.waived,
    }));
    return JSON.stringify({ summary: report.summary, violations, ...(plan === undefined ? {} : { plan }) }, null, 2);
}
