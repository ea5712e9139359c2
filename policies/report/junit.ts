// JUnit XML for CI test reports: one suite per rule; one test case per rule and resource it judged
// (no finding: passed; mandatory: failure; waived: skipped; advisory: passed, its message as output),
// and for a stack rule, a case per resource it found wrong or one passing case for the stack; a rule
// with nothing to judge still shows, as one passing case.
import builder from "junit-report-builder";
import type { Report } from "./findings";

export function renderJunit(report: Report): string {
    const junit = builder.newBuilder().name(`${report.summary.stack}: osint-platform security review`);
    for (const rule of report.rules) {
        const suite = junit.testSuite().name(rule.name);
        const found = report.findings.filter((f) => f.policy === rule.name);
        const flagged = new Set(found.map((f) => f.urn));
        const clean = (report.judged.get(rule.name) ?? []).filter((urn) => !flagged.has(urn));
        for (const urn of clean) suite.testCase().className(rule.name).name(urn);
        if (found.length === 0 && clean.length === 0)
            suite
                .testCase()
                .className(rule.name)
                .name("validateStack" in rule ? `stack ${report.summary.stack}` : "no resource of its types");
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
