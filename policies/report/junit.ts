// JUnit XML for CI test reports, valid against Jenkins xunit-plugin's junit-10.xsd (the strictest
// common reader; tests/policies/junit-constraints.ts encodes it): one suite per rule; one test case
// per rule and resource it judged (no finding: passed; mandatory: failure; waived: skipped; advisory:
// passed, its message as output), and for a stack rule, a case per resource it found wrong or one
// passing case for the stack; a rule with nothing to judge still shows, as one passing case.
// junit-10.xsd allows neither `skipped` on <testsuites> nor `file` on <testcase>: the file and line
// that registered a resource go in the case's output instead.
import { create, type XMLElement } from "xmlbuilder";
import { fails, type Finding, type Report } from "./findings";

// XML 1.0 cannot carry every character a URN or message may hold (NUL, ESC, ...): each becomes U+FFFD.
const OPTIONS = { version: "1.0", encoding: "UTF-8", invalidCharReplacement: "\uFFFD" } as const;

interface Case {
    readonly name: string;
    readonly finding?: Finding;
}

function counts(cases: readonly Case[]): { tests: number; failures: number; errors: number; skipped: number } {
    const found = cases.flatMap((c) => (c.finding ? [c.finding] : []));
    return { tests: cases.length, failures: found.filter(fails).length, errors: 0, skipped: found.filter((f) => f.waived).length };
}

function output(f: Finding): string {
    const lines = [f.message, `remediation: ${f.remediation}`];
    if (f.controls.length) lines.push(`controls: ${f.controls.join(", ")}`);
    if (f.source) lines.push(`registered at: ${f.source.file}:${f.source.line}`);
    return lines.join("\n");
}

function testCase(suite: XMLElement, rule: string, { name, finding: f }: Case): void {
    const test = suite.ele("testcase", { classname: rule, name });
    if (!f) return;
    if (f.waived) {
        test.ele("skipped", { message: `waived until ${f.waived.expires}: ${f.waived.reason}` });
        test.ele("system-out", {}, output(f));
    } else if (f.enforcement === "mandatory") {
        test.ele("failure", { message: f.message, type: "mandatory" });
        test.ele("system-out", {}, output(f));
    } else test.ele("system-out", {}, `${f.enforcement}: ${output(f)}`);
}

export function renderJunit(report: Report): string {
    const suites = report.rules.map((rule) => {
        const found = report.findings.filter((f) => f.policy === rule.name);
        const flagged = new Set(found.map((f) => f.urn));
        const cases: Case[] = (report.judged.get(rule.name) ?? []).filter((urn) => !flagged.has(urn)).map((urn) => ({ name: urn }));
        if (found.length === 0 && cases.length === 0)
            cases.push({ name: "validateStack" in rule ? `stack ${report.summary.stack}` : "no resource of its types" });
        cases.push(...found.map((finding) => ({ name: finding.urn, finding })));
        return { name: rule.name, cases };
    });
    const all = counts(suites.flatMap((s) => s.cases));
    const root = create("testsuites", OPTIONS).att({
        name: `${report.summary.stack}: osint-platform security review`,
        tests: all.tests,
        failures: all.failures,
        errors: all.errors,
    });
    for (const { name, cases } of suites) {
        const suite = root.ele("testsuite", { name, ...counts(cases) });
        for (const c of cases) testCase(suite, name, c);
    }
    return root.end({ pretty: true });
}
