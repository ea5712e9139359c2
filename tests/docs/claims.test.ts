// What the README and docs/ state as counts, sizes, prices, timings and coverage equals its one
// source (tests/docs/claims.ts lists each figure with its source). A failure names the page, the
// figure stated and the figure the source gives.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { claims, enforcementTable, fullyClaimedPages, minutes, outOfScope, suiteSummary } from "./claims";
import {
    benchmarkBlock,
    benchmarkSummary,
    MEMORY_TARGET_FROM_BYTES,
    readDevStackSessions,
    readSessions,
    renderBenchmarkBlock,
    type Session,
} from "../../tools/benchmark";
import { devStackBlock, devStackSummary, renderDevStackBlock, type DevStackSession } from "../../tools/benchmark-dev-stack";
import { projectDir } from "../helpers/plan";

const prose = (page: string) => fs.readFileSync(path.join(projectDir, page), "utf8").replace(/\s+/g, " ");

describe("docs claims: every stated figure equals its source", function () {
    this.timeout(120_000);

    for (const claim of claims) {
        it(`${claim.page}: ${claim.pattern.source.slice(0, 70)} (${claim.source})`, async () => {
            const text = prose(claim.page);
            const found = [...text.matchAll(new RegExp(claim.pattern.source, "g"))];
            assert.equal(found.length, 1, `${claim.page} states it ${found.length} times, not once: ${claim.pattern}`);
            const expected = (await claim.value()).map((v) => v.replace(/\s+/g, " "));
            assert.deepEqual(found[0].slice(1), expected, `${claim.page} states what ${claim.source} no longer gives`);
        });
    }
});

// A number standing alone: not part of a word or name (`p95`, `5xx`, `us-east-1`, `#1160`, `v2`).
const NUMBER = /(?<![\w.#]|[A-Za-z]-)\d+(?:[.,]\d+)*(?!\w)/g;

/** The spans of `text` that `pattern`'s capture groups (or, without groups, its whole matches) cover. */
function covered(text: string, pattern: RegExp): [number, number][] {
    return [...text.matchAll(new RegExp(pattern.source, "gd"))].flatMap((match) => {
        const groups = match.indices!.slice(1).filter((span): span is [number, number] => span !== undefined);
        return groups.length > 0 || match.length > 1 ? groups : [match.indices![0]];
    });
}

describe("docs claims: every number on a fully claimed page is claimed or out of scope", () => {
    for (const page of fullyClaimedPages) {
        it(`${page}: no number-looking token without a claim or a reason`, () => {
            const text = prose(page);
            const spans = [
                ...claims.filter((c) => c.page === page).flatMap((c) => covered(text, c.pattern)),
                ...outOfScope.filter((o) => o.page === page || o.page === "*").flatMap((o) => covered(text, o.pattern)),
            ];
            const unclaimed = [...text.matchAll(NUMBER)]
                .filter((m) => !spans.some(([start, end]) => m.index >= start && m.index + m[0].length <= end))
                .map((m) => `"${m[0]}" in …${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 20)}…`);
            assert.deepEqual(unclaimed, [], `${page}: add a claim (tests/docs/claims.ts) or an out-of-scope entry with its reason`);
        });
    }

    it("every out-of-scope entry still matches its page (one for all pages, some page)", () => {
        for (const entry of outOfScope) {
            assert.ok(entry.page === "*" || (fullyClaimedPages as readonly string[]).includes(entry.page), `${entry.page} is not in fullyClaimedPages`);
            const pages = entry.page === "*" ? fullyClaimedPages : [entry.page];
            assert.ok(
                pages.some((page) => covered(prose(page), entry.pattern).length > 0),
                `${entry.page}: ${entry.pattern} (${entry.reason}) matches nothing`,
            );
        }
    });
});

describe("docs claims: the generated figures", () => {
    /** A session; `grown` adds what sessions record since the check stopped loading the SDKs (floors, growth, memory). */
    const session = (date: string, load: number, plan: number, check: number, grown?: { scale: number; memory: number }): Session => ({
        date,
        machine: { cores: 2, cpu: "x", node: "v20", loadAverage: load },
        runs: 7,
        resources: 10000,
        targetRatio: 1.5,
        results: [
            { name: "plan floor", floor: null, medianSeconds: 1, minSeconds: 1, ratio: null },
            { name: "plan prod", floor: "plan floor", medianSeconds: plan, minSeconds: plan, ratio: plan },
            { name: "check floor", floor: null, medianSeconds: 1, minSeconds: 1, ratio: null },
            { name: "check export", floor: "check floor", medianSeconds: check, minSeconds: check, ratio: check },
            { name: "check preview", floor: "check floor", medianSeconds: check + 0.5, minSeconds: check + 0.5, ratio: check + 0.5 },
        ],
        ...(grown && {
            floors: { "plan floor": ["@pulumi/aws", "@pulumi/pulumi"], "check floor": ["@pulumi/policy"] },
            scale: { resources: [10000, 50000], ratio: grown.scale },
            memory: [
                { name: "check export", inputBytes: 1, peakBytes: 9, ratio: 9 },
                { name: "check preview ×5", inputBytes: MEMORY_TARGET_FROM_BYTES, peakBytes: MEMORY_TARGET_FROM_BYTES * grown.memory, ratio: grown.memory },
            ],
        }),
    });

    it("the benchmark's summary says met only when the median over sessions meets the target, and states the range, dates and cores", () => {
        const text = benchmarkSummary([
            session("2026-12-07T08:00:00Z", 3, 1.4, 1.9),
            session("2026-12-07T09:00:00Z", 9, 1.6, 1.3, { scale: 4, memory: 3 }),
            session("2026-12-08T08:00:00Z", 5, 1.55, 1.1, { scale: 6, memory: 3.5 }),
            session("2026-12-08T09:00:00Z", 5, 1.55, 1.2, { scale: 6, memory: 4.5 }),
        ]);
        assert.match(text, /four sessions of 7 interleaved runs on 2026-12-07, 2026-12-08, on 2 cores/);
        assert.match(text, /load average 3\.0–9\.0/);
        assert.match(text, /the plan 1\.40–1\.60 s against a 1\.00 s floor, \*\*1\.40–1\.60×\*\* \(median 1\.55×: target 1\.5× MISSED\)/);
        // The check's figures only from the sessions that floored it at the pack's SDKs: not the first one's 1.9×.
        assert.match(
            text,
            /the check \(the three sessions since it stopped loading the SDKs\) of the export 1\.10–1\.30 s against a 1\.00 s floor \(loading `@pulumi\/policy`, as the pack does under the Pulumi CLI\), \*\*1\.10–1\.30×\*\* \(median 1\.20×: target 1\.5× met\), and of the preview 1\.60–1\.80 s, \*\*1\.60–1\.80×\*\* \(median 1\.70×: target 1\.5× MISSED\)\./,
        );
        // Growth by its median (6×: missed); memory by the largest input's (3.5×: met).
        assert.match(
            text,
            /Checking 50,000 resources took 4\.00–6\.00× \(target 5\.5× MISSED\) the time of 10,000 beyond the check's start-up, at a peak memory of 3\.00–4\.50× \(target 4× met\) the input\./,
        );
        assert.match(
            benchmarkSummary([session("2026-12-07T08:00:00Z", 3, 1.4, 1.9)]),
            /; no session has timed the check since it stopped loading the SDKs\. A session/,
        );
        // Below the size the memory target applies from, no memory verdict is given.
        const small = session("2026-12-08T09:00:00Z", 5, 1.55, 1.2, { scale: 5, memory: 9 });
        const smallInput = { ...small, memory: small.memory!.map((m) => ({ ...m, inputBytes: MEMORY_TARGET_FROM_BYTES - 1 })) };
        assert.match(benchmarkSummary([smallInput]), /took 5\.00× \(target 5\.5× met\) the time of 10,000 beyond the check's start-up\. A session/);
        assert.equal(benchmarkSummary([]), "No session is recorded yet.");
    });

    it("the README's benchmark paragraph is what `benchmark --write` renders from the stored sessions, line for line", () => {
        const block = renderBenchmarkBlock(readSessions());
        assert.ok(fs.readFileSync(path.join(projectDir, benchmarkBlock.page), "utf8").includes(block), "run npm run -s benchmark -- --write");
        assert.ok(block.split("\n").every((line) => line.length <= 100));
    });

    it("the README's dev-stack paragraph is what `benchmark --dev-stack --record` (or --write) renders from the latest stored session", () => {
        const sessions = readDevStackSessions();
        assert.ok(sessions.length > 0, "the record holds a --dev-stack session");
        const block = renderDevStackBlock(sessions);
        assert.ok(fs.readFileSync(path.join(projectDir, devStackBlock.page), "utf8").includes(block), "run npm run -s benchmark -- --write");
        assert.ok(block.split("\n").every((line) => line.length <= 100));
    });

    it("the dev-stack summary judges each state's median against its target and states the latest session's ranges", () => {
        const stats = (median: number, min: number, max: number) => ({ median, min, max });
        const session = (date: string, warm: number, cold: number): DevStackSession => ({
            date,
            machine: { cores: 4, cpu: "x", node: "v20", loadAverage: 2.25 },
            runs: 3,
            targets: { warm: 180, cold: 300 },
            warm: stats(warm, warm - 10, warm + 5),
            cold: stats(cold, cold, cold),
            applyToHealthy: stats(48.84, 46.3, 51.1),
            detail: [],
        });
        const text = devStackSummary([session("2026-12-01T08:00:00Z", 100, 100), session("2026-12-07T08:00:00Z", 181, 299.6)]);
        assert.match(text, /on 2026-12-07 \(4 cores, load average 2\.3 at its start, three runs of each, medians\)/);
        assert.match(text, /took 181 s \(171–186 s\) warm, the lab cache present \(target 180 s: MISSED\), and 300 s cold/);
        assert.match(text, /\(target 300 s: met\); \*\*48\.8 s from the first create to every container healthy\*\* \(46\.3–51\.1 s\)\.$/);
        assert.equal(devStackSummary([]), "No `--dev-stack` session is recorded yet.");
    });

    it("the enforcement table names each stack's disabled and advisory rules and counts its waivers", () => {
        const table = enforcementTable();
        const staging = JSON.parse(fs.readFileSync(path.join(projectDir, "policies", "config", "staging.json"), "utf8")) as Record<
            string,
            { waivers?: unknown[] }
        >;
        const waivers = Object.values(staging).reduce((n, entry) => n + (entry?.waivers?.length ?? 0), 0);
        assert.ok(waivers > 0);
        assert.ok(table.includes(`| staging | all mandatory; \`rds-multi-az\`, \`elasticache-automatic-failover\` disabled | ${waivers}: `), table);
        assert.match(table, /\| dev \| all mandatory; `deletion-protection` advisory \| none \|/);
    });

    it("writes durations in minutes and seconds", () => {
        assert.equal(minutes(202), "3 min 22 s");
    });

    it("states the suite's runs by setting, and the target as met only when every quiet fresh-clone run meets it", () => {
        const run = { date: "2026-12-07", commit: "abc1234", command: "CI=true bash .ci/run", cores: 2, linesCovered: 91.05 } as const;
        const record = {
            source: "test",
            runs: [
                { ...run, setting: "quiet", labCache: "warm", seconds: 361 },
                { ...run, setting: "quiet", labCache: "warm", seconds: 400 },
                // A later commit's run counts for the times, not for the one-core run's coverage.
                { ...run, commit: "def5678", setting: "quiet", labCache: "warm", seconds: 380, linesCovered: 93.07 },
                { ...run, setting: "quiet", labCache: "cold", seconds: 500 },
                { ...run, setting: "busy", labCache: "cold", seconds: 676 },
                { ...run, setting: "one-core", labCache: "none", seconds: 958, linesCovered: 91.04 },
            ],
        } as const;
        const text = suiteSummary(record, 540);
        assert.match(text, /took 6 min 1 s to 6 min 40 s on a quiet machine with the lab cache warm and 8 min 20 s with it cold/);
        assert.match(text, /target 9 min: met\), and 11 min 16 s with other jobs beside it \(2 cores, 2026-12-07\)/);
        assert.match(text, /passed in 15 min 58 s with 91\.04 % of lines covered, against 91\.05 % for quiet runs of the same commit\.$/);
        const slow = { ...record, runs: record.runs.map((r) => (r.labCache === "cold" && r.setting === "quiet" ? { ...r, seconds: 541 } : r)) };
        assert.match(suiteSummary(slow, 540), /target 9 min: MISSED/);
    });
});
