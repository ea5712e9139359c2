// npm run -s benchmark -- [--runs N] [--resources N] [--json] [--out FILE] [--record]
// Times what a user waits for against the floor of merely loading the SDKs it needs, side by side in
// one run (interleaved, so a busy machine slows every case alike): a prod plan as `npm run plan`
// runs it, the reachability analysis of that plan (which may add at most 0.5 s to it), and the check
// of a generated stack export of --resources resources. Not a test: timings belong to the machine; the
// ratios and the analysis's added time are what the README states and the targets are about.
// --record appends the session (date, machine, every run's time) to docs/measured/benchmark.json,
// the stored result the README's numbers are checked against (tests/docs/claims.test.ts).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { outOption, positiveNumber, runTool, type ToolSpec, writeResult } from "./cli";
import { nodeScriptArgs } from "./npm-scripts";
import type { Plan } from "../lib/plan-engine";

const PROJECT_DIR = path.resolve(__dirname, "..");

/** How `npm run <script>` starts node (package.json), so the benchmark times the command as users run it. */
export function scriptArgv(script: string): string[] {
    return nodeScriptArgs(PROJECT_DIR, script, (text) => new Error(`package.json script ${script} does not run node: ${text}`));
}
export const TARGET_RATIO = 1.5;
/** What `npm run reachability --stack prod` may add to the prod plan it analyses (issue 21). */
export const REACHABILITY_ADDED_SECONDS = 0.5;

interface Case {
    readonly name: string;
    /** The case whose time this one is compared with; none for a floor. */
    readonly floor?: string;
    /** The case this one does all of and more: its added time is judged against REACHABILITY_ADDED_SECONDS. */
    readonly adds?: string;
    readonly argv: readonly string[];
    /** Exit codes that mean the case ran as intended (the check exits 1 on findings). */
    readonly okExits: readonly number[];
}

export interface Result {
    readonly name: string;
    readonly floor: string | null;
    readonly medianSeconds: number;
    readonly minSeconds: number;
    /** Absent in results written before it was recorded. */
    readonly maxSeconds?: number;
    readonly ratio: number | null;
    /** Seconds added to the `addsTo` case's median. */
    readonly addsTo?: string | null;
    readonly addedSeconds?: number | null;
}

/** One run of the benchmark as --record stores it. */
export interface Session {
    /** When it started (ISO, UTC). */
    readonly date: string;
    readonly machine: { readonly cores: number; readonly cpu: string; readonly node: string; readonly loadAverage: number };
    readonly runs: number;
    readonly resources: number;
    readonly targetRatio: number;
    readonly results: readonly Result[];
}

/** The sessions --record keeps: what the README's timings and ratios are checked against. */
export const RECORD_FILE = "docs/measured/benchmark.json";

export function readSessions(projectDir = PROJECT_DIR): Session[] {
    const file = path.join(projectDir, RECORD_FILE);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { sessions: Session[] }).sessions : [];
}

/** The verdict on a case over several sessions: the median of their ratios against the target. */
export function verdict(ratios: readonly number[], target = TARGET_RATIO): "met" | "MISSED" {
    return median(ratios) <= target ? "met" : "MISSED";
}

// Written to a temporary file and preloaded into one run of a case: on exit it lists the SDK
// packages (@pulumi/*) in the module cache, so each floor loads exactly what its case loads (and the
// command-line test shows that --help and usage errors load none).
export const PROBE = `process.on("exit", () => {
    const found = new Set();
    for (const file of Object.keys(require.cache)) {
        const match = /node_modules[\\\\/]@pulumi[\\\\/]([^\\\\/]+)[\\\\/]/.exec(file);
        if (match) found.add("@pulumi/" + match[1]);
    }
    require("node:fs").writeFileSync(process.env.SDK_PROBE_OUT, JSON.stringify([...found].sort()));
});
`;

function sdkPackagesLoadedBy(testCase: Case, workDir: string): string[] {
    const probe = path.join(workDir, "sdk-probe.js");
    const out = path.join(workDir, `${testCase.name}.sdks.json`);
    fs.writeFileSync(probe, PROBE);
    const result = spawnSync(process.execPath, ["--require", probe, ...testCase.argv], {
        cwd: PROJECT_DIR,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, SDK_PROBE_OUT: out },
        encoding: "utf8",
    });
    if (result.status === null || !testCase.okExits.includes(result.status))
        throw new Error(`${testCase.name} failed: ${(result.stderr ?? "").trim().split("\n").slice(-1)[0]}`);
    return JSON.parse(fs.readFileSync(out, "utf8")) as string[];
}

function floorCase(name: string, packages: readonly string[]): Case {
    return { name, argv: ["--eval", packages.map((p) => `require(${JSON.stringify(p)});`).join("")], okExits: [0] };
}

function seconds(argv: readonly string[], okExits: readonly number[], name: string): number {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [...argv], { cwd: PROJECT_DIR, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status === null || !okExits.includes(result.status))
        throw new Error(`${name} exited ${result.status ?? result.signal}: ${(result.stderr ?? "").trim().split("\n").slice(-1)[0]}`);
    return elapsed;
}

export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// The secret form `pulumi stack export` writes (sdk/go/common/apitype: a ciphertext under the
// secret signature), standing in for the plan's "[secret]".
const SECRET_SIGNATURE = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

function asExported(value: unknown): unknown {
    if (value === "[secret]") return { ...SECRET_SIGNATURE, ciphertext: "v1:bWFkZS11cC1ub25jZQ==:bWFkZS11cC1jaXBoZXJ0ZXh0" };
    if (Array.isArray(value)) return value.map(asExported);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asExported(v)]));
    return value;
}

/**
 * A `pulumi stack export` (deployment version 3, as sdk/go/common/apitype/core.go declares it) of
 * `count` resources: the plan's own resources, repeated under new names until there are enough, with
 * the Stack and components carrying no inputs and one default provider per package, as the CLI writes.
 */
export function syntheticExport(plan: Plan, count: number): unknown {
    const stackUrn = `urn:pulumi:${plan.stack}::${plan.project}::pulumi:pulumi:Stack::${plan.project}-${plan.stack}`;
    const packages = [...new Set(plan.resources.filter((r) => r.type.includes(":") && !r.type.startsWith("osint:")).map((r) => r.type.split(":")[0]))];
    const providers = packages.map((pkg) => ({
        urn: `urn:pulumi:${plan.stack}::${plan.project}::pulumi:providers:${pkg}::default`,
        custom: true,
        id: "5d2b7c1e-0000-4000-8000-000000000000",
        type: `pulumi:providers:${pkg}`,
        inputs: { version: "0.0.0" },
        outputs: { version: "0.0.0" },
    }));
    const resources: unknown[] = [{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: asExported(plan.outputs) }, ...providers];
    const own = plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    for (let copy = 0; resources.length < count; copy++) {
        const rename = (urn: string) => (copy === 0 ? urn : `${urn}-${copy}`);
        for (const r of own) {
            if (resources.length >= count) break;
            const custom = !r.type.startsWith("osint:");
            const base = { urn: rename(r.urn), custom, type: r.type, parent: r.parent ? rename(r.parent) : stackUrn };
            resources.push(
                custom
                    ? {
                          ...base,
                          id: `${r.name}-${copy}`,
                          inputs: asExported(r.inputs),
                          outputs: asExported({ ...r.inputs, id: `${r.name}-${copy}` }),
                          provider: `urn:pulumi:${plan.stack}::${plan.project}::pulumi:providers:${r.type.split(":")[0]}::default::5d2b7c1e-0000-4000-8000-000000000000`,
                          protect: r.options.protect,
                          dependencies: r.options.dependsOn.map(rename),
                      }
                    : base,
            );
        }
    }
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-29T00:00:00Z", magic: "", version: "v3.200.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy" } },
            resources,
        },
    };
}

const options = {
    runs: { type: "string", value: "<n>", default: "7", description: "timed runs of each case, interleaved" },
    resources: { type: "string", value: "<n>", default: "10000", description: "resources in the generated stack export the check reads" },
    json: { type: "boolean", description: "print the results as JSON" },
    record: { type: "boolean", description: `also append this session (date, machine, results) to ${RECORD_FILE}` },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "benchmark",
    summary:
        "times a prod plan and the check of a large stack export against the floor of loading the SDKs they need, and what the reachability analysis adds to the plan, side by side",
    usage: ["[--runs <n>] [--resources <n>] [--json] [--out <file>] [--record]"],
    options,
    examples: ["npm run -s benchmark", "npm run -s benchmark -- --record", "npm run -s benchmark -- --runs 11 --json --out bench/results/benchmark.json"],
    exitCodes: {
        0: `every case within ${TARGET_RATIO}× its floor, and the analysis within ${REACHABILITY_ADDED_SECONDS} s of the plan`,
        1: `a case slower than ${TARGET_RATIO}× its floor, or the analysis adding more than ${REACHABILITY_ADDED_SECONDS} s`,
    },
};

export function render(results: readonly Result[], resources: number, runs: number): string {
    const lines = [`${runs} interleaved runs each; check input: a stack export of ${resources} resources`, ""];
    lines.push(`${"case".padEnd(17)} ${"median s".padStart(9)} ${"min s".padStart(7)}  vs floor`);
    for (const r of results) {
        const verdict =
            typeof r.addedSeconds === "number"
                ? `+${r.addedSeconds.toFixed(3)} s over ${r.addsTo} (target ≤ ${REACHABILITY_ADDED_SECONDS} s: ${r.addedSeconds <= REACHABILITY_ADDED_SECONDS ? "met" : "MISSED"})`
                : r.ratio === null
                  ? "(floor)"
                  : `${r.ratio.toFixed(2)}× ${r.floor} (target ≤ ${TARGET_RATIO}×: ${r.ratio <= TARGET_RATIO ? "met" : "MISSED"})`;
        lines.push(`${r.name.padEnd(17)} ${r.medianSeconds.toFixed(3).padStart(9)} ${r.minSeconds.toFixed(3).padStart(7)}  ${verdict}`);
    }
    return lines.join("\n");
}

if (require.main === module)
    runTool(spec, async (values) => {
        const runs = positiveNumber("runs", values.runs ?? "", true);
        const count = positiveNumber("resources", values.resources ?? "", true);
        // Loaded here, not above: the plan engine loads the Pulumi SDKs, which --help and usage errors do not need.
        const { buildPlan } = await import("../lib/plan-engine");
        const started = new Date().toISOString();
        const loadAverage = os.loadavg()[0];
        const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-benchmark-"));
        try {
            const exportFile = path.join(workDir, "stack-export.json");
            fs.writeFileSync(exportFile, JSON.stringify(syntheticExport(await buildPlan(PROJECT_DIR, "prod"), count)));
            const work: Case[] = [
                { name: "plan prod", floor: "plan floor", argv: [...scriptArgv("plan"), "--stack", "prod", "--json"], okExits: [0] },
                // The same plan, analysed: exit 1 is a verdict (a flow), not a failure of the run.
                { name: "reachability prod", adds: "plan prod", argv: [...scriptArgv("reachability"), "--stack", "prod"], okExits: [0, 1] },
                {
                    name: "check export",
                    floor: "check floor",
                    argv: [...scriptArgv("check"), "--input", exportFile, "--stack-config", "prod"],
                    okExits: [0, 1],
                },
            ];
            const cases = [
                floorCase("plan floor", sdkPackagesLoadedBy(work[0], workDir)),
                work[0],
                work[1],
                floorCase("check floor", sdkPackagesLoadedBy(work[2], workDir)),
                work[2],
            ];
            const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
            for (const c of cases) seconds(c.argv, c.okExits, c.name); // warm the file cache and the compile cache once
            for (let run = 0; run < runs; run++) {
                for (const c of cases) times.get(c.name)!.push(seconds(c.argv, c.okExits, c.name));
                process.stderr.write(`run ${run + 1}/${runs} done\n`);
            }
            const medians = new Map([...times].map(([name, t]) => [name, median(t)]));
            const results: Result[] = cases.map((c) => ({
                name: c.name,
                floor: c.floor ?? null,
                medianSeconds: medians.get(c.name)!,
                minSeconds: Math.min(...times.get(c.name)!),
                maxSeconds: Math.max(...times.get(c.name)!),
                ratio: c.floor ? medians.get(c.name)! / medians.get(c.floor)! : null,
                addsTo: c.adds ?? null,
                addedSeconds: c.adds ? medians.get(c.name)! - medians.get(c.adds)! : null,
            }));
            const floors = Object.fromEntries(cases.filter((c) => !c.floor && !c.adds).map((c) => [c.name, c.argv[1]]));
            if (values.record) {
                const machine = { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, loadAverage };
                const session: Session = { date: started, machine, runs, resources: count, targetRatio: TARGET_RATIO, results };
                const file = path.join(PROJECT_DIR, RECORD_FILE);
                fs.writeFileSync(file, `${JSON.stringify({ sessions: [...readSessions(), session] }, null, 2)}\n`);
                process.stderr.write(`recorded this session in ${RECORD_FILE}\n`);
            }
            writeResult(
                values.json ? JSON.stringify({ runs, resources: count, targetRatio: TARGET_RATIO, floors, results }, null, 2) : render(results, count, runs),
                values.out,
            );
            const met = results.every(
                (r) => (r.ratio === null || r.ratio <= TARGET_RATIO) && (typeof r.addedSeconds !== "number" || r.addedSeconds <= REACHABILITY_ADDED_SECONDS),
            );
            return met ? 0 : 1;
        } finally {
            fs.rmSync(workDir, { recursive: true, force: true });
        }
    });
