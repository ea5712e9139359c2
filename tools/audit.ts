// npm run audit: `npm audit --audit-level=high` with an explicit verdict when the registry has no
// audit endpoint. High or critical advisories always fail. An unreachable endpoint fails when
// AUDIT_REQUIRED=true (the GitHub pipeline sets it) and otherwise prints "npm audit NOT RUN" and passes,
// so a mirror without the endpoint neither blocks the suite nor passes for an audit.
import { spawnSync } from "node:child_process";
import { outOption, runTool, type ToolSpec, writeResult } from "./cli";

export const BLOCKING_SEVERITIES = ["high", "critical"] as const;

export interface AuditVerdict {
    readonly exitCode: 0 | 1;
    readonly message: string;
}

interface AuditReport {
    readonly auditReportVersion: number;
    readonly vulnerabilities: Record<string, { readonly severity: string }>;
    readonly metadata: { readonly vulnerabilities: Record<string, number>; readonly dependencies: { readonly total: number } };
}

/** The verdict on the JSON that `npm audit --json` printed. */
export function auditVerdict(stdout: string, required: boolean): AuditVerdict {
    let report: Partial<AuditReport> & { message?: string; statusCode?: number };
    try {
        report = JSON.parse(stdout);
    } catch {
        report = { message: `npm audit printed no JSON: ${stdout.slice(0, 200)}` };
    }
    if (report.auditReportVersion === undefined || !report.metadata || !report.vulnerabilities) {
        const why = report.message ?? `no audit report (HTTP ${report.statusCode ?? "?"})`;
        return required
            ? { exitCode: 1, message: `npm audit FAILED: the registry's audit endpoint gave no report (${why}); AUDIT_REQUIRED=true` }
            : { exitCode: 0, message: `npm audit NOT RUN: the registry's audit endpoint gave no report (${why}); set AUDIT_REQUIRED=true to fail on this` };
    }
    const { metadata, vulnerabilities } = report;
    const blocking = Object.entries(vulnerabilities).filter(([, v]) => (BLOCKING_SEVERITIES as readonly string[]).includes(v.severity));
    const counts = BLOCKING_SEVERITIES.map((s) => `${metadata.vulnerabilities[s] ?? 0} ${s}`).join(", ");
    if (blocking.length > 0) {
        return { exitCode: 1, message: `npm audit FAILED: ${counts}: ${blocking.map(([name, v]) => `${name} (${v.severity})`).join(", ")}` };
    }
    return { exitCode: 0, message: `npm audit passed: ${counts} in ${metadata.dependencies.total} dependencies` };
}

export const spec: ToolSpec<typeof outOption> = {
    name: "audit",
    summary: "npm audit of the dependencies: high and critical advisories fail; an unreachable audit endpoint fails only with AUDIT_REQUIRED=true",
    usage: ["[--out <file>]"],
    options: outOption,
    examples: ["npm run -s audit", "AUDIT_REQUIRED=true npm run -s audit"],
    exitCodes: {
        0: "no high or critical advisory (or the endpoint was unreachable and AUDIT_REQUIRED is not true)",
        1: "advisories found, or no report under AUDIT_REQUIRED=true",
    },
};

if (require.main === module)
    runTool(spec, async (values) => {
        // npm exits 1 both for findings and for endpoint errors; the JSON tells them apart.
        const run = spawnSync("npm", ["audit", "--json", "--audit-level=high"], { encoding: "utf8" });
        const verdict = auditVerdict(run.stdout, process.env.AUDIT_REQUIRED === "true");
        writeResult(verdict.message, values.out);
        return verdict.exitCode;
    });
