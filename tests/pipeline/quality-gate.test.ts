// The quality gate that `npm test` (and so .ci/run) runs: its scripts, ESLint's rules, Prettier's style,
// and c8's 80% lines-and-branches threshold proved to fail a run below it.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ESLint } from "eslint";
import * as prettier from "prettier";
import { repositoryRoot } from "./modules";

const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const c8rc = JSON.parse(fs.readFileSync(path.join(repositoryRoot, ".c8rc.json"), "utf8")) as Record<string, unknown>;

describe("quality gate (npm test)", () => {
    describe("the Docker end-to-end test when no engine answers", () => {
        // A socket nothing listens on: the test's engine probe fails at once, as on a machine without Docker.
        const run = (env: Record<string, string | undefined>) => {
            const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-no-docker-"));
            try {
                return spawnSync(
                    process.execPath,
                    [path.join(repositoryRoot, "node_modules", "mocha", "bin", "mocha.js"), "--no-parallel", "tests/e2e/dev-stack.test.ts"],
                    {
                        cwd: repositoryRoot,
                        encoding: "utf8",
                        env: { ...process.env, CI: undefined, OSINT_SKIP_DOCKER_E2E: undefined, ...env, DOCKER_HOST: `unix://${socketDir}/docker.sock` },
                    },
                );
            } finally {
                fs.rmSync(socketDir, { recursive: true, force: true });
            }
        };

        it("outside CI: skipped, with one line saying why", () => {
            const result = run({});
            assert.equal(result.status, 0, result.stdout + result.stderr);
            assert.match(result.stderr, /^ {6}skipped: no Docker engine: DOCKER_HOST=unix:\/\/\S+ does not answer$/m);
            assert.match(result.stdout, /0 passing/);
            assert.match(result.stdout, /pending/);
        });

        it("with CI=true: fails naming the switch that excludes it; with the switch: skipped", () => {
            const failed = run({ CI: "true" });
            assert.equal(failed.status, 1, failed.stdout + failed.stderr);
            assert.match(failed.stdout, /does not answer; under CI=true this fails unless OSINT_SKIP_DOCKER_E2E=1 excludes it/);
            const excluded = run({ CI: "true", OSINT_SKIP_DOCKER_E2E: "1" });
            assert.equal(excluded.status, 0, excluded.stdout + excluded.stderr);
            assert.match(excluded.stderr, /skipped: OSINT_SKIP_DOCKER_E2E=1 excludes the Docker end-to-end test here/);
        });
    });

    describe("tools/test.sh, which `npm test` runs", () => {
        // A stand-in npm on PATH: each `npm run <script>` logs its start and end, prints a line of its
        // own, waits FAKE_E2E_SECONDS (the e2e) or FAKE_STEP_SECONDS (the others), logs SIGTERM, and
        // exits as FAKE_EXIT_<script> says. The coverage run waits for the e2e to have started, and
        // the e2e for the coverage run to have ended (each at most 20 s): run side by side, the two
        // overlap whatever the machine's speed; run one after the other, they cannot.
        const FAKE_NPM = `#!/usr/bin/env bash
script="\${@: -1}"
key=$(echo "$script" | tr -c 'a-z0-9\\n' _)
after() { for _ in $(seq 200); do grep -qx "$1" "$FAKE_LOG" && return; sleep 0.1; done; }
echo "start $script" >>"$FAKE_LOG"
trap 'kill $! 2>/dev/null; echo "$script stopped" >>"$FAKE_LOG"; exit 143' TERM
if [ "$script" = test:dev-stack ]; then
    echo "e2e report"
    after "end coverage"
    sleep "$FAKE_E2E_SECONDS" & wait
else
    [ "$script" = coverage ] && after "start test:dev-stack"
    echo "$script output"
    sleep "\${FAKE_STEP_SECONDS:-0}" & wait
fi
echo "end $script" >>"$FAKE_LOG"
eval "exit \\\${FAKE_EXIT_$key:-0}"
`;
        const runScript = (env: Record<string, string>, signal?: { name: NodeJS.Signals; once: readonly string[] }) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-fake-npm-"));
            fs.writeFileSync(path.join(dir, "npm"), FAKE_NPM, { mode: 0o755 });
            const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "osint-test-sh-"));
            const log = path.join(dir, "log");
            const child = spawn("bash", [path.join(repositoryRoot, "tools", "test.sh")], {
                env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, TMPDIR: tmp, FAKE_LOG: log, FAKE_E2E_SECONDS: "1", ...env },
            });
            let stdout = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            return new Promise<{ status: number | null; stdout: string; log: string[]; leftInTmp: string[] }>((resolve) => {
                if (signal) {
                    const poll = setInterval(() => {
                        if (fs.existsSync(log) && signal.once.every((line) => fs.readFileSync(log, "utf8").includes(line))) {
                            clearInterval(poll);
                            child.kill(signal.name);
                        }
                    }, 50);
                }
                child.on("close", (status) => {
                    const result = { status, stdout, log: fs.readFileSync(log, "utf8").trim().split("\n"), leftInTmp: fs.readdirSync(tmp) };
                    fs.rmSync(dir, { recursive: true, force: true });
                    fs.rmSync(tmp, { recursive: true, force: true });
                    resolve(result);
                });
            });
        };

        it("runs the e2e beside the static checks and the coverage run, and prints its report after theirs, whole", async () => {
            // The e2e started before the coverage run ended and ended after it; its report comes last.
            const result = await runScript({ FAKE_E2E_SECONDS: "0" });
            assert.equal(result.status, 0, result.stdout);
            assert.ok(result.log.indexOf("start test:dev-stack") < result.log.indexOf("end coverage"), result.log.join("; "));
            assert.equal(result.log.at(-1), "end test:dev-stack", result.log.join("; "));
            const lines = result.stdout.trim().split("\n");
            assert.ok(lines.indexOf("coverage output") < lines.indexOf("e2e report"), result.stdout);
            assert.ok(lines.indexOf("static output") < lines.indexOf("coverage output"), result.stdout);
            assert.deepEqual(result.leftInTmp, [], "the held report is removed");
        });

        it("runs every step even when an earlier one failed, and passes only when all three passed", async () => {
            for (const [failing, status] of [
                ["static", 1],
                ["coverage", 1],
                ["test_dev_stack", 5],
            ] as const) {
                const result = await runScript({ [`FAKE_EXIT_${failing}`]: String(status) });
                assert.equal(result.status, status, `${failing} failing: ${result.stdout}`);
                for (const script of ["static", "coverage", "test:dev-stack"])
                    assert.ok(result.log.includes(`end ${script}`), `${failing} failing: ${script} ran`);
            }
        });

        it("on SIGTERM stops the step in progress at once, passes it to the e2e, and exits 143 once the e2e has torn down", async () => {
            const result = await runScript(
                { FAKE_E2E_SECONDS: "60", FAKE_STEP_SECONDS: "60" },
                { name: "SIGTERM", once: ["start static", "start test:dev-stack"] },
            );
            assert.equal(result.status, 143, result.stdout);
            assert.deepEqual(result.log.sort(), ["start static", "start test:dev-stack", "static stopped", "test:dev-stack stopped"].sort());
            assert.deepEqual(result.leftInTmp, [], "the held report is removed");
        });
    });

    it("runs type-check, lint, format check and audit, the suite under coverage and the Docker end-to-end test (tools/test.sh)", () => {
        assert.equal(scripts.test, "bash tools/test.sh");
        assert.equal(scripts["test:dev-stack"], "mocha --no-parallel tests/e2e/dev-stack.test.ts");
        for (const check of ["typecheck", "lint", "format:check", "audit"]) assert.match(scripts.static, new RegExp(`npm run ${check}\\b`));
        assert.equal(scripts.typecheck, "tsc --noEmit -p .");
        assert.equal(scripts.lint, "eslint .");
        assert.equal(scripts["format:check"], "prettier --check .");
        assert.equal(scripts.coverage, "c8 mocha");
        assert.match(fs.readFileSync(path.join(repositoryRoot, ".ci", "run"), "utf8"), /^npm ci && npm test$/m);
    });

    it("measures the project's own sources, not tests or dependencies, and requires 80% of lines and of branches", () => {
        assert.equal(c8rc["check-coverage"], true);
        assert.equal(c8rc.lines, 80);
        assert.equal(c8rc.branches, 80);
        assert.equal(c8rc.all, true, "files no test loads count as uncovered");
        assert.deepEqual(c8rc.include, [
            "components/**/*.ts",
            "tools/**/*.ts",
            "lib/**/*.ts",
            "policies/**/*.ts",
            "deployments/**/*.ts",
            "config.ts",
            "index.ts",
        ]);
        assert.deepEqual(c8rc.exclude, ["tests/**", "node_modules/**"]);
    });

    it("writes a test file's coverage when the file ends, so a worker stopped before it exits loses none", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coverage-hook-"));
        try {
            // What mocha's worker pool does to a worker on a slow machine: stop it from outside before V8's
            // exit-time write (Node itself writes coverage first when a process signals itself).
            const hook = path.join(repositoryRoot, "tests", "helpers", "in-process-coverage.ts");
            const script = `require(${JSON.stringify(hook)}).mochaHooks.afterAll(); console.log("ended"); setInterval(() => {}, 1000);`;
            const child = spawn(process.execPath, ["--require", path.join(repositoryRoot, "tools", "register.js"), "-e", script], {
                env: { ...process.env, NODE_V8_COVERAGE: dir },
                stdio: ["ignore", "pipe", "inherit"],
            });
            const stopped = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
            child.stdout.once("data", () => child.kill("SIGKILL"));
            assert.equal(await stopped, "SIGKILL");
            const written = fs.readdirSync(dir).filter((f) => /^coverage-.*\.json$/.test(f));
            assert.ok(written.length > 0, "no coverage file was written");
            const reports = written.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { result: { url: string }[] });
            assert.ok(
                reports.some((r) => r.result.some((script) => script.url.endsWith("in-process-coverage.ts"))),
                "the hook's own module is in the report",
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("fails a run whose coverage is below 80% (c8 with this config on a half-covered module)", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "c8-gate-"));
        try {
            fs.copyFileSync(path.join(repositoryRoot, ".c8rc.json"), path.join(dir, ".c8rc.json"));
            fs.mkdirSync(path.join(dir, "tools"));
            // Ten statements, the else-branch (5 lines) never runs: about 60% of lines, 50% of branches.
            const lines = ["exports.pick = (flag) => {", "    if (flag) {", "        return 1;", "    } else {"];
            for (let i = 0; i < 5; i++) lines.push(`        console.log("never ${i}");`);
            lines.push("        return 2;", "    }", "};", "exports.pick(true);");
            fs.writeFileSync(path.join(dir, "tools", "half.ts"), lines.join("\n"));
            const c8 = path.join(repositoryRoot, "node_modules", "c8", "bin", "c8.js");
            const run = spawnSync(process.execPath, [c8, process.execPath, "tools/half.ts"], { cwd: dir, encoding: "utf8" });
            assert.equal(run.status, 1, run.stdout + run.stderr);
            assert.match(run.stderr, /Coverage for lines \([\d.]+%\) does not meet global threshold \(80%\)/);
            assert.match(run.stderr, /Coverage for branches \([\d.]+%\) does not meet global threshold \(80%\)/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("lints TypeScript with the recommended rules and Pulumi's Output-in-template-literal rules as errors", async () => {
        const config = (await new ESLint({ cwd: repositoryRoot }).calculateConfigForFile(path.join(repositoryRoot, "index.ts"))) as {
            rules: Record<string, unknown[]>;
        };
        const severity = (rule: string) => config.rules[rule]?.[0];
        assert.equal(severity("@pulumi/no-output-in-template-literal"), 2);
        assert.equal(severity("@pulumi/no-output-instance-in-template-literal"), 2);
        assert.equal(severity("@typescript-eslint/no-explicit-any"), 2, "typescript-eslint recommended");
        assert.equal(severity("no-debugger"), 2, "ESLint recommended");
    });

    it("formats like the existing code: 4 spaces, double quotes, semicolons, trailing commas, 160 columns; YAML at 2", async () => {
        const ts = await prettier.resolveConfig(path.join(repositoryRoot, "index.ts"));
        assert.deepEqual(
            { ...ts, overrides: undefined },
            { printWidth: 160, tabWidth: 4, semi: true, singleQuote: false, trailingComma: "all", overrides: undefined },
        );
        assert.equal((await prettier.resolveConfig(path.join(repositoryRoot, ".github", "workflows", "ci-cd.yml")))?.tabWidth, 2);
        const styled = 'const a = { b: "c", d: [1, 2] };\n';
        assert.equal(await prettier.format("const a = {b: 'c', d: [1,2]}", { ...ts, parser: "typescript" }), styled);
    });
});
