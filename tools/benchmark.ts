// npm run -s benchmark -- [--runs N] [--resources N] [--json] [--out FILE] [--record] | --write
//                          | --dev-stack (the Docker end-to-end test instead, tools/benchmark-dev-stack.ts)
// Times what a user waits for against the floor of merely loading the SDKs it needs, side by side in
// one run (interleaved, so a busy machine slows every case alike): a prod plan as `npm run plan`
// runs it (floor: the SDKs the plan loads), the reachability analysis of that plan (which may add at
// most 0.5 s to it), and the check of generated real-shaped documents of --resources resources and of
// five times as many. The check loads no SDK; its floor is what judging with this pack cannot do
// without, the SDKs the pack's entry loads when the Pulumi CLI runs it (@pulumi/policy, and
// @pulumi/pulumi under it), and its growth with size is measured beyond its own start-up (the check
// of a preview of the Stack and its providers alone). Not a test: timings belong to the machine; the
// ratios and the analysis's added time are what the README states and the targets are about.
// --record appends the session (date, machine, every run's time) to docs/measured/benchmark.json,
// the stored result the README's numbers are checked against (tests/docs/claims.test.ts), and
// rewrites the README's paragraph on them (with --dev-stack, the README's paragraph on the e2e's
// times, tools/benchmark-dev-stack.ts); --write only rewrites both paragraphs.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { modeTakesOnly, outOption, positiveNumber, runTool, type ToolSpec, UsageError, writeResult } from "./cli";
import { type GeneratedBlock, generate } from "./generated-page";
import {
    coldCacheFolder,
    DEV_STACK_RUNS,
    DEV_STACK_TARGET_SECONDS,
    devStackRun,
    devStackSession,
    devStackBlock,
    devStackVerdicts,
    renderDevStack,
    renderDevStackBlock,
    runDevStack,
    span,
    type DevStackRun,
    type DevStackSession,
} from "./benchmark-dev-stack";
import { inWords, thousands, verdictWord, wrapped } from "../lib/words";
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
/** A check of SCALE times the resources may take at most SCALE_TARGET times as long, beyond its start-up (issue 22). */
export const SCALE = 5;
export const SCALE_TARGET = 5.5;
/** The larger preview: judged by its growth (SCALE_TARGET), not by the 1.5× of a 10k case. */
export const SCALED_CASE = `check preview ×${SCALE}`;
/** The check of a preview of the Stack and its providers alone (nothing a rule judges one by one): its start-up, beyond which growth is measured. */
export const STARTUP_CASE = "check start-up";
/** Whether a case is held to TARGET_RATIO against its floor. */
const heldToFloor = (r: Result) => r.ratio !== null && r.name !== SCALED_CASE;
/** A case within its floor's target (or held to none). */
const withinFloorTarget = (r: Result) => !heldToFloor(r) || r.ratio! <= TARGET_RATIO;
/** A case within what it may add to another (or adding to none). */
const withinAddedTarget = (r: Result) => typeof r.addedSeconds !== "number" || r.addedSeconds <= REACHABILITY_ADDED_SECONDS;
/** A check's peak resident memory may be at most this many times the size of its input (issue 22). */
export const MEMORY_TARGET = 4;

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
    /**
     * The SDK packages each floor loaded. Absent in sessions from before the check stopped loading the
     * SDKs, whose check floor was the SDKs the check then loaded: their check ratios are not comparable.
     */
    readonly floors?: Readonly<Record<string, readonly string[]>>;
    /** The larger preview's growth and each check's memory (absent in sessions recorded before them). */
    readonly scale?: Scale;
    readonly memory?: readonly Memory[];
}

/** The sessions --record keeps: what the README's timings and ratios are checked against. */
export const RECORD_FILE = "docs/measured/benchmark.json";

interface BenchmarkRecord {
    sessions: Session[];
    /** The --dev-stack sessions (absent before the first). */
    devStack?: DevStackSession[];
}

function readRecord(projectDir: string): BenchmarkRecord {
    const file = path.join(projectDir, RECORD_FILE);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as BenchmarkRecord) : { sessions: [] };
}

export function readSessions(projectDir = PROJECT_DIR): Session[] {
    return readRecord(projectDir).sessions;
}

/** The --dev-stack sessions --record kept: what the README's e2e times are checked against. */
export function readDevStackSessions(projectDir = PROJECT_DIR): DevStackSession[] {
    return readRecord(projectDir).devStack ?? [];
}

/** Appends to the record, keeping every other kind of session. */
function record(change: (current: BenchmarkRecord) => BenchmarkRecord): void {
    const next = change(readRecord(PROJECT_DIR));
    fs.writeFileSync(path.join(PROJECT_DIR, RECORD_FILE), `${JSON.stringify(next, null, 2)}\n`);
    process.stderr.write(`recorded this session in ${RECORD_FILE}\n`);
}

function machine(loadAverage: number): Session["machine"] {
    return { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, loadAverage };
}

/** The verdict on a case over several sessions: the median of their ratios against the target. */
export function verdict(ratios: readonly number[], target = TARGET_RATIO): "met" | "MISSED" {
    return verdictWord(median(ratios) <= target);
}

export const benchmarkBlock: GeneratedBlock = {
    page: "README.md",
    begin: "<!-- benchmark:begin (npm run -s benchmark -- --record, or --write) -->",
    end: "<!-- benchmark:end -->",
};

const range = (values: readonly number[], digits: number) => span(Math.min(...values), Math.max(...values), digits);

const sessionsWord = (n: number) => `${inWords(n)} session${n === 1 ? "" : "s"}`;

/**
 * The README's paragraph on the stored sessions: their dates, machine and ranges, and the verdict by
 * the median; the check's figures from the sessions that floored it at the pack's SDKs alone.
 */
export function benchmarkSummary(sessions: readonly Session[]): string {
    if (sessions.length === 0) return "No session is recorded yet.";
    const ratios = (of: readonly Session[], name: string) => of.map((s) => s.results.find((r) => r.name === name)!.ratio!);
    const times = (of: readonly Session[], name: string) => of.flatMap((s) => s.results.filter((r) => r.name === name).map((r) => r.medianSeconds));
    const cores = [...new Set(sessions.map((s) => s.machine.cores))].join(" or ");
    const dates = [...new Set(sessions.map((s) => s.date.slice(0, 10)))].join(", ");
    const load = range(
        sessions.map((s) => s.machine.loadAverage),
        1,
    );
    const runs = [...new Set(sessions.map((s) => s.runs))].join(" or ");
    const ratio = (of: readonly Session[], name: string) =>
        `**${range(ratios(of, name), 2)}×** (median ${median(ratios(of, name)).toFixed(2)}×: target ${TARGET_RATIO}× ${verdict(ratios(of, name))})`;
    const item = (of: readonly Session[], name: string, floor: string, label: string, floorNote = "") =>
        `${label} ${range(times(of, name), 2)} s against a ${range(times(of, floor), 2)} s floor${floorNote}, ${ratio(of, name)}`;
    const floored = sessions.filter((s) => s.floors?.["check floor"] !== undefined);
    const packages = [...new Set(floored.flatMap((s) => s.floors!["check floor"]))].map((p) => `\`${p}\``).join(" and ");
    const since = floored.length === sessions.length ? "" : ` (the ${sessionsWord(floored.length)} since it stopped loading the SDKs)`;
    const check =
        floored.length === 0
            ? "no session has timed the check since it stopped loading the SDKs"
            : `${item(floored, "check export", "check floor", `the check${since} of the export`, ` (loading ${packages}, as the pack does under the Pulumi CLI)`)}, ` +
              `and of the preview ${range(times(floored, "check preview"), 2)} s, ${ratio(floored, "check preview")}`;
    const grown = floored.filter((s) => s.scale && s.memory);
    const judged = (values: readonly number[], target: number) => `${range(values, 2)}× (target ${target}× ${verdict(values, target)})`;
    // The memory target is about the largest input, and only from MEMORY_TARGET_FROM_BYTES of it.
    const largest = (s: Session) => s.memory!.reduce((a, b) => (b.inputBytes > a.inputBytes ? b : a));
    const held = grown.map(largest).filter((m) => m.inputBytes >= MEMORY_TARGET_FROM_BYTES);
    // Every recorded session checks the default --resources (--record takes no other), so the sizes are the same in all.
    const grows =
        grown.length === 0
            ? ""
            : ` Checking ${thousands(grown[0].scale!.resources[1])} resources took ${judged(
                  grown.map((s) => s.scale!.ratio),
                  SCALE_TARGET,
              )} ` +
              `the time of ${thousands(grown[0].scale!.resources[0])} beyond the check's start-up` +
              `${
                  held.length === 0
                      ? ""
                      : `, at a peak memory of ${judged(
                            held.map((m) => m.ratio),
                            MEMORY_TARGET,
                        )} the input`
              }.`;
    return (
        `Measured: ${sessionsWord(sessions.length)} of ${runs} interleaved runs on ${dates}, on ${cores} cores shared with ` +
        `other work (load average ${load} at their start), medians per session: ${item(sessions, "plan prod", "plan floor", "the plan")}; ${check}.${grows} ` +
        `A session on a busy machine moves each ratio by tenths; the target counts as met when the median over the sessions meets it.`
    );
}

/** The README's block, markers included, from the stored sessions. */
export function renderBenchmarkBlock(sessions: readonly Session[]): string {
    return [benchmarkBlock.begin, wrapped(benchmarkSummary(sessions)), benchmarkBlock.end].join("\n");
}

/** Rewrites the README's block from the stored sessions, and says so on stderr. */
const writeBenchmarkBlock = () => generate({ write: true }, benchmarkBlock, renderBenchmarkBlock(readSessions()));
/** Rewrites the README's dev-stack block from the stored --dev-stack sessions, and says so on stderr. */
const writeDevStackBlock = () => generate({ write: true }, devStackBlock, renderDevStackBlock(readDevStackSessions()));

// Written to a temporary file and preloaded into one run of a case: on exit it lists the SDK
// packages (@pulumi/*) in the module cache, so the plan's floor loads exactly what the plan loads
// (and the command-line tests show that --help, usage errors and a check of a file load none).
export const PROBE = `process.on("exit", () => {
    const found = new Set();
    for (const file of Object.keys(require.cache)) {
        const match = /node_modules[\\\\/]@pulumi[\\\\/]([^\\\\/]+)[\\\\/]/.exec(file);
        if (match) found.add("@pulumi/" + match[1]);
    }
    require("node:fs").writeFileSync(process.env.SDK_PROBE_OUT, JSON.stringify([...found].sort()));
});
`;

/**
 * The SDK packages the policy pack's entry (policies/index.ts) requires to run under the Pulumi CLI:
 * the check's floor. Read from the entry as the require hook compiles it (sucrase drops imports of
 * types alone, as TypeScript does), since running it would serve the pack to an engine.
 */
export function packSdks(projectDir = PROJECT_DIR): string[] {
    const entry = path.join(projectDir, "policies", "index.ts");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiler the hook uses, loaded for this alone
    const { transform } = require("sucrase") as typeof import("sucrase");
    const { code } = transform(fs.readFileSync(entry, "utf8"), { transforms: ["typescript", "imports"], filePath: entry });
    const packages = [...new Set([...code.matchAll(/\brequire\(['"](@pulumi\/[^'"/]+)/g)].map((m) => m[1]))].sort();
    // None would floor the check at bare Node: a pack that runs under the CLI requires @pulumi/policy.
    if (packages.length === 0)
        throw new Error(`${path.relative(projectDir, entry)} requires no Pulumi SDK: expected the pack's entry, which requires @pulumi/policy`);
    return packages;
}

// Preloaded beside PROBE: on exit it writes the process's peak resident memory in bytes.
const RSS_PROBE = `process.on("exit", () => require("node:fs").writeFileSync(process.env.RSS_PROBE_OUT, String(process.resourceUsage().maxRSS * 1024)));
`;

/** One run of a case under both probes: the SDK packages it loaded, and its peak resident memory. */
function probed(testCase: Case, workDir: string): { sdks: string[]; peakBytes: number } {
    const probe = path.join(workDir, "sdk-probe.js");
    const rssProbe = path.join(workDir, "rss-probe.js");
    const out = path.join(workDir, `${testCase.name}.sdks.json`);
    const rssOut = path.join(workDir, `${testCase.name}.rss`);
    fs.writeFileSync(probe, PROBE);
    fs.writeFileSync(rssProbe, RSS_PROBE);
    const result = spawnSync(process.execPath, ["--require", probe, "--require", rssProbe, ...testCase.argv], {
        cwd: PROJECT_DIR,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, SDK_PROBE_OUT: out, RSS_PROBE_OUT: rssOut },
        encoding: "utf8",
    });
    if (result.status === null || !testCase.okExits.includes(result.status))
        throw new Error(`${testCase.name} failed: ${(result.stderr ?? "").trim().split("\n").slice(-1)[0]}`);
    return { sdks: JSON.parse(fs.readFileSync(out, "utf8")) as string[], peakBytes: Number(fs.readFileSync(rssOut, "utf8")) };
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

/** The plan's custom resources with what the offline check's mocks return for them (id, ARN, ...), as after `pulumi up`. */
export type Deployed = readonly { readonly urn: string; readonly outputs: Record<string, unknown> }[];

/**
 * For copy `copy` of the plan (a stack that many times as large), every name the plan gives a resource,
 * and so every id, ARN and reference built from it, suffixed "-c<copy>": each copy's companions name
 * their own copy's resources, as in a real stack, instead of every copy naming the first one.
 */
function renamer(plan: Plan): (value: unknown, copy: number) => unknown {
    const names = [...new Set(plan.resources.map((r) => r.name))].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(`(?<![A-Za-z0-9])(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?![A-Za-z0-9])`, "g");
    return (value, copy) => (copy === 0 ? value : JSON.parse(JSON.stringify(value).replace(pattern, (name) => `${name}-c${copy}`)));
}

/**
 * The resources of a stack `count` strong, as ResourceV3 (sdk/go/common/apitype/core.go): the Stack and
 * components without inputs, one default provider per package, then the plan's own resources repeated
 * under new names (copy k's names suffixed throughout) with their mocked outputs, secrets written by `secret`.
 */
function stackResources(plan: Plan, deployed: Deployed, count: number, secret: (value: unknown) => unknown): Record<string, unknown>[] {
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
    const outputsOf = new Map(deployed.map((r) => [r.urn, r.outputs]));
    const rename = renamer(plan);
    const resources: Record<string, unknown>[] = [{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: secret(plan.outputs) }, ...providers];
    const own = plan.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    for (let copy = 0; resources.length < count; copy++) {
        const renameUrn = (urn: string) => (copy === 0 ? urn : `${urn}-${copy}`);
        for (const r of own) {
            if (resources.length >= count) break;
            const custom = !r.type.startsWith("osint:");
            const base = { urn: renameUrn(r.urn), custom, type: r.type, parent: r.parent ? renameUrn(r.parent) : stackUrn };
            if (!custom) {
                resources.push(base);
                continue;
            }
            const { id, ...outputs } = (rename(outputsOf.get(r.urn) ?? { ...r.inputs, id: `${r.name}-id` }, copy) ?? {}) as Record<string, unknown>;
            resources.push({
                ...base,
                id,
                inputs: secret(rename(r.inputs, copy)),
                outputs: secret({ ...outputs, id }),
                provider: `urn:pulumi:${plan.stack}::${plan.project}::pulumi:providers:${r.type.split(":")[0]}::default::5d2b7c1e-0000-4000-8000-000000000000`,
                protect: r.options.protect,
                dependencies: r.options.dependsOn.map(renameUrn),
                ...(r.source ? { sourcePosition: `project:///${r.source.file}#${r.source.line},5` } : {}),
            });
        }
    }
    return resources;
}

/**
 * A `pulumi stack export` (deployment version 3, as sdk/go/common/apitype/core.go declares it) of
 * `count` resources: the plan's own, repeated under new names until there are enough, secrets as the
 * state's ciphertext objects.
 */
export function syntheticExport(plan: Plan, deployed: Deployed, count: number): unknown {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-29T00:00:00Z", magic: "", version: "v3.200.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:c2FsdA==:v1:bm9uY2U=:Y2lwaGVy" } },
            resources: stackResources(plan, deployed, count, asExported),
        },
    };
}

/** Every UPDATE_EVERY-th custom resource of a synthetic preview changes (an update step); the rest are the same. */
const UPDATE_EVERY = 10;

/**
 * `pulumi preview --json --show-sames` (PreviewDigest, sdk/go/common/display/json.go) of a stack of
 * `count` resources: a same step per resource with its old and new state, and for every tenth custom
 * resource an update step whose new state has no outputs or id yet, as the CLI prints it; secrets are
 * the string "[secret]" (pkg/backend/display/json.go MassageSecrets).
 */
export function syntheticPreview(plan: Plan, deployed: Deployed, count: number): unknown {
    const changeSummary: Record<string, number> = {};
    let custom = 0;
    const steps = stackResources(plan, deployed, count, (value) => value).map((state) => {
        const update = state.custom === true && !String(state.type).startsWith("pulumi:providers:") && ++custom % UPDATE_EVERY === 0;
        const op = update ? "update" : "same";
        changeSummary[op] = (changeSummary[op] ?? 0) + 1;
        const { outputs: _outputs, id: _id, ...announced } = state;
        return {
            op,
            urn: state.urn,
            provider: state.provider ?? "",
            oldState: state,
            newState: update ? announced : state,
            ...(update ? { diffReasons: ["tags"] } : {}),
        };
    });
    return { config: { "aws:region": "us-east-1", "osint-platform:dbPassword": "[secret]" }, steps, duration: 41_000_000_000, changeSummary };
}

/** Timed runs of each default case. */
const RUNS = 7;

const options = {
    runs: {
        type: "string",
        value: "<n>",
        description: `timed runs of each case, interleaved (default: ${RUNS}; with --dev-stack ${DEV_STACK_RUNS} warm and ${DEV_STACK_RUNS} cold)`,
    },
    resources: { type: "string", value: "<n>", default: "10000", description: "resources in the generated stack export the check reads" },
    json: { type: "boolean", description: "print the results as JSON" },
    record: { type: "boolean", description: `also append this session (date, machine, results) to ${RECORD_FILE} and rewrite the README's paragraph on it` },
    write: { type: "boolean", description: `time nothing: rewrite the README's two paragraphs (benchmark, dev-stack e2e) from the sessions in ${RECORD_FILE}` },
    "dev-stack": {
        type: "boolean",
        description: `instead, time the Docker end-to-end test (npm run test:dev-stack) warm and cold, against ${DEV_STACK_TARGET_SECONDS.warm} s and ${DEV_STACK_TARGET_SECONDS.cold} s (minutes a run; needs an engine and the lab's tools)`,
    },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "benchmark",
    summary:
        "times a prod plan and the check of large real-shaped exports and previews against the floor of loading the SDKs they need (the check: the policy pack's), what the reachability analysis adds to the plan, and the check's growth and memory with size",
    usage: ["[--runs <n>] [--resources <n>] [--json] [--out <file>] [--record]", "--write", "--dev-stack [--runs <n>] [--json] [--out <file>] [--record]"],
    options,
    examples: [
        "npm run -s benchmark",
        "npm run -s benchmark -- --record",
        "npm run -s benchmark -- --write",
        "npm run -s benchmark -- --runs 11 --json --out bench/results/benchmark.json",
        "npm run -s benchmark -- --dev-stack --record",
    ],
    exitCodes: {
        0: `every case within ${TARGET_RATIO}× its floor, the analysis within ${REACHABILITY_ADDED_SECONDS} s of the plan, the ${SCALE}× preview within ${SCALE_TARGET}× beyond its start-up, memory within ${MEMORY_TARGET}× the input; with --dev-stack, the e2e's median within ${DEV_STACK_TARGET_SECONDS.warm} s warm and ${DEV_STACK_TARGET_SECONDS.cold} s cold`,
        1: "a target missed (never with --write; with --dev-stack also: an e2e run failed)",
    },
};

interface Scale {
    /** The resources of the two previews compared. */
    readonly resources: readonly [number, number];
    /** How many times longer the larger took, beyond the check's start-up (STARTUP_CASE). */
    readonly ratio: number;
}

/** The larger preview against the smaller (of `resources`), each by its median time beyond the check's start-up. */
export function scaleOf(medians: ReadonlyMap<string, number>, resources: number): Scale {
    const beyondStartup = (name: string) => medians.get(name)! - medians.get(STARTUP_CASE)!;
    return { resources: [resources, resources * SCALE], ratio: beyondStartup(SCALED_CASE) / beyondStartup("check preview") };
}

interface Memory {
    readonly name: string;
    readonly inputBytes: number;
    readonly peakBytes: number;
    readonly ratio: number;
}

// The memory target is about large inputs: below this, the SDKs' own memory (some 150 MiB) dominates.
export const MEMORY_TARGET_FROM_BYTES = 64 * 1024 * 1024;

function withinMemory(m: Memory): boolean {
    return m.inputBytes < MEMORY_TARGET_FROM_BYTES || m.ratio <= MEMORY_TARGET;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Time against size (the larger preview against the smaller, beyond the check's start-up) and each check's peak memory against its input. */
export function renderScale(scale: Scale, memory: readonly Memory[]): string {
    return [
        `scale: ${scale.resources[1]} resources take ${scale.ratio.toFixed(2)}× the time of ${scale.resources[0]} beyond the check's start-up (target ≤ ${SCALE_TARGET}×: ${verdictWord(scale.ratio <= SCALE_TARGET)})`,
        ...memory.map(
            (m) =>
                `memory: ${m.name.padEnd(18)} peak ${mib(m.peakBytes)} for ${mib(m.inputBytes)} of input: ${m.ratio.toFixed(2)}× ${m.inputBytes < MEMORY_TARGET_FROM_BYTES ? `(target applies from ${mib(MEMORY_TARGET_FROM_BYTES)} of input)` : `(target ≤ ${MEMORY_TARGET}×: ${verdictWord(withinMemory(m))})`}`,
        ),
    ].join("\n");
}

/** Every target of the run: each 10k case against its floor, the analysis's addition, the growth and the memory. */
export function targetsMet(results: readonly Result[], scale: Scale, memory: readonly Memory[]): boolean {
    return results.every((r) => withinFloorTarget(r) && withinAddedTarget(r)) && scale.ratio <= SCALE_TARGET && memory.every(withinMemory);
}

export function render(results: readonly Result[], resources: number, runs: number): string {
    const lines = [
        `${runs} interleaved runs each; check inputs: a stack export and a preview of ${resources} resources, a preview of ${resources * SCALE}`,
        "",
    ];
    lines.push(`${"case".padEnd(18)} ${"median s".padStart(9)} ${"min s".padStart(7)}  vs floor`);
    for (const r of results) {
        const verdict =
            typeof r.addedSeconds === "number"
                ? `+${r.addedSeconds.toFixed(3)} s over ${r.addsTo} (target ≤ ${REACHABILITY_ADDED_SECONDS} s: ${verdictWord(withinAddedTarget(r))})`
                : r.ratio === null
                  ? r.name === STARTUP_CASE
                      ? "(the check's start-up: growth is measured beyond it)"
                      : "(floor)"
                  : `${r.ratio.toFixed(2)}× ${r.floor} ${heldToFloor(r) ? `(target ≤ ${TARGET_RATIO}×: ${verdictWord(withinFloorTarget(r))})` : "(judged by its growth below)"}`;
        lines.push(`${r.name.padEnd(18)} ${r.medianSeconds.toFixed(3).padStart(9)} ${r.minSeconds.toFixed(3).padStart(7)}  ${verdict}`);
    }
    return lines.join("\n");
}

/**
 * The dev-stack case: `runs` cold runs and `runs` warm ones, interleaved (cold first, so a busy spell
 * slows both alike). A warm cache that lacks the current lab images or apt's downloads is filled by
 * one run first, untimed.
 */
async function benchmarkDevStack(runs: number, values: { json?: boolean; out?: string; record?: boolean }): Promise<number> {
    const { cacheFolder } = await import("../lab/images/cache");
    const { labImageNames } = await import("../lab/images/build");
    const started = new Date().toISOString();
    const loadAverage = os.loadavg()[0];
    const warm = cacheFolder();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-benchmark-"));
    const results: DevStackRun[] = [];
    try {
        const apt = path.join(warm, "apt-archives");
        const primed = fs.existsSync(path.join(warm, labImageNames().bundleName)) && fs.existsSync(apt) && fs.readdirSync(apt).length > 0;
        if (!primed) {
            process.stderr.write(`the lab cache ${warm} is not warm: one e2e run fills it first, untimed\n`);
            runDevStack(PROJECT_DIR, warm, workDir);
        }
        for (let run = 1; run <= runs; run++) {
            for (const cache of ["cold", "warm"] as const) {
                const folder = cache === "cold" ? coldCacheFolder(warm) : warm;
                try {
                    const { seconds, timings } = runDevStack(PROJECT_DIR, folder, workDir);
                    const result = devStackRun(cache, seconds, timings);
                    results.push(result);
                    process.stderr.write(
                        `run ${run}/${runs} ${cache}: ${seconds.toFixed(1)} s (apply to all healthy ${result.applyToHealthySeconds.toFixed(1)} s)\n`,
                    );
                } finally {
                    if (cache === "cold") fs.rmSync(folder, { recursive: true, force: true });
                }
            }
        }
    } catch (err) {
        process.stderr.write(`benchmark: ${(err as Error).message}\n`);
        return 1;
    } finally {
        fs.rmSync(workDir, { recursive: true, force: true });
    }
    const session = devStackSession(results, machine(loadAverage), started);
    if (values.record) {
        record((current) => ({ ...current, devStack: [...(current.devStack ?? []), session] }));
        writeDevStackBlock();
    }
    writeResult(values.json ? JSON.stringify(session, null, 2) : renderDevStack(session), values.out);
    return Object.values(devStackVerdicts(session)).every((v) => v === "met") ? 0 : 1;
}

if (require.main === module)
    runTool(spec, async (values) => {
        modeTakesOnly(spec, values, "write");
        if (values.write) {
            writeBenchmarkBlock();
            writeDevStackBlock();
            return 0;
        }
        modeTakesOnly(spec, values, "dev-stack", ["runs", "json", "out", "record"]);
        if (values["dev-stack"]) return benchmarkDevStack(positiveNumber("runs", values.runs ?? String(DEV_STACK_RUNS), true), values);
        const runs = positiveNumber("runs", values.runs ?? String(RUNS), true);
        const count = positiveNumber("resources", values.resources ?? "", true);
        // The README states the default's case: sessions of other sizes would mix into its figures.
        if (values.record && values.resources !== spec.options.resources.default)
            throw new UsageError(
                `--record stores the default case only (--resources ${spec.options.resources.default}), found --resources ${values.resources}`,
            );
        // Loaded here, not above: the plan engine loads the Pulumi SDKs, which --help and usage errors do not need.
        const { buildPlan } = await import("../lib/plan-engine");
        const { planResources } = await import("../policies/input/read");
        const started = new Date().toISOString();
        const loadAverage = os.loadavg()[0];
        const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-benchmark-"));
        try {
            const plan = await buildPlan(PROJECT_DIR, "prod");
            const deployed = await planResources(plan);
            const write = (name: string, document: unknown) => {
                const file = path.join(workDir, name);
                fs.writeFileSync(file, JSON.stringify(document));
                return file;
            };
            const inputs = {
                "check export": write("stack-export.json", syntheticExport(plan, deployed, count)),
                "check preview": write("preview.json", syntheticPreview(plan, deployed, count)),
                [SCALED_CASE]: write("preview-large.json", syntheticPreview(plan, deployed, count * SCALE)),
            };
            const checkCase = (name: string, file: string): Case => ({
                name,
                floor: "check floor",
                argv: [...scriptArgv("check"), "--input", file, "--stack-config", "prod"],
                okExits: [0, 1],
            });
            const work: Case[] = [
                { name: "plan prod", floor: "plan floor", argv: [...scriptArgv("plan"), "--stack", "prod", "--json"], okExits: [0] },
                // The same plan, analysed: exit 1 is a verdict (a flow), not a failure of the run.
                { name: "reachability prod", adds: "plan prod", argv: [...scriptArgv("reachability"), "--stack", "prod"], okExits: [0, 1] },
                { ...checkCase(STARTUP_CASE, write("stack-alone.json", syntheticPreview(plan, deployed, 1))), floor: undefined },
                ...Object.entries(inputs).map(([name, file]) => checkCase(name, file)),
            ];
            const probes = new Map(work.filter((c) => !c.adds).map((c) => [c.name, probed(c, workDir)]));
            const floors = { "plan floor": probes.get("plan prod")!.sdks, "check floor": packSdks() };
            const cases = [floorCase("plan floor", floors["plan floor"]), work[0], work[1], floorCase("check floor", floors["check floor"]), ...work.slice(2)];
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
            const scale = scaleOf(medians, count);
            const memory: Memory[] = Object.entries(inputs).map(([name, file]) => {
                const inputBytes = fs.statSync(file).size;
                const peakBytes = probes.get(name)!.peakBytes;
                return { name, inputBytes, peakBytes, ratio: peakBytes / inputBytes };
            });
            if (values.record) {
                const session: Session = {
                    date: started,
                    machine: machine(loadAverage),
                    runs,
                    resources: count,
                    targetRatio: TARGET_RATIO,
                    results,
                    floors,
                    scale,
                    memory,
                };
                record((current) => ({ ...current, sessions: [...current.sessions, session] }));
                writeBenchmarkBlock();
            }
            writeResult(
                values.json
                    ? JSON.stringify({ runs, resources: count, targetRatio: TARGET_RATIO, floors, results, scale, memory }, null, 2)
                    : `${render(results, count, runs)}\n\n${renderScale(scale, memory)}`,
                values.out,
            );
            return targetsMet(results, scale, memory) ? 0 : 1;
        } finally {
            fs.rmSync(workDir, { recursive: true, force: true });
        }
    });
