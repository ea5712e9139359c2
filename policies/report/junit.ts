// JUnit XML for CI test reports: one suite per rule; one test case per rule and resource with a
// finding (mandatory: failure; waived: skipped; advisory: passed, its message as output), and one
// passing case for a rule that found nothing, so every rule shows in the report.
import builder from "junit-report-builder";
import type { Report } from "./findings";

export function renderJunit(report: Report): string {
    const junit = builder.newBuilder().name(`${report.summary.stack}: osint-platform security review`);
    for (const rule of report.rules) {
        const suite = junit.testSuite().name(rule.name);
        const found = report.findings.filter((f) => f.policy === rule.name);
        if (found.length === 0) suite.testCase().className(rule.name).name("no finding");
        for (const f of found) {
            const test = suite.testCase().className(rule.name).name(f.urn);
            if (f.source) test.file(f.source.file);
            const text = `${f.message}\nremediation: ${f.remediation}${f.controls.length ? `\ncontrols: ${f.controls.join(", ")}` : ""}`;
            if (f.waived) test.skipped().standardOutput(`waived until ${f.waived.expires}: ${f.waived.reason}\n${text}`);
            else if (f.enforcement === "mandatory") test.failure(f.message, "mandatory").standardOutput(text);
            else test.standardOutput(`${f.enforcement}: ${text}`);
        }
    }
    return junit.build();
}
