// docs/policies.md carries the table the rules generate: one row per rule with what it checks, its
// controls and the resource types it judges. `UPDATE_POLICY_DOCS=1` rewrites the table after a change.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { dockerfileRules } from "../../policies/dockerfile/rules";
import { dockerfileRuleTable, policyReference, policyTable, standardsTable } from "../../policies/lib/reference";
import { rules } from "../../policies/rules";

const DOC = path.join(__dirname, "../../docs/policies.md");

/** Checks (or with UPDATE_POLICY_DOCS=1 rewrites) the generated part of docs/policies.md between a marker pair. */
function generated(marker: string, source: string, table: string): void {
    const begin = `<!-- ${marker}:begin (generated from ${source} by tests/policies/reference.test.ts) -->`;
    const end = `<!-- ${marker}:end -->`;
    const text = fs.readFileSync(DOC, "utf8");
    const start = text.indexOf(begin);
    const stop = text.indexOf(end);
    assert.ok(start >= 0 && stop > start, `docs/policies.md: expected the markers ${begin} ... ${end}`);
    const expected = `${text.slice(0, start + begin.length)}\n${table}\n${text.slice(stop)}`;
    if (process.env.UPDATE_POLICY_DOCS === "1") return fs.writeFileSync(DOC, expected);
    assert.equal(text, expected, "docs/policies.md is out of date: run this test with UPDATE_POLICY_DOCS=1");
}

describe("docs/policies.md", () => {
    it("lists every rule with its controls and resource types, as the rules declare them", () => {
        generated("policy-table", "policies/rules", policyTable(rules));
    });

    it("lists every Dockerfile rule with its controls", () => {
        generated("dockerfile-table", "policies/dockerfile/rules", dockerfileRuleTable(dockerfileRules));
    });

    it("states the standard and version every control prefix is read at, from the one registry", () => {
        generated("standards-table", "policies/lib/standards.ts", standardsTable());
    });

    it("gives every rule at least one resource type and one control", () => {
        for (const p of policyReference(rules)) {
            assert.ok(p.resourceTypes.length > 0, p.name);
            assert.ok(p.controls.length > 0, p.name);
        }
    });
});
