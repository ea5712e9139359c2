// docs/policies.md carries the table the rules generate: one row per rule with what it checks, its
// controls and the resource types it judges. `UPDATE_POLICY_DOCS=1` rewrites the table after a change.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { policyReference, policyTable } from "../../policies/lib/reference";
import { rules } from "../../policies/rules";

const DOC = path.join(__dirname, "../../docs/policies.md");
const BEGIN = "<!-- policy-table:begin (generated from policies/rules by tests/policies/reference.test.ts) -->";
const END = "<!-- policy-table:end -->";

describe("docs/policies.md", () => {
    it("lists every rule with its controls and resource types, as the rules declare them", () => {
        const text = fs.readFileSync(DOC, "utf8");
        const start = text.indexOf(BEGIN);
        const end = text.indexOf(END);
        assert.ok(start >= 0 && end > start, `docs/policies.md: expected the markers ${BEGIN} ... ${END}`);
        const expected = `${text.slice(0, start + BEGIN.length)}\n${policyTable(rules)}\n${text.slice(end)}`;
        if (process.env.UPDATE_POLICY_DOCS === "1") return fs.writeFileSync(DOC, expected);
        assert.equal(text, expected, "docs/policies.md is out of date: run this test with UPDATE_POLICY_DOCS=1");
    });

    it("gives every rule at least one resource type and one control", () => {
        for (const p of policyReference(rules)) {
            assert.ok(p.resourceTypes.length > 0, p.name);
            assert.ok(p.controls.length > 0, p.name);
        }
    });
});
