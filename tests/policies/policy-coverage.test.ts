// docs/policy-coverage.md is the table the rules' controls generate over the anchors' lists: a rule whose
// controls change without the page fails here, as does a resource type the AWS stacks start declaring
// before its anchor checks are read, or a reason kept for a check some rule now covers.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { ANCHORS, REVIEWED_TYPES } from "../../policies/coverage/anchors";
import { anchorCoverage } from "../../policies/coverage/table";
import { parseControl } from "../../policies/lib/standards";
import { type Rule, rules } from "../../policies/rules";
import { pagePath, withBlock } from "../../tools/generated-page";
import { AWS_STACKS, coverageBlock, renderCoverage } from "../../tools/policy-coverage";
import { stackPlan } from "../helpers/plan";

/** The share of checks covered that the issue sets as the goal for each anchor. */
const GOAL = 0.9;

describe("docs/policy-coverage.md", () => {
    let declared: Set<string>;
    before(async () => {
        declared = new Set();
        for (const stack of AWS_STACKS) for (const r of (await stackPlan(stack)).resources) if (r.type.startsWith("aws:")) declared.add(r.type);
    });

    it("carries the table the rules' controls generate (npm run -s policy-coverage -- --write)", async () => {
        const text = fs.readFileSync(pagePath(coverageBlock), "utf8");
        assert.equal(
            withBlock(coverageBlock, text, await renderCoverage(declared)),
            text,
            "docs/policy-coverage.md is stale: run npm run -s policy-coverage -- --write",
        );
    });

    it("has read the anchors' checks for every AWS resource type the stacks declare", () => {
        assert.deepEqual(
            [...declared].filter((t) => !REVIEWED_TYPES.includes(t)).sort(),
            [],
            "read Checkov's and FSBP's checks for these types and add them to policies/coverage/anchors.ts, then REVIEWED_TYPES",
        );
    });

    it("names each check once, by a registered standard, and says why exactly the checks no rule covers are not covered", () => {
        for (const anchor of ANCHORS) {
            const controls = anchor.checks.map((c) => c.control);
            assert.equal(new Set(controls).size, controls.length, anchor.name);
            for (const control of controls) assert.ok(parseControl(control), control);
            for (const row of anchorCoverage(anchor, rules, declared).rows) {
                if (row.rules.length > 0)
                    assert.equal(row.check.notCovered, undefined, `${row.check.control} is covered by ${row.rules.join(", ")}: drop its reason`);
                else assert.ok((row.check.notCovered ?? "").length > 20, `${row.check.control}: no rule covers it, so it needs a reason`);
            }
        }
    });

    it(`covers at least ${GOAL * 100}% of each anchor's checks on the declared types`, () => {
        for (const anchor of ANCHORS) {
            const { rows, covered } = anchorCoverage(anchor, rules, declared);
            assert.ok(rows.length > 0, anchor.name);
            assert.ok(covered / rows.length >= GOAL, `${anchor.name}: ${covered} of ${rows.length}`);
        }
    });

    it("counts a check covered only through a rule's claim on one of the check's types", () => {
        const [checkov] = ANCHORS;
        const before = anchorCoverage(checkov, rules, declared).covered;
        // A rule that stops claiming a control, or claims it only for a type the check does not judge, covers nothing.
        const dropped = rules.map((r): Rule =>
            r.name === "lb-desync-mitigation" ? { ...r, controls: r.controls.filter((c) => c !== "Checkov CKV_AWS_328") } : r,
        );
        assert.equal(anchorCoverage(checkov, dropped, declared).covered, before - 1);
        const elsewhere = rules.map((r): Rule => (r.name === "lb-desync-mitigation" ? { ...r, controlScopes: { "Checkov CKV_AWS_328": [] } } : r));
        assert.equal(anchorCoverage(checkov, elsewhere, declared).covered, before - 1);
    });
});
