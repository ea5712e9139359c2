// Every tool that package.json runs from tools/ keeps the one command-line contract (tools/cli.ts):
// --help exits 0 with usage, options and examples; an unknown flag, a near-miss flag, a missing value
// and a stray argument each exit 2 with one line on stderr and never a stack trace, all without loading
// the Pulumi SDK (half a second a run). The tools are read from package.json, so a new one is covered
// without touching this file.
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import { PROBE } from "../tools/benchmark";
import { modeTakesOnly, parseToolArgs, positiveNumber, UsageError, writeResult } from "../tools/cli";
import { spec as costSpec } from "../tools/cost";
import { spec as diagramSpec } from "../tools/diagram";
import { spec as planSpec } from "../tools/plan";
import { nearest } from "../lib/nearest";
import { STACK_VALUE, STACKS } from "../lib/stacks";
import { projectDir } from "./helpers/plan";
import { TS_HOOK } from "./helpers/hook";

const scripts = (JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** npm script name → the tools/ file it runs, under the require hook the script names. */
const tools = Object.entries(scripts).flatMap(([name, command]) => {
    const [, hook, file] = /^node --require (\S+) (tools\/[\w-]+\.ts)$/.exec(command) ?? [];
    return file ? [{ name, file, hook }] : [];
});

const STACK_FRAME = /\n\s+at /;

const toolsPage = fs.readFileSync(path.join(projectDir, "docs", "tools.md"), "utf8");
/** docs/tools.md's exit-code table: code → the tools it names ("all" for every tool). */
const documentedExitCodes = new Map(
    [...(toolsPage.split(/^## Exit codes$/m)[1]?.split(/^## /m)[0] ?? "").matchAll(/^\| (\d+) \| [^|]+ \| ([^|]+) \|$/gm)].map((m) => [
        Number(m[1]),
        m[2].trim().split(/,\s*/),
    ]),
);

/** The exit codes a tool's --help lists. */
function helpExitCodes(help: string): number[] {
    return [...(help.split(/^exit codes:$/m)[1] ?? "").matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
}

/** Whether git and Prettier both ignore `file` (relative to the project). */
async function generatedPathIgnored(file: string): Promise<boolean> {
    const git = spawnSync("git", ["check-ignore", "--no-index", "-q", file], { cwd: projectDir });
    const info = await prettier.getFileInfo(path.join(projectDir, file), { ignorePath: path.join(projectDir, ".prettierignore") });
    return git.status === 0 && info.ignored;
}

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** The SDK packages (@pulumi/*) the run had loaded when it exited, as the benchmark's probe lists them. */
    readonly sdks: string[];
}

/** Runs `jobs` with at most `width` at a time (each is a Node process: a few at once, not dozens). */
async function pooled<T>(jobs: readonly (() => Promise<T>)[], width = 4): Promise<T[]> {
    const results: T[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
        while (next < jobs.length) {
            const i = next++;
            results[i] = await jobs[i]();
        }
    };
    await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
    return results;
}

/** Where each run's probe writes its list; made by the tests' `before`. */
let probeDir = "";
let started = 0;

async function run({ file, hook }: { file: string; hook: string }, args: readonly string[]): Promise<Run> {
    const sdkList = path.join(probeDir, `${++started}.json`);
    const result = await new Promise<Omit<Run, "sdks">>((resolve, reject) => {
        const child = spawn(process.execPath, ["--require", path.join(probeDir, "sdk-probe.js"), "--require", hook, file, ...args], {
            cwd: projectDir,
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, SDK_PROBE_OUT: sdkList },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.once("error", reject);
        child.once("close", (status) => resolve({ status, stdout, stderr }));
    });
    return { ...result, sdks: JSON.parse(fs.readFileSync(sdkList, "utf8")) as string[] };
}

type ToolOptions = { name: string; takesValue: boolean }[];

/** The options `--help` lists: name and whether it takes a value. */
function helpOptions(help: string): ToolOptions {
    const section = help.split(/^options:$/m)[1]?.split(/^\S/m)[0] ?? "";
    return [...section.matchAll(/^ {2}(?:-\w, )?--([\w-]+)( <[^>]+>)?/gm)].map((m) => ({ name: m[1], takesValue: m[2] !== undefined }));
}

/** A usage error: exit 2, exactly one line on stderr naming the tool, nothing on stdout, no stack frame. */
function assertUsageError(result: Run, tool: string, problem: RegExp): void {
    const context = `stdout: ${result.stdout}\nstderr: ${result.stderr}`;
    assert.equal(result.status, 2, context);
    assert.doesNotMatch(result.stdout + result.stderr, STACK_FRAME, context);
    assert.equal(result.stdout, "", context);
    const lines = result.stderr.split("\n");
    assert.deepEqual([lines.length, lines[1]], [2, ""], `exactly one line on stderr: ${context}`);
    assert.ok(lines[0].startsWith(`${tool}: `), context);
    assert.match(lines[0], problem);
    assert.match(lines[0], new RegExp(`usage: npm run -s ${tool}\\b`));
}

describe("did you mean", () => {
    it("counts a swap of two neighbouring letters as one edit, and suggests nothing far", () => {
        assert.equal(nearest("jsno", ["json", "out"]), "json");
        assert.equal(nearest("wirte", ["write", "out"]), "write");
        assert.equal(nearest("dri", ["dir"]), "dir");
        assert.equal(nearest("stak", ["stack"]), "stack");
        assert.equal(nearest("zzzz", ["json", "out"]), undefined);
    });
});

describe("--out", () => {
    it("- is standard output", () => {
        const written: string[] = [];
        const write = process.stdout.write;
        process.stdout.write = ((chunk: string) => Boolean(written.push(chunk))) as typeof process.stdout.write;
        try {
            writeResult("result", "-");
        } finally {
            process.stdout.write = write;
        }
        assert.deepEqual(written, ["result\n"]);
    });

    // Node's recursive mkdirSync never returns under /proc (mkdir keeps failing with ENOENT there): run
    // in a child with a deadline, since a hang in this process would outlive any mocha timeout.
    it("a folder the file system cannot create fails at once, exit 2 and one line, for the shared writer and render-db-init", () => {
        if (!fs.existsSync("/proc/self")) return; // Linux only, where /proc exists
        const node = (args: string[]) => spawnSync(process.execPath, ["--require", TS_HOOK, ...args], { cwd: projectDir, encoding: "utf8", timeout: 30_000 });
        const shared = node(["-e", 'require("./tools/cli").writeResult("x", "/proc/nope/x.sarif")']);
        assert.equal(shared.signal, null, "writeResult returned");
        assert.match(shared.stderr, /--out \/proc\/nope\/x\.sarif: cannot be written: no such file or folder/);
        const tool = node(["tools/render-db-init.ts", "--out", "/proc/nope/init"]);
        assert.deepEqual(
            [tool.signal, tool.status, tool.stderr],
            [null, 2, "render-db-init: --out /proc/nope/init: cannot be created: no such file or folder\n"],
        );
    });
});

describe("parsing what parseArgs lets through", () => {
    const parse = (...argv: string[]) => parseToolArgs(planSpec, argv);
    const refused = (argv: string[], message: string) =>
        assert.throws(
            () => parse(...argv),
            (err: Error) => err instanceof UsageError && err.message === message,
            argv.join(" "),
        );
    it("refuses an empty value, a repeated option and an option after a second --", () => {
        refused(["--stack", ""], "option --stack needs a value, found an empty one");
        refused(["--stack=dev", "--out="], "option --out needs a value, found an empty one");
        refused(["--stack", "dev", "--stack", "prod"], "option --stack given 2 times (--stack dev, --stack prod)");
        refused(
            ["--stack", "dev", "--", "--json"],
            'unexpected argument "--json" after a bare -- (which ends the options; npm run needs only the one before them)',
        );
        assert.deepEqual({ ...parse("--stack", "dev", "--json") }, { stack: "dev", json: true });
    });

    it("refuses options a mode does not take, and takes those at their default", () => {
        const cost = (...argv: string[]) => modeTakesOnly(costSpec, parseToolArgs(costSpec, argv), "write-docs");
        assert.throws(() => cost("--write-docs", "--stack", "prod", "--out", "x.md"), /^UsageError: --write-docs takes no other option, found --stack, --out$/);
        cost("--write-docs", "--format", "markdown");
        cost("--stack", "prod", "--out", "x.md");
        const diagram = (...argv: string[]) => modeTakesOnly(diagramSpec, parseToolArgs(diagramSpec, argv), "write", ["stack"]);
        assert.throws(
            () => diagram("--stack", "dev", "--write", "--config-file", "f.yaml"),
            /^UsageError: --write takes only --stack beside it, found --config-file$/,
        );
        diagram("--stack", "dev", "--write");
    });

    it("reads a choice of another option given as a flag as that option (--json for --format json, --prod for --stack prod)", () => {
        assert.throws(() => parseToolArgs(costSpec, ["--stack", "prod", "--json"]), /^UsageError: unknown option --json \(did you mean --format json\?\)$/);
        refused(["--prod"], "unknown option --prod (did you mean --stack prod?)");
    });

    it("takes numbers in decimal only", () => {
        assert.equal(positiveNumber("runs", "7", true), 7);
        assert.equal(positiveNumber("interval", "0.5"), 0.5);
        for (const text of ["0x10", "1e3", "Infinity", "", " 7", "-1", "0"])
            assert.throws(
                () => positiveNumber("runs", text),
                (err: Error) => err instanceof UsageError,
                JSON.stringify(text),
            );
    });
});

describe("stacks", () => {
    it("lib/stacks.ts lists exactly the project's stack files, pr included", () => {
        const files = fs.readdirSync(projectDir).flatMap((f) => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1] ?? []);
        assert.deepEqual([...STACKS].sort(), files.sort());
        assert.ok(STACK_VALUE.includes("|pr>"));
    });
});

describe("every tool's command line (package.json scripts running tools/)", function () {
    it("finds the tools in package.json", () => {
        assert.ok(tools.length >= 9, tools.map((t) => t.name).join(", "));
        for (const { file } of tools) assert.ok(fs.existsSync(path.join(projectDir, file)), file);
    });

    const active = tools;
    /** Each tool's answers: --help first (the bad arguments are made from its options), then the four mistakes. */
    const answers = new Map<
        string,
        { help: Run; options: ToolOptions; target: string; typo: string; valued?: string; mistakes: Record<string, Run | undefined> }
    >();
    before(async function () {
        probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-tools-cli-"));
        fs.writeFileSync(path.join(probeDir, "sdk-probe.js"), PROBE);
        const helps = await pooled(active.map((tool) => () => run(tool, ["--help"])));
        const plans = active.map((tool, i) => {
            const { name } = tool;
            const options = helpOptions(helps[i].stdout);
            // The near miss of the tool's longest option: its last letter dropped.
            const target = options.map((o) => o.name).sort((a, b) => b.length - a.length)[0] ?? "help";
            const typo = target.slice(0, -1);
            const valued = options.find((o) => o.takesValue)?.name;
            const mistakes: Record<string, string[] | undefined> = {
                unknown: ["--no-such-option"],
                nearMiss: [`--${typo}`],
                stray: ["stray"],
                // A tool without a value-taking option cannot miss a value.
                missing: valued ? [`--${valued}`] : undefined,
            };
            return { name, tool, help: helps[i], options, target, typo, valued, mistakes };
        });
        const jobs = plans.flatMap((plan) =>
            Object.entries(plan.mistakes).map(
                ([kind, args]) =>
                    async () =>
                        [plan.name, kind, args ? await run(plan.tool, args) : undefined] as const,
            ),
        );
        const runs = await pooled(jobs);
        for (const plan of plans) {
            const mistakes = Object.fromEntries(runs.filter(([name]) => name === plan.name).map(([, kind, result]) => [kind, result]));
            answers.set(plan.name, { ...plan, mistakes });
        }
    });
    after(() => fs.rmSync(probeDir, { recursive: true, force: true }));

    for (const { name } of tools) {
        describe(name, () => {
            const answer = () => {
                const found = answers.get(name);
                assert.ok(found, name);
                return found;
            };

            it("--help prints usage, options, examples and exit codes on stdout and exits 0", () => {
                const { help, options } = answer();
                assert.equal(help.status, 0, help.stderr);
                assert.equal(help.stderr, "");
                assert.match(help.stdout, new RegExp(`^${name}: \\S`));
                for (const section of ["options:", "examples:", "exit codes:"]) assert.match(help.stdout, new RegExp(`^${section}$`, "m"));
                assert.match(help.stdout, new RegExp(`^usage: npm run -s ${name}\\b`, "m"));
                assert.match(help.stdout, new RegExp(`^ {2}npm run -s ${name}\\b`, "m"), "an example");
                assert.match(help.stdout, /^ {2}2 +usage or input error/m);
                assert.ok(options.some((o) => o.name === "help"));
            });

            it("names the stacks wherever it takes --stack, all of them where it takes dev (lib/stacks.ts)", () => {
                const { help } = answer();
                // A tool for every stack lists them all; one for AWS stacks alone (reachability) lists only stacks.
                for (const [, value] of help.stdout.matchAll(/--stack <([^>]*)>/g)) {
                    const named = value.split("|");
                    assert.ok(
                        named.every((s) => (STACKS as readonly string[]).includes(s)),
                        `${name} --help names ${value}`,
                    );
                    if (named.includes("dev")) assert.equal(`<${value}>`, STACK_VALUE, `${name} --help`);
                }
            });

            it("docs/tools.md shows its usage line and its exit codes in the one table", () => {
                const { help } = answer();
                const usage = help.stdout.split("\n").find((line) => line.startsWith("usage: "));
                assert.ok(usage && toolsPage.includes(`\n${usage}\n`), `docs/tools.md lacks: ${usage}`);
                for (const code of helpExitCodes(help.stdout)) {
                    const documented = documentedExitCodes.get(code) ?? [];
                    assert.ok(
                        documented.includes("all") || documented.includes(name),
                        `exit code ${code} of ${name} is not in docs/tools.md's table (${documented.join(", ")})`,
                    );
                }
            });

            it("its examples write --out under paths git and Prettier ignore, so they cannot fail npm test", async () => {
                const examples =
                    answer()
                        .help.stdout.split(/^examples:$/m)[1]
                        ?.split(/^\S/m)[0] ?? "";
                for (const [, out] of examples.matchAll(/--out (\S+)/g)) {
                    if (path.isAbsolute(out)) continue; // outside the repository
                    const file = out.endsWith("/") ? `${out}file` : out;
                    assert.ok(await generatedPathIgnored(file), `${name}'s example writes ${out}, which npm test's checks would read`);
                }
            });

            it("an unknown flag, a near-miss flag, a missing value and a stray argument each exit 2 with one line", () => {
                const { target, typo, valued, mistakes } = answer();
                const got = (kind: string): Run => {
                    const result = mistakes[kind];
                    assert.ok(result, `no run for ${kind}`);
                    return result;
                };
                assert.equal(nearest(typo, [target]), target);
                assertUsageError(got("unknown"), name, /unknown option --no-such-option(;| \()/);
                assertUsageError(got("nearMiss"), name, new RegExp(`unknown option --${typo} \\(did you mean --${target}\\?\\)`));
                assertUsageError(got("stray"), name, /unexpected argument "stray"/);
                if (valued) assertUsageError(got("missing"), name, new RegExp(`option --${valued} needs a value`));
            });

            it("answers --help and those mistakes without loading the Pulumi SDK (it loads heavy modules in its main)", () => {
                const { help, mistakes } = answer();
                for (const [kind, result] of [["help", help], ...Object.entries(mistakes)] as const) {
                    if (result) assert.deepEqual(result.sdks, [], `${name} (${kind}) loaded ${result.sdks.join(", ")}`);
                }
            });
        });
    }
});
