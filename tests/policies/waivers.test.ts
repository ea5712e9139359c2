// Waivers (policies/config/<stack>.json, each policy's "waivers"): a waived finding is reported as
// waived and fails nothing; a waiver without a reason or past its day is a mandatory finding itself.
import { strict as assert } from "node:assert";
import { evaluate, PolicyConfigError, resolveSettings, settingsOfText } from "../../policies/offline";
import { buildReport, fails } from "../../policies/report/findings";
import { parseWaivers, todayUtc, type Waiver, waiverProblem, waives } from "../../policies/waivers";
import { resource, T } from "./helpers";

const rootContainer = (name: string) => resource(T.container, { user: "root", memory: 64, cpus: "0.1" }, { name });
const waiver = (fields: Partial<Waiver>): Waiver => ({
    resource: "*",
    reason: "accepted by the security team (ticket SEC-1)",
    expires: "2026-12-31",
    ...fields,
});

describe("waivers: dates", () => {
    it("hold through the end of their day in UTC, and no longer", () => {
        const w = waiver({ expires: "2026-06-30" });
        assert.equal(waiverProblem(w, "2026-06-30"), null);
        assert.match(waiverProblem(w, "2026-07-01") ?? "", /expired on 2026-06-30, so it waives nothing/);
        // 23:59 UTC on the last day still counts as that day; one minute later it does not.
        assert.equal(todayUtc(new Date("2026-06-30T23:59:59Z")), "2026-06-30");
        assert.equal(todayUtc(new Date("2026-07-01T00:00:00Z")), "2026-07-01");
        // A reviewer east of UTC sees the UTC day, not theirs.
        assert.equal(todayUtc(new Date("2026-07-01T01:30:00+03:00")), "2026-06-30");
    });

    it("without a reason waive nothing", () => {
        for (const reason of ["", "   "]) assert.match(waiverProblem(waiver({ reason }), "2026-01-01") ?? "", /gives no reason, so it waives nothing/);
    });
});

describe("waivers: which resources", () => {
    const urn = "urn:pulumi:prod::osint-platform::osint:data:Backups$aws:s3/bucketV2:BucketV2::backups-logs";
    const subject = { urn, name: "backups-logs" };
    it('name a resource by URN or name, exactly or by glob; `*` crosses the "/" of type tokens', () => {
        for (const pattern of [
            urn,
            "backups-logs",
            "backups-*",
            "backups-{logs,data}",
            "urn:pulumi:prod::*::backups-logs",
            "urn:pulumi:*::osint-platform::*s3/bucket*",
        ])
            assert.ok(waives(waiver({ resource: pattern }), subject), pattern);
        for (const pattern of ["backups", "backup-*", "urn:pulumi:dev::*", "*-data", "urn:pulumi:prod::osint-platform::*::backups-data"])
            assert.ok(!waives(waiver({ resource: pattern }), subject), pattern);
    });
});

describe("waivers: config", () => {
    const where = "policies/config/prod.json: key container-non-root.waivers";
    const parse = (value: unknown) => parseWaivers(value, where, (m) => new PolicyConfigError(m));

    it("are read from each policy's entry, beside its level and thresholds", () => {
        const settings = resolveSettings({ "container-non-root": { enforcementLevel: "mandatory", waivers: [waiver({ resource: "legacy" })] } }, "c.json");
        assert.deepEqual(settings.get("container-non-root")?.waivers, [waiver({ resource: "legacy" })]);
        assert.deepEqual(settings.get("image-pinned")?.waivers, []);
        assert.deepEqual(parse([{ resource: "x", expires: "2026-01-31" }]), [{ resource: "x", reason: "", expires: "2026-01-31" }]);
    });

    it("reject a malformed entry, naming the file, key, index, expected and found", () => {
        const cases: [unknown, RegExp][] = [
            [{}, /key container-non-root\.waivers: expected a list of \{"resource", "reason", "expires"\}, found \{\}/],
            [["x"], /waivers\[0\]: expected an object \{"resource", "reason", "expires"\}, found "x"/],
            [[{ resource: "", reason: "r", expires: "2026-01-01" }], /waivers\[0\]\.resource: expected a URN or name glob, found ""/],
            [[{ resource: "x", reason: 7, expires: "2026-01-01" }], /waivers\[0\]\.reason: expected a string, found 7/],
            [[{ resource: "x", reason: "r" }], /waivers\[0\]\.expires: expected a date YYYY-MM-DD, found undefined/],
            [[{ resource: "x", reason: "r", expires: "2026-02-30" }], /waivers\[0\]\.expires: expected a date YYYY-MM-DD, found "2026-02-30"/],
            [[{ resource: "x", reason: "r", expires: "31/12/2026" }], /found "31\/12\/2026"/],
            [
                [{ resource: "x", reason: "r", expires: "2026-01-01", until: "x" }],
                /waivers\[0\]: expected only resource, reason, expires and allowMany, found until/,
            ],
        ];
        for (const [value, message] of cases)
            assert.throws(
                () => parse(value),
                (err: Error) => err instanceof PolicyConfigError && err.message.startsWith(where) && message.test(err.message),
            );
    });
});

describe("waivers: in the check's verdict", () => {
    const legacy = rootContainer("legacy-worker");
    const other = rootContainer("new-worker");
    const stack = resource("pulumi:pulumi:Stack", {}, { name: "osint-platform-test" });
    const check = (waivers: Waiver[], today = "2026-06-30") =>
        evaluate([stack, legacy, other], resolveSettings({ "container-non-root": { waivers } }, "c.json"), { today });

    it("marks a waived finding waived, counts it apart and does not fail on it", async () => {
        const w = waiver({ resource: "legacy-*", expires: "2026-06-30" });
        const found = (await check([w])).filter((v) => v.policy === "container-non-root");
        assert.deepEqual(
            found.map((v) => [v.urn, v.waived]),
            [
                [legacy.urn, w],
                [other.urn, null],
            ],
        );
        assert.deepEqual(
            found.map((v) => fails(v)),
            [false, true],
        );
        const { summary } = buildReport(found, [legacy, other], { stack: "test", format: "plan" });
        assert.deepEqual([summary.violations, summary.mandatory, summary.advisory, summary.waived], [2, 1, 0, 1]);
    });

    it("reports an expired waiver, or one without a reason, as a mandatory finding on the stack, and waives nothing with it", async () => {
        for (const [w, problem] of [
            [waiver({ resource: "legacy-*", expires: "2026-06-29" }), /expired on 2026-06-29/],
            [waiver({ resource: "legacy-*", reason: "" }), /gives no reason/],
        ] as const) {
            const found = (await check([waiver({ resource: "unrelated" }), w])).filter((v) => v.policy === "container-non-root");
            const own = found.filter((v) => v.urn === stack.urn && v.enforcement === "mandatory");
            assert.equal(own.length, 1);
            assert.equal(own[0].enforcement, "mandatory");
            assert.match(own[0].message, /^waivers\[1\]: the waiver for "legacy-\*"/);
            assert.match(own[0].message, problem);
            assert.ok(own.every(fails));
            assert.ok(found.every((v) => v.waived === null));
        }
    });

    it("reports a stale waiver even when its policy finds nothing any more", async () => {
        const found = await evaluate([stack], resolveSettings({ "image-pinned": { waivers: [waiver({ expires: "2020-01-01" })] } }, "c.json"), {
            today: "2026-06-30",
        });
        assert.deepEqual(
            found.map((v) => `${v.policy} ${v.enforcement} ${v.urn}`),
            [`image-pinned mandatory ${stack.urn}`],
        );
    });
});

describe("waivers: too broad, too far ahead, or waiving nothing", () => {
    const first = rootContainer("worker-a");
    const second = rootContainer("worker-b");
    const stack = resource("pulumi:pulumi:Stack", {}, { name: "osint-platform-test" });
    const today = "2026-06-30";
    const check = (config: Record<string, unknown>) => evaluate([stack, first, second], resolveSettings(config, "c.json"), { today });
    const nonRoot = async (config: Record<string, unknown>) => (await check(config)).filter((v) => v.policy === "container-non-root");

    it('one naming more than one resource ("*") waives nothing and fails, unless it says "allowMany": true', async () => {
        const broad = waiver({ resource: "*", expires: "2026-12-31" });
        const found = await nonRoot({ "container-non-root": { waivers: [broad] } });
        const problem = found.filter((v) => v.urn === stack.urn);
        assert.equal(problem.length, 1);
        assert.match(
            problem[0].message,
            /^waivers\[0\]: the waiver for "\*" names 2 resources \(worker-a, worker-b\), so it waives nothing: .*"allowMany": true/,
        );
        assert.ok(found.every((v) => v.waived === null) && found.some(fails));
        const allowed = await nonRoot({ "container-non-root": { waivers: [{ ...broad, allowMany: true }] } });
        assert.deepEqual(
            allowed.map((v) => [v.urn, fails(v)]),
            [
                [first.urn, false],
                [second.urn, false],
            ],
        );
        // One resource by glob needs no allowance.
        assert.ok((await nonRoot({ "container-non-root": { waivers: [waiver({ resource: "*-a" })] } })).find((v) => v.urn === first.urn)?.waived);
    });

    it('one expiring beyond the horizon (a year by default, "waiver-horizon" in the config) is treated as expired', async () => {
        assert.equal(waiverProblem(waiver({ expires: "2027-06-30" }), today, 365), null);
        assert.match(
            waiverProblem(waiver({ expires: "9999-12-31" }), today, 365) ?? "",
            /expires on 9999-12-31, beyond the 365-day horizon \(2027-06-30\), so it waives nothing/,
        );
        const forever = waiver({ resource: "worker-a", expires: "9999-12-31" });
        const found = await nonRoot({ "container-non-root": { waivers: [forever] } });
        assert.ok(found.some((v) => v.urn === stack.urn && fails(v) && /beyond the 365-day horizon/.test(v.message)));
        assert.equal(found.find((v) => v.urn === first.urn)?.waived, null);
        const later = waiver({ resource: "worker-a", expires: "2028-06-01" });
        assert.equal((await nonRoot({ "container-non-root": { waivers: [later] } })).find((v) => v.urn === first.urn)?.waived, null);
        assert.deepEqual(
            (await nonRoot({ "waiver-horizon": { days: 730 }, "container-non-root": { waivers: [later] } })).find((v) => v.urn === first.urn)?.waived,
            later,
        );
        for (const horizon of [{ days: -1 }, { days: "365" }, 365, { days: 365, extra: 1 }])
            assert.throws(() => resolveSettings({ "waiver-horizon": horizon }, "c.json"), /c\.json: key waiver-horizon: expected \{"days"/);
    });

    it("one that waives no finding is reported (advisory, failing nothing); a disabled policy's are not", async () => {
        const unused = waiver({ resource: "retired-worker" });
        const found = await nonRoot({ "container-non-root": { waivers: [unused] } });
        const report = found.filter((v) => v.urn === stack.urn);
        assert.deepEqual(
            report.map((v) => [v.enforcement, fails(v)]),
            [["advisory", false]],
        );
        assert.match(report[0].message, /^waivers\[0\]: the waiver for "retired-worker" waives no finding of this check/);
        assert.deepEqual(await nonRoot({ "container-non-root": { enforcementLevel: "disabled", waivers: [unused] } }), []);
    });

    it("a waiver's finding points at the waiver's own line in its config", async () => {
        const text = `{\n    "container-non-root": {\n        "waivers": [\n            { "resource": "nothing", "reason": "r", "expires": "2026-12-31" },\n            { "resource": "worker-a", "reason": "", "expires": "2026-12-31" }\n        ]\n    }\n}\n`;
        const found = (await evaluate([stack, first, second], settingsOfText(text, "policies/config/test.json"), { today })).filter((v) => v.urn === stack.urn);
        assert.deepEqual(
            found.map((v) => [v.message.slice(0, 11), v.source]),
            [
                ["waivers[0]:", { file: "policies/config/test.json", line: 4 }],
                ["waivers[1]:", { file: "policies/config/test.json", line: 5 }],
            ],
        );
    });
});
