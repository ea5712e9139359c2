// The check's four outputs over one result (the dev plan with a root container, a waived finding,
// a stale waiver and dev's advisory findings): text grouped by rule, the JSON contract, SARIF 2.1.0
// valid against the official schema (with the line that registered each resource), and JUnit XML.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { XMLParser } from "fast-xml-parser";
import { planInput } from "../../policies/input/read";
import { evaluate, resolveSettings, stackSettings } from "../../policies/offline";
import { buildReport, fails, type Report } from "../../policies/report/findings";
import { renderJson } from "../../policies/report/json";
import { renderJunit } from "../../policies/report/junit";
import { renderSarif } from "../../policies/report/sarif";
import { renderText } from "../../policies/report/text";
import { rules } from "../../policies/rules";
import { projectDir, stackPlan } from "../helpers/plan";
import { T } from "./helpers";
import { junitProblems } from "./junit-constraints";
import { SARIF_CONSTRAINTS } from "./sarif-constraints";

const TODAY = "2026-06-30";
const WAIVER = { resource: "migrations-*", reason: "one-shot job, runs before the services (SEC-12)", expires: "2026-12-31" };
const STALE = { resource: "old-*", reason: "gone", expires: "2026-01-31" };

let report: Report;
let containerUrns: string[];

before(async () => {
    const plan = structuredClone(await stackPlan("dev"));
    const containers = plan.resources.filter((r) => r.type === T.container);
    for (const name of ["backend-container", "migrations-seed"]) {
        const container = containers.find((r) => r.name === name);
        assert.ok(container, name);
        container.inputs.user = "root";
    }
    const { resources, stackUrn } = await planInput(plan);
    containerUrns = resources.filter((r) => r.type === T.container).map((r) => r.urn);
    const dev = Object.fromEntries([...stackSettings("dev")].map(([name, s]) => [name, { enforcementLevel: s.enforcementLevel, ...s.properties }]));
    const settings = resolveSettings({ ...dev, "container-non-root": { waivers: [WAIVER, STALE] } }, "dev.json");
    report = buildReport(await evaluate(resources, settings, { today: TODAY, stackUrn }), resources, { stack: "dev", format: "plan" });
});

const byPolicy = (policy: string) => report.findings.filter((f) => f.policy === policy);

describe("check output: the result", () => {
    it("has the root container failing, the waived one waived, the stale waiver failing and dev's advisory findings", () => {
        const root = byPolicy("container-non-root");
        assert.deepEqual(root.map((f) => [f.name, f.property, f.waived?.reason ?? null, fails(f)]).sort(), [
            ["backend-container", "user", null, true],
            ["migrations-seed", "user", WAIVER.reason, false],
            ["osint-platform-dev", "waivers[1]", null, true],
        ]);
        const s = report.summary;
        assert.equal(s.violations, report.findings.length);
        assert.deepEqual([s.mandatory, s.waived], [2, 1]);
        assert.equal(s.advisory, byPolicy("deletion-protection").length);
        assert.ok(s.advisory > 0);
        assert.equal(s.policies, rules.length);
    });
});

describe("check output: text", () => {
    it("groups by rule: a heading with the count, the remediation once, then each resource", () => {
        const text = renderText(report);
        for (const rule of rules) {
            const found = byPolicy(rule.name);
            const headings = text.split("\n").filter((l) => l.startsWith(`${rule.name} (`));
            assert.equal(headings.length, found.length === 0 ? 0 : 1, rule.name);
            if (found.length === 0) continue;
            assert.match(headings[0], new RegExp(`: ${found.length} findings?$`));
            assert.equal(text.split(`remediation: ${rule.remediationSteps}`).length - 1, 1, rule.name);
            if (rule.controls?.length) assert.ok(text.includes(`${headings[0]}\n  controls:    ${rule.controls.join(", ")}\n`), rule.name);
        }
        assert.match(text, /container-non-root \(mandatory, waived\): 3 findings/);
        assert.match(text, /migrations-seed\n {4}.*\[waived until 2026-12-31: one-shot job, runs before the services \(SEC-12\)\]/);
        const s = report.summary;
        assert.match(
            text.trimEnd().split("\n").pop() ?? "",
            new RegExp(
                `^stack dev \\(plan\\): ${rules.length} policies over ${s.resources} resources, ${s.violations} findings: 2 mandatory, ${s.advisory} advisory, 1 waived$`,
            ),
        );
    });

    it("counts one as one: 1 resource, 1 finding", () => {
        const one = report.findings.find((f) => f.policy === "container-non-root")!;
        const single = { ...report, findings: [one], summary: { ...report.summary, resources: 1, violations: 1, mandatory: 1, advisory: 0, waived: 0 } };
        const text = renderText(single as Report);
        assert.match(text, /^container-non-root \([a-z, ]+\): 1 finding$/m);
        assert.match(
            text.trimEnd().split("\n").pop() ?? "",
            new RegExp(`: ${rules.length} policies over 1 resource, 1 finding: 1 mandatory, 0 advisory, 0 waived$`),
        );
    });
});

describe("check output: json", () => {
    it('is exactly {"summary", "violations"}, each violation with the contract\'s fields; the plan only when asked', () => {
        const document = JSON.parse(renderJson(report)) as { summary: unknown; violations: Record<string, unknown>[] };
        assert.deepEqual(Object.keys(document), ["summary", "violations"]);
        assert.deepEqual(document.summary, report.summary);
        assert.equal(document.violations.length, report.findings.length);
        for (const v of document.violations)
            assert.deepEqual(Object.keys(v), ["policy", "enforcement", "urn", "type", "name", "property", "message", "remediation", "controls", "waived"]);
        const seed = document.violations.find((v) => v.name === "migrations-seed");
        assert.deepEqual(seed?.waived, WAIVER);
        assert.equal(seed?.type, T.container);
        assert.deepEqual(seed?.controls, rules.find((r) => r.name === "container-non-root")?.controls ?? []);
        assert.deepEqual(Object.keys(JSON.parse(renderJson(report, { resources: [] })) as object), ["summary", "violations", "plan"]);
    });
});

describe("check output: SARIF", () => {
    // The OASIS 2.1.0 schema's and GitHub's constraints on what this writer emits (./sarif-constraints.ts).
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(SARIF_CONSTRAINTS);
    interface Result {
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: {
            physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } };
            logicalLocations: { fullyQualifiedName: string }[];
        }[];
        suppressions?: { status: string; justification: string }[];
    }
    interface Sarif {
        version: string;
        runs: { tool: { driver: { rules: { id: string; help: { text: string }; properties: { tags: string[] } }[] } }; results: Result[] }[];
    }
    let sarif: Sarif;
    before(() => {
        sarif = JSON.parse(renderSarif(report, "0.1.0")) as Sarif;
    });

    it("meets the SARIF 2.1.0 schema's and GitHub's constraints, which refuse a broken copy", () => {
        assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
        const broken = structuredClone(sarif) as unknown as { runs: { results: { level: string }[] }[] };
        broken.runs[0].results[0].level = "fatal";
        assert.ok(!validate(broken));
    });

    it("describes every rule with help text (remediation) and its controls as tags", () => {
        const described = sarif.runs[0].tool.driver.rules;
        assert.deepEqual(
            described.map((r) => r.id),
            rules.map((r) => r.name),
        );
        rules.forEach((rule, i) => {
            assert.match(described[i].help.text, new RegExp(`Remediation: ${(rule.remediationSteps ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
            assert.deepEqual(described[i].properties.tags, ["security", ...(rule.controls ?? [])]);
        });
    });

    it("gives each finding a level from its enforcement, the URN as logical location, a waiver as an accepted suppression", () => {
        const results = sarif.runs[0].results;
        assert.equal(results.length, report.findings.length);
        report.findings.forEach((f, i) => {
            const r = results[i];
            assert.equal(r.ruleId, f.policy);
            assert.equal(sarif.runs[0].tool.driver.rules[r.ruleIndex].id, f.policy);
            assert.equal(r.level, f.enforcement === "mandatory" ? "error" : "warning");
            assert.equal(r.locations[0].logicalLocations[0].fullyQualifiedName, f.urn);
            assert.equal(r.suppressions?.[0].status, f.waived ? "accepted" : undefined);
        });
    });

    it("points each finding on a resource at the line of the program that registered it", () => {
        const results = sarif.runs[0].results.filter((r) => r.ruleId === "container-non-root" && r.suppressions === undefined);
        const located = results.map((r) => r.locations[0].physicalLocation ?? assert.fail());
        assert.deepEqual(located.map((l) => l.artifactLocation.uri).sort(), ["policies/config/dev.json", "components/docker/container.ts"].sort());
        const container = located.find((l) => l.artifactLocation.uri.startsWith("components/")) ?? assert.fail();
        const line = fs.readFileSync(path.join(projectDir, container.artifactLocation.uri), "utf8").split("\n")[container.region.startLine - 1];
        assert.match(line, /new docker\.Container\(/, `${container.artifactLocation.uri}:${container.region.startLine}`);
    });

    it("gives every result a physical location in the repository, as GitHub requires of each", () => {
        for (const r of sarif.runs[0].results) {
            const uri = r.locations[0].physicalLocation?.artifactLocation.uri ?? assert.fail(`${r.ruleId} has no physical location`);
            assert.ok(!path.isAbsolute(uri) && fs.existsSync(path.join(projectDir, uri)), uri);
        }
    });
});

describe("check output: JUnit", () => {
    interface Case {
        "@_name": string;
        failure?: unknown;
        skipped?: unknown;
    }
    interface Suite {
        "@_name": string;
        "@_tests": string;
        "@_failures": string;
        "@_skipped": string;
        testcase: Case[];
    }

    it("has a suite per rule and a case per rule and resource it judged: failures for what fails, skipped for what is waived", () => {
        const xml = renderJunit(report);
        assert.deepEqual(junitProblems(xml), [], "valid against junit-10.xsd's constraints");
        const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(xml) as {
            testsuites: { "@_tests": string; "@_failures": string; testsuite: Suite[] };
        };
        const suites = parsed.testsuites.testsuite;
        assert.deepEqual(
            suites.map((s) => s["@_name"]),
            rules.map((r) => r.name),
        );
        for (const suite of suites) {
            const rule = rules.find((r) => r.name === suite["@_name"]) ?? assert.fail();
            const found = byPolicy(rule.name);
            const judged = report.judged.get(rule.name) ?? [];
            const expected = [...new Set([...judged, ...found.map((f) => f.urn)])];
            if (expected.length === 0) expected.push("validateStack" in rule ? "stack dev" : "no resource of its types");
            assert.deepEqual(suite.testcase.map((c) => c["@_name"]).sort(), expected.sort(), rule.name);
            assert.equal(Number(suite["@_failures"]), found.filter(fails).length, rule.name);
            assert.equal(Number(suite["@_skipped"]), found.filter((f) => f.waived).length, rule.name);
            assert.equal(Number(suite["@_tests"]), suite.testcase.length);
        }
        assert.deepEqual(report.judged.get("container-non-root"), containerUrns, "each of dev's containers is a case of container-non-root");
        assert.equal(Number(parsed.testsuites["@_failures"]), report.findings.filter(fails).length);
    });
});
