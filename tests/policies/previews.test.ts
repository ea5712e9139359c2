// Previews as the Pulumi CLI writes them (tests/fixtures/pulumi/preview-update*.json): without
// --show-sames it prints no step for an unchanged resource (pkg/backend/display/display.go shouldShow)
// but counts it in changeSummary.same, and it prints an update's new state before the step runs, so
// with inputs and no outputs. The check must neither take an omitted companion for a missing one nor
// lose an updated resource's id.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { evaluate, stackRuleNames, stackSettings } from "../../policies/offline";
import { readInput } from "../../policies/input/read";
import { buildReport, fails } from "../../policies/report/findings";
import { renderText } from "../../policies/report/text";
import { projectDir } from "../helpers/plan";

const FIXTURES = path.join(projectDir, "tests", "fixtures", "pulumi");
const text = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

interface Step {
    op: string;
    urn: string;
    newState?: { type: string; outputs?: unknown; id?: unknown; inputs?: unknown };
    oldState?: { outputs?: Record<string, unknown>; id?: string };
}
interface Digest {
    steps: Step[];
    changeSummary: Record<string, number>;
}
const digest = (name: string) => JSON.parse(text(name)) as Digest;

describe("offline check: previews with and without --show-sames", () => {
    const whole = digest("preview-update-show-sames.json");
    const partial = digest("preview-update.json");

    it("the fixtures are one preview printed both ways: the same summary, the partial one without the unchanged resources' steps", () => {
        assert.deepEqual(partial.changeSummary, whole.changeSummary);
        assert.deepEqual(
            whole.steps.filter((s) => s.op !== "same").map((s) => s.urn),
            partial.steps.filter((s) => s.op !== "same").map((s) => s.urn),
        );
        // As display.go prints it: the Stack's own step always, and every same step only with --show-sames.
        assert.equal(whole.steps.filter((s) => s.op === "same").length, whole.changeSummary.same);
        assert.ok(partial.steps.filter((s) => s.op === "same").length < partial.changeSummary.same);
        // Update steps carry no outputs and no id in their new state; their old state has both.
        const updates = whole.steps.filter((s) => s.op === "update");
        assert.ok(updates.length > 0);
        for (const s of updates) {
            assert.equal(s.newState?.outputs, undefined);
            assert.equal(s.newState?.id, undefined);
            assert.equal(typeof s.oldState?.outputs?.id, "string");
        }
    });

    it("with --show-sames: judges every rule; the updated VPC keeps its id, so its flow log and default group are found; nothing fails", async () => {
        const input = await readInput(text("preview-update-show-sames.json"), "preview.json");
        assert.equal(input.omitted, 0);
        const vpc = input.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        const before = whole.steps.find((s) => s.urn === vpc?.urn)?.oldState;
        assert.equal(vpc?.outputs.id, before?.id);
        assert.equal(vpc?.outputs.arn, before?.outputs?.arn);
        const violations = (await evaluate(input.resources, stackSettings("prod"), { stackUrn: input.stackUrn })).filter(fails);
        assert.deepEqual(
            violations.filter((v) => ["vpc-flow-logs", "vpc-default-security-group"].includes(v.policy) || v.urn === vpc?.urn),
            [],
        );
        // What still fails is the fixture's `reports` bucket, written before issue 23's S3 rules (lifecycle,
        // ownership, notifications...) and not hardened against them: true findings, none about a companion.
        const bucket = input.resources.find((r) => r.type === "aws:s3/bucketV2:BucketV2");
        assert.ok(
            violations.every((v) => v.policy.startsWith("s3-") && v.urn.includes(`::${bucket?.name}`)),
            JSON.stringify(violations, null, 1),
        );
    });

    it("without --show-sames: says how many resources it left out, judges the resource rules, and leaves the stack rules unjudged instead of reporting companions missing", async () => {
        const input = await readInput(text("preview-update.json"), "preview.json");
        const sameSteps = partial.steps.filter((s) => s.op === "same").length;
        assert.equal(input.omitted, partial.changeSummary.same - sameSteps);
        const stackRules = new Set(stackRuleNames());
        const settings = stackSettings("prod");
        // What judging the stack rules on the partial view would report: each companion omitted taken for missing.
        const naive = (await evaluate(input.resources, settings, { stackUrn: input.stackUrn })).filter(fails);
        assert.ok(
            naive.some((v) => stackRules.has(v.policy)),
            "the fixture draws false findings from stack rules when they are judged",
        );
        const honest = await evaluate(input.resources, settings, { stackUrn: input.stackUrn, stackRules: false });
        assert.deepEqual(
            honest.filter((v) => stackRules.has(v.policy)),
            [],
        );
        // Resource rules are still judged: the same findings as on the whole preview, for the resources present.
        const present = new Set(input.resources.map((r) => r.urn));
        const wholeInput = await readInput(text("preview-update-show-sames.json"), "preview.json");
        const resourceFindings = (await evaluate(wholeInput.resources, settings, { stackUrn: wholeInput.stackUrn }))
            .filter((v) => !stackRules.has(v.policy) && present.has(v.urn))
            .map((v) => `${v.policy} ${v.urn}`);
        assert.deepEqual(
            honest.filter((v) => !stackRules.has(v.policy)).map((v) => `${v.policy} ${v.urn}`),
            resourceFindings,
        );
        const report = buildReport(honest, input.resources, {
            stack: "prod",
            format: input.format,
            partial: { omitted: input.omitted ?? 0, notJudged: [...stackRules] },
        });
        assert.match(
            renderText(report),
            new RegExp(`partial preview: ${input.omitted} unchanged resources are left out .* run pulumi preview --json --show-sames`),
        );
    });

    it("a preview of nothing to change (no steps: PreviewDigest's steps are omitempty) reads as empty, not as an unknown file", async () => {
        const input = await readInput(JSON.stringify({ config: {}, changeSummary: { same: 1 }, duration: 1 }), "preview.json");
        assert.deepEqual([input.format, input.resources.length], ["preview", 0]);
    });
});
