// Each rule on both sides: a hardened set of resources draws no finding, and each change draws a finding
// naming the resource, the property and the value found, read from the two files a reviewer has, a
// `pulumi stack export` and a `pulumi preview --json`, through the offline check's own reader.
import { strict as assert } from "node:assert";
import { resolveSettings, runRule } from "../../policies/offline";
import { propertyOf } from "../../policies/lib/report";
import { rules } from "../../policies/rules";
import { readInput } from "../../policies/input/read";
import { asPreview, asStackExport, urnOf } from "./file-shapes";
import { CASES, type Fixture } from "./fixtures";
import { ruleNamed } from "./helpers";

const SHAPES = { "stack export": asStackExport, preview: asPreview } as const;

async function findings(rule: string, fixtures: readonly Fixture[], write: (fixtures: readonly Fixture[]) => string) {
    const { resources } = await readInput(write(fixtures), "fixture.json");
    const settings = resolveSettings({}, "tests").get(rule);
    assert.ok(settings, rule);
    return runRule(ruleNamed(rule), resources, settings);
}

describe("rules on both sides, in both file shapes", () => {
    it("covers every rule added for issue 11 and every deprecated alias type it judges", () => {
        const covered = new Set(CASES.map((c) => c.rule));
        const original = [
            "container-non-root",
            "container-resource-limits",
            "rds-storage-encrypted",
            "rds-force-ssl",
            "elasticache-encryption",
            "log-group-encrypted",
            "alb-https-listener",
            "datastore-not-public",
            "backup-retention",
            "image-pinned",
            "log-retention",
            "no-plaintext-secrets",
        ];
        // The original rules' fixtures live in rules.test.ts; every other rule has a case here.
        assert.deepEqual(
            rules.map((r) => r.name).filter((name) => !covered.has(name) && !original.includes(name)),
            [],
        );
    });

    for (const testCase of CASES) {
        for (const [shape, write] of Object.entries(SHAPES)) {
            describe(`${testCase.rule} (${testCase.form}), ${shape}`, () => {
                it("draws no finding on the hardened resources", async () => {
                    assert.deepEqual(await findings(testCase.rule, testCase.hardened(), write), []);
                });
                for (const failure of testCase.failures) {
                    it(`finds it when ${failure.change}`, async () => {
                        const fixtures = testCase.hardened();
                        const target = fixtures.find((f) => f.name === failure.resource);
                        assert.ok(target, failure.resource);
                        failure.apply(fixtures);
                        const found = await findings(testCase.rule, fixtures, write);
                        for (const v of found) assert.notEqual(propertyOf(v.message), null, v.message);
                        assert.ok(
                            found.some((v) => v.urn === urnOf(target) && propertyOf(v.message) === failure.property && failure.found.test(v.message)),
                            `expected a finding on ${failure.resource} at ${failure.property} matching ${failure.found}, got ${JSON.stringify(found.map((v) => [v.urn, v.message]))}`,
                        );
                    });
                }
            });
        }
    }
});
