// The benchmark's parts that are not timings: the stack export it checks has Pulumi's shape and the
// requested size, and the require hook the tools run under compiles to the same program.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    type Deployed,
    packSdks,
    REACHABILITY_ADDED_SECONDS,
    render,
    SCALE,
    SCALE_TARGET,
    SCALED_CASE,
    scaleOf,
    scriptArgv,
    spec,
    STARTUP_CASE,
    syntheticExport,
    syntheticPreview,
    TARGET_RATIO,
    targetsMet,
} from "../tools/benchmark";
import {
    coldCacheFolder,
    DEV_STACK_RUNS,
    DEV_STACK_TARGET_SECONDS,
    devStackRun,
    devStackSession,
    devStackVerdicts,
    mochaScriptArgs,
    renderDevStack,
} from "../tools/benchmark-dev-stack";
import { parseTimings, PHASE, PhaseClock, type Phase, type RunTimings } from "../lab/timings";
import { planResources, readInput } from "../policies/input/read";
import type { Plan } from "../lib/plan-engine";
import { projectDir, stackPlan } from "./helpers/plan";

interface ExportedResource {
    urn: string;
    type: string;
    custom: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    provider?: string;
}

describe("benchmark", () => {
    let plan: Plan;
    let deployed: Deployed;
    before(async () => {
        plan = await stackPlan("prod");
        deployed = await planResources(plan);
    });

    it("generates a version-3 stack export of exactly the requested size, larger than the plan it repeats", () => {
        const count = plan.resources.length * 3 + 7;
        const exported = syntheticExport(plan, deployed, count) as {
            version: number;
            deployment: { resources: ExportedResource[]; secrets_providers: unknown };
        };
        assert.equal(exported.version, 3);
        assert.ok(exported.deployment.secrets_providers);
        const resources = exported.deployment.resources;
        assert.equal(resources.length, count);
        assert.equal(new Set(resources.map((r) => r.urn)).size, count, "URNs are unique");
        // As the CLI writes them: the Stack and components without inputs, providers, custom resources with both.
        assert.equal(resources[0].type, "pulumi:pulumi:Stack");
        assert.equal(resources[0].inputs, undefined);
        assert.ok(resources.some((r) => r.type === "pulumi:providers:aws" && r.custom));
        const components = resources.filter((r) => r.type.startsWith("osint:"));
        assert.ok(components.length > 0 && components.every((r) => r.inputs === undefined && !r.custom));
        const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        assert.ok(custom.every((r) => r.inputs && r.outputs && r.provider?.startsWith("urn:pulumi:prod::")));
    });

    it("writes secrets as the export's ciphertext objects, never the plan's placeholder", () => {
        const text = JSON.stringify(syntheticExport(plan, deployed, plan.resources.length));
        assert.ok(!text.includes('"[secret]"'));
        assert.match(text, /"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":"v1:/);
    });

    it("is read by the check as a stack export", async () => {
        const { format, resources } = await readInput(JSON.stringify(syntheticExport(plan, deployed, 50)), "export.json");
        assert.equal(format, "export");
        assert.ok(resources.length > 0);
    });

    it("repeats the plan as a real stack grows: each copy's companions name that copy's resources, so the copies find what the plan finds", async () => {
        const { evaluate, stackSettings } = await import("../policies/offline");
        const count = plan.resources.length * 2;
        const settings = stackSettings("prod");
        const once = await readInput(JSON.stringify(syntheticExport(plan, deployed, plan.resources.length)), "export.json");
        const twice = await readInput(JSON.stringify(syntheticExport(plan, deployed, count)), "export.json");
        const failing = async (resources: typeof once.resources) =>
            (await evaluate(resources, settings, { today: "2026-12-01" })).filter((v) => !v.message.startsWith("waivers[")).length;
        // Twice the stack, twice the findings (the prod plan's waived ones): no copy takes, or misses, another's companions.
        assert.equal(await failing(twice.resources), 2 * (await failing(once.resources)));
        assert.ok(twice.resources.length > once.resources.length);
    });

    it("generates `pulumi preview --json --show-sames` of the stack: a step per resource, every tenth custom one an update without outputs", async () => {
        const count = plan.resources.length * 2;
        const preview = syntheticPreview(plan, deployed, count) as {
            steps: { op: string; newState: Record<string, unknown> }[];
            changeSummary: Record<string, number>;
        };
        assert.equal(preview.steps.length, count);
        assert.deepEqual(preview.changeSummary, {
            same: preview.steps.filter((s) => s.op === "same").length,
            update: preview.steps.filter((s) => s.op === "update").length,
        });
        assert.ok(preview.steps.filter((s) => s.op === "update").every((s) => s.newState.outputs === undefined && s.newState.id === undefined));
        const input = await readInput(JSON.stringify(preview), "preview.json");
        assert.deepEqual([input.format, input.omitted], ["preview", 0]);
    });

    it("measures what the issues name: a check of a 10,000-resource export, each case against a 1.5x target", () => {
        assert.equal(spec.options.resources.default, "10000");
        assert.equal(TARGET_RATIO, 1.5);
    });

    it("times the plan and the check as their npm scripts start node, and refuses a script that does not", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")).scripts as Record<string, string>;
        for (const script of ["plan", "check", "reachability"]) assert.equal(["node", ...scriptArgv(script)].join(" "), scripts[script]);
        assert.throws(() => scriptArgv("typecheck"), /package.json script typecheck does not run node/);
    });

    it("reports each case against its floor and marks a ratio above the target", () => {
        const text = render(
            [
                { name: "plan floor", floor: null, medianSeconds: 1, minSeconds: 0.9, ratio: null },
                { name: "plan prod", floor: "plan floor", medianSeconds: TARGET_RATIO + 0.1, minSeconds: 1.5, ratio: TARGET_RATIO + 0.1 },
                { name: "check export", floor: "plan floor", medianSeconds: 1.2, minSeconds: 1.1, ratio: 1.2 },
            ],
            10000,
            5,
        );
        assert.match(text, /plan prod .* 1\.60× plan floor \(target ≤ 1\.5×: MISSED\)/);
        assert.match(text, /check export .* 1\.20× plan floor \(target ≤ 1\.5×: met\)/);
    });

    it("holds the 10k cases to the floor's target and the larger preview to its growth alone", () => {
        const floor = { name: "check floor", floor: null, medianSeconds: 1, minSeconds: 1, ratio: null };
        const scaled = { name: `check preview ×${SCALE}`, floor: "check floor", medianSeconds: 4, minSeconds: 4, ratio: 4 };
        const preview = (ratio: number) => ({ name: "check preview", floor: "check floor", medianSeconds: ratio, minSeconds: ratio, ratio });
        const memory = [{ name: "check preview", inputBytes: 1, peakBytes: 1, ratio: 1 }];
        const scale = (ratio: number) => ({ resources: [10000, 10000 * SCALE] as [number, number], ratio });
        assert.ok(targetsMet([floor, preview(TARGET_RATIO), scaled], scale(SCALE_TARGET), memory), "the ×5 case's 4× its floor is no miss");
        assert.ok(!targetsMet([floor, preview(TARGET_RATIO + 0.01), scaled], scale(SCALE_TARGET), memory));
        assert.ok(!targetsMet([floor, preview(TARGET_RATIO), scaled], scale(SCALE_TARGET + 0.01), memory));
        assert.match(render([floor, scaled], 10000, 5), new RegExp(`check preview ×${SCALE} .* 4\\.00× check floor \\(judged by its growth below\\)`));
    });

    it("measures the check's growth beyond its own start-up, not beyond a floor it does not load", () => {
        const medians = (startup: number, preview: number, scaled: number) =>
            new Map([
                ["check floor", 0.7],
                [STARTUP_CASE, startup],
                ["check preview", preview],
                [SCALED_CASE, scaled],
            ]);
        // 0.5 s of work at 10k, 2.5 s at 50k: linear, 5×, whatever the floor.
        const linear = scaleOf(medians(0.25, 0.75, 2.75), 10000);
        assert.deepEqual(linear.resources, [10000, 10000 * SCALE]);
        assert.equal(linear.ratio, 5);
        assert.equal(scaleOf(medians(0.25, 0.75, 3.5), 10000).ratio, 6.5);
        const startup = { name: STARTUP_CASE, floor: null, medianSeconds: 0.2, minSeconds: 0.2, ratio: null };
        assert.match(render([startup], 10000, 5), /check start-up +0\.200 +0\.200 +\(the check's start-up: growth is measured beyond it\)/);
    });

    it("floors the check at the SDKs the policy pack's entry imports to run under the Pulumi CLI", () => {
        assert.deepEqual(packSdks(), ["@pulumi/policy"]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-pack-sdks-"));
        try {
            fs.mkdirSync(path.join(dir, "policies"));
            const entry = (code: string) => {
                fs.writeFileSync(path.join(dir, "policies", "index.ts"), code);
                return packSdks(dir);
            };
            // Imports of types alone are erased, a subpath is its package, and a bare import counts.
            assert.deepEqual(
                entry(
                    'import type { PolicyPack } from "@pulumi/policy";\nimport { type Input } from "@pulumi/pulumi";\nimport * as aws from "@pulumi/aws";\n' +
                        'import { x } from \'@pulumi/pulumi/runtime\'\nimport "@pulumi/docker";\nimport { y } from "./rules";\nexport const z = [aws, x, y];\n',
                ),
                ["@pulumi/aws", "@pulumi/docker", "@pulumi/pulumi"],
            );
            assert.throws(() => entry('import type { PolicyPack } from "@pulumi/policy";\n'), /policies\/index\.ts requires no Pulumi SDK/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reports what the reachability analysis adds to the prod plan against its 0.5 s budget, both ways", () => {
        assert.equal(REACHABILITY_ADDED_SECONDS, 0.5);
        const row = (added: number) => ({
            name: "reachability prod",
            floor: null,
            medianSeconds: 1 + added,
            minSeconds: 1,
            ratio: null,
            addsTo: "plan prod",
            addedSeconds: added,
        });
        assert.match(render([row(0.2)], 10000, 5), /reachability prod .* \+0\.200 s over plan prod \(target ≤ 0\.5 s: met\)/);
        assert.match(render([row(0.6)], 10000, 5), /reachability prod .* \+0\.600 s over plan prod \(target ≤ 0\.5 s: MISSED\)/);
    });

    it("runs the program under tools/register.js exactly as under sucrase's own hook, and caches what it compiled", () => {
        const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-register-"));
        try {
            const run = (hook: string) =>
                spawnSync(process.execPath, ["--require", hook, "tools/plan.ts", "--stack", "staging", "--json"], {
                    cwd: projectDir,
                    encoding: "utf8",
                    maxBuffer: 64 * 1024 * 1024,
                    env: { ...process.env, OSINT_TS_CACHE: cacheDir },
                });
            const viaSucrase = run("sucrase/register/ts");
            const viaHook = run("./tools/register.js");
            assert.equal(viaHook.status, 0, viaHook.stderr);
            assert.equal(viaHook.stdout, viaSucrase.stdout);
            assert.ok(fs.readdirSync(cacheDir).filter((f) => f.endsWith(".js")).length > 10, "compiled files are cached");
        } finally {
            fs.rmSync(cacheDir, { recursive: true, force: true });
        }
    });
});

describe("benchmark --dev-stack", () => {
    const phase = (name: string, seconds = 1): Phase => ({ name, start: 0, seconds });
    const timings = (names: string[], applyToHealthySeconds: number | null = 60): RunTimings => ({ phases: names.map((n) => phase(n)), applyToHealthySeconds });
    const coldPhases = [PHASE.engine, PHASE.bootstrap, PHASE.importBase, PHASE.buildImages, PHASE.apply];
    const warmPhases = [PHASE.engine, PHASE.loadImages, PHASE.apply];

    it("holds issue 20's targets in one place: 3 minutes warm, 5 cold, 3 runs of each", () => {
        assert.deepEqual(DEV_STACK_TARGET_SECONDS, { warm: 180, cold: 300 });
        assert.equal(DEV_STACK_RUNS, 3);
        assert.match(spec.options["dev-stack"].description, /180 s and 300 s/);
    });

    it("takes a run only as what it claims: cold bootstraps and builds, warm does neither, every run reaches all-healthy", () => {
        assert.equal(devStackRun("cold", 250, timings(coldPhases)).applyToHealthySeconds, 60);
        assert.equal(devStackRun("warm", 150, timings(warmPhases, 55.5)).applyToHealthySeconds, 55.5);
        assert.throws(() => devStackRun("cold", 100, timings(warmPhases)), /cold run did not bootstrap the base and build the lab images/);
        assert.throws(() => devStackRun("warm", 100, timings(coldPhases)), /lab cache was not warm/);
        assert.throws(() => devStackRun("warm", 100, timings(warmPhases, null)), /never had every container healthy/);
    });

    it("reads a timings file as the e2e writes it, and refuses one of another shape", () => {
        const clock = new PhaseClock();
        clock.addEndingNow("test: x", 1500);
        clock.setApplyToHealthy(61_234);
        const read = parseTimings(JSON.stringify(clock.timings()));
        assert.equal(read.applyToHealthySeconds, 61.234);
        assert.equal(read.phases[0].name, "test: x");
        assert.ok(Math.abs(read.phases[0].seconds - 1.5) < 0.01);
        assert.throws(() => parseTimings(JSON.stringify({ phases: [{ name: "x" }], applyToHealthySeconds: 1 })), /expected phases/);
        assert.throws(() => parseTimings(JSON.stringify({ phases: [] })), /expected applyToHealthySeconds/);
    });

    it("judges each state by its median against its target, both ways", () => {
        const machine = { cores: 2, cpu: "x", node: "v20", loadAverage: 1 };
        const runs = (warm: number[], cold: number[]) => [
            ...warm.map((s) => devStackRun("warm", s, timings(warmPhases))),
            ...cold.map((s) => devStackRun("cold", s, timings(coldPhases))),
        ];
        // One slow run each does not miss a target the median meets.
        const met = devStackSession(runs([100, 170, 400], [200, 290, 900]), machine, "2026-12-07T00:00:00Z");
        assert.deepEqual(met.warm, { median: 170, min: 100, max: 400 });
        assert.deepEqual(devStackVerdicts(met), { warm: "met", cold: "met" });
        assert.equal(met.runs, 3);
        const missed = devStackSession(runs([100, 181, 190], [301, 310, 100]), machine, "2026-12-07T00:00:00Z");
        assert.deepEqual(devStackVerdicts(missed), { warm: "MISSED", cold: "MISSED" });
        const text = renderDevStack(missed);
        assert.match(text, /warm {2}median 181\.0 s \(min 100\.0, max 190\.0\) {2}target ≤ 180 s: MISSED/);
        assert.match(text, /cold {2}median 301\.0 s .* target ≤ 300 s: MISSED/);
        assert.match(text, /apply to all healthy {2}median 60\.0 s/);
        assert.match(text, /phases, cold \(median s\):\n.*engine/);
    });

    it("runs the e2e as `npm run test:dev-stack` starts mocha, and refuses a script that does not", () => {
        const scripts = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")).scripts as Record<string, string>;
        const args = mochaScriptArgs(projectDir, "test:dev-stack");
        assert.ok(fs.existsSync(args[0]), args[0]);
        assert.equal(["mocha", ...args.slice(1)].join(" "), scripts["test:dev-stack"]);
        assert.throws(() => mochaScriptArgs(projectDir, "typecheck"), /does not run mocha/);
    });

    it("gives a cold run a fresh cache holding only apt's downloads", () => {
        const warm = fs.mkdtempSync(path.join(os.tmpdir(), "osint-warm-"));
        try {
            fs.mkdirSync(path.join(warm, "apt-archives"));
            fs.writeFileSync(path.join(warm, "apt-archives", "a.deb"), "deb");
            fs.writeFileSync(path.join(warm, "lab-images-0.tar"), "images");
            fs.writeFileSync(path.join(warm, "debian-bookworm-0.tar"), "base");
            const cold = coldCacheFolder(warm);
            try {
                assert.deepEqual(fs.readdirSync(cold), ["apt-archives"]);
                assert.deepEqual(fs.readdirSync(path.join(cold, "apt-archives")), ["a.deb"]);
            } finally {
                fs.rmSync(cold, { recursive: true, force: true });
            }
        } finally {
            fs.rmSync(warm, { recursive: true, force: true });
        }
    });

    it("exits 2 on a usage error before running anything", () => {
        const result = spawnSync(process.execPath, [...scriptArgv("benchmark"), "--dev-stack", "--runs", "0"], { cwd: projectDir, encoding: "utf8" });
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, /^benchmark: --runs: expected a positive integer/);
        // The README states the default size's case: a session of another size is not stored beside it.
        const other = spawnSync(process.execPath, [...scriptArgv("benchmark"), "--record", "--resources", "500"], { cwd: projectDir, encoding: "utf8" });
        assert.equal(other.status, 2, other.stderr);
        assert.match(other.stderr, /^benchmark: --record stores the default case only \(--resources 10000\), found --resources 500;/);
    });
});
