// The check's SARIF as GitHub code scanning and the OASIS schema take it (issue 22, item 6): locations
// inside the repository and percent-encoded, lines from 1, an expired waiver at its own line, the
// fallback naming the document's stack, a fingerprint per finding, at most 25,000 results with a note
// saying how many were cut, and rules with security-severity, helpUri, informationUri and a name.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import type { CheckedResource, Violation } from "../../policies/offline";
import { at } from "../../policies/lib/report";
import { buildReport, fails } from "../../policies/report/findings";
import { MAX_RESULTS, renderSarif, TRUNCATED_RULE } from "../../policies/report/sarif";
import { rules } from "../../policies/rules";
import { projectDir } from "../helpers/plan";
import { T } from "./helpers";
import { SARIF_CONSTRAINTS } from "./sarif-constraints";

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SARIF_CONSTRAINTS);

interface Result {
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    partialFingerprints: Record<string, string>;
}
interface Descriptor {
    id: string;
    name: string;
    helpUri: string;
    properties: { tags: string[]; "security-severity": string };
}
interface Sarif {
    runs: { tool: { driver: { informationUri: string; rules: Descriptor[] } }; results: Result[] }[];
}

const urnOf = (stack: string, type: string, name: string) => `urn:pulumi:${stack}::osint-platform::${type}::${name}`;

function resourceAt(stack: string, name: string, source: CheckedResource["source"]): CheckedResource {
    return { urn: urnOf(stack, T.rds, name), type: T.rds, name, parent: null, protect: false, inputs: {}, outputs: {}, source };
}

function violation(urn: string, message: string, policy = "rds-storage-encrypted"): Violation {
    return { policy, enforcement: "mandatory", urn, message, waived: null };
}

function sarifOf(violations: readonly Violation[], resources: readonly CheckedResource[], stack: string): Sarif {
    const text = renderSarif(buildReport(violations, resources, { stack, format: "export" }), "0.0.0");
    const sarif = JSON.parse(text) as Sarif;
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    return sarif;
}

const located = (r: Result) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine] as const;

describe("check output: SARIF locations (GitHub code scanning)", () => {
    it("percent-encodes the file, keeps it inside the repository and starts lines at 1", () => {
        const sources: [CheckedResource["source"], string, number][] = [
            [{ file: "components/my stack/données.ts", line: 12 }, "components/my%20stack/donn%C3%A9es.ts", 12],
            [{ file: "../../../etc/passwd", line: 3 }, "Pulumi.prod.yaml", 1],
            [{ file: "/etc/passwd", line: 3 }, "Pulumi.prod.yaml", 1],
            [{ file: "components/../../outside.ts", line: 3 }, "Pulumi.prod.yaml", 1],
            [{ file: "components/\u001b[2Jx.ts", line: 3 }, "Pulumi.prod.yaml", 1],
            [{ file: "index.ts", line: 0 }, "index.ts", 1],
            [{ file: "index.ts", line: Number.NaN }, "index.ts", 1],
            [{ file: "a#b?c.ts", line: 2 }, "a%23b%3Fc.ts", 2],
        ];
        const resources = sources.map(([source], i) => resourceAt("prod", `db-${i}`, source));
        const sarif = sarifOf(
            resources.map((r) => violation(r.urn, at("storageEncrypted", "x"))),
            resources,
            "prod",
        );
        assert.deepEqual(
            sarif.runs[0].results.map(located),
            sources.map(([, uri, line]) => [uri, line]),
        );
    });

    it("points a finding without a usable registration at the settings file of the stack the document names", () => {
        const urn = urnOf("test-b5f8ac54", T.rds, "db");
        const hostile = urnOf("../../../tmp/x", T.rds, "db");
        const sarif = sarifOf([violation(urn, at("storageEncrypted", "x")), violation(hostile, at("storageEncrypted", "x"))], [], "prod");
        // A stack name that could name a path is not one: the config's stack then.
        assert.deepEqual(sarif.runs[0].results.map(located), [
            ["Pulumi.test-b5f8ac54.yaml", 1],
            ["Pulumi.prod.yaml", 1],
        ]);
    });

    it("locates a waiver's finding at the waiver's own line in policies/config/<stack>.json", () => {
        const file = "policies/config/staging.json";
        const lines = fs.readFileSync(path.join(projectDir, file), "utf8").split("\n");
        // The waiver's object starts on the line before its first member.
        const line = lines.findIndex((l) => l.includes('"resource": "network-cluster-ghcr-credentials"'));
        assert.ok(line > 0 && lines[line - 1].trim() === "{");
        const stackUrn = urnOf("staging", "pulumi:pulumi:Stack", "osint-platform-staging");
        const sarif = sarifOf([violation(stackUrn, at("waivers[0]", "the waiver expired"), "secrets-manager-kms")], [], "staging");
        assert.deepEqual(sarif.runs[0].results.map(located), [[file, line]]);
    });
});

describe("check output: SARIF results", () => {
    it("gives two findings of one rule on one property of one resource distinct fingerprints", () => {
        const urn = urnOf("prod", T.iamPolicy, "admin");
        const messages = [0, 1].map((i) => at("policy", `statement ${i} allows every action on every resource`));
        const sarif = sarifOf(
            messages.map((m) => violation(urn, m, "iam-no-admin-policy")),
            [],
            "prod",
        );
        const prints = sarif.runs[0].results.map((r) => r.partialFingerprints["osintFinding/v1"]);
        assert.equal(new Set(prints).size, messages.length);
    });

    it(`keeps at most ${MAX_RESULTS} results, failing findings first, and says in a note how many were cut`, () => {
        const count = MAX_RESULTS + 7;
        const violations = Array.from({ length: count }, (_, i): Violation => {
            const v = violation(urnOf("prod", T.rds, `db-${i}`), at("storageEncrypted", "x"));
            // Every third advisory: what is cut is advisory.
            return i % 3 === 0 ? { ...v, enforcement: "advisory" } : v;
        });
        const sarif = sarifOf(violations, [], "prod");
        const results = sarif.runs[0].results;
        assert.equal(results.length, MAX_RESULTS);
        const note = results[results.length - 1];
        const cut = count - (MAX_RESULTS - 1);
        assert.equal(note.ruleId, TRUNCATED_RULE);
        assert.equal(note.level, "note");
        assert.equal(sarif.runs[0].tool.driver.rules[note.ruleIndex].id, TRUNCATED_RULE);
        assert.match(note.message.text, new RegExp(`^${cut} of ${count} findings are not in this SARIF run`));
        const failing = violations.filter(fails).length;
        assert.equal(results.filter((r) => r.level === "error").length, failing, "every failing finding is kept");
        assert.equal(new Set(results.map((r) => r.partialFingerprints["osintFinding/v1"])).size, results.length);
    });
});

describe("check output: SARIF rules", () => {
    const sarif = sarifOf([], [], "prod");
    const described = sarif.runs[0].tool.driver.rules;
    const docs = fs.readFileSync(path.join(projectDir, "docs", "policies.md"), "utf8");

    it("gives each rule a security-severity on GitHub's scale for its severity, a name other than its id, and a link to its documentation", () => {
        const scale = { critical: [9, 10], high: [7, 9], medium: [4, 7], low: [0.1, 4] } as const;
        assert.deepEqual(
            described.map((d) => d.id),
            rules.map((r) => r.name),
        );
        rules.forEach((rule, i) => {
            const d = described[i];
            const [low, high] = scale[rule.severity];
            const severity = Number(d.properties["security-severity"]);
            assert.ok(severity >= low && severity < high + (high === 10 ? 0.01 : 0), `${rule.name}: ${severity} is ${rule.severity}`);
            assert.notEqual(d.name, d.id);
            const anchor = new URL(d.helpUri).hash.slice(1);
            assert.ok(d.helpUri.includes("/docs/policies.md#") && docs.includes(`<a id="${anchor}"></a>`), `${rule.name}: ${d.helpUri}`);
        });
        assert.equal(new Set(described.map((d) => d.name)).size, described.length);
        assert.match(sarif.runs[0].tool.driver.informationUri, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/main\/docs\/policies\.md$/);
    });

    it("the constraints refuse what GitHub or the schema refuses (each broken copy fails)", () => {
        const report = sarifOf(
            [violation(urnOf("prod", T.rds, "db"), at("storageEncrypted", "x"))],
            [resourceAt("prod", "db", { file: "index.ts", line: 3 })],
            "prod",
        );
        const breaks: [string, (s: Sarif) => void][] = [
            ["startLine 0", (s) => (s.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)],
            ["a uri outside the repository", (s) => (s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "../../etc/passwd")],
            ["an absolute uri", (s) => (s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "file:///etc/passwd")],
            ["a space in a uri", (s) => (s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "my file.ts")],
            ["no location", (s) => (s.runs[0].results[0].locations = [])],
            [
                "a rule without security-severity",
                (s) => delete (s.runs[0].tool.driver.rules[0].properties as Partial<Descriptor["properties"]>)["security-severity"],
            ],
            ["security-severity out of scale", (s) => (s.runs[0].tool.driver.rules[0].properties["security-severity"] = "11")],
            ["a relative helpUri", (s) => (s.runs[0].tool.driver.rules[0].helpUri = "docs/policies.md")],
            ["an unknown level", (s) => (s.runs[0].results[0].level = "fatal")],
            ["21 tags", (s) => (s.runs[0].tool.driver.rules[0].properties.tags = Array.from({ length: 21 }, (_, i) => `t${i}`))],
        ];
        for (const [what, brk] of breaks) {
            const copy = structuredClone(report);
            brk(copy);
            assert.ok(!validate(copy), what);
        }
    });
});
