// `npm run plan` as a user runs it: a separate Node process, its stdout, stderr and exit code.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { recordProgram } from "../lib/plan-engine";
import { readStackConfig } from "../lib/stack-config";
import { projectDir } from "./helpers/plan";
import { TS_HOOK } from "./helpers/hook";

function plan(...args: string[]) {
    return spawnSync(process.execPath, ["--require", TS_HOOK, "tools/plan.ts", ...args], { cwd: projectDir, encoding: "utf8" });
}

// Removed by the describe's after hook (a root-level one would run after the leftovers check).
const temporary: string[] = [];
const tempDir = () => temporary[temporary.push(fs.mkdtempSync(path.join(os.tmpdir(), "osint-plan-"))) - 1];

function writeStackFile(contents: string, name = "Pulumi.broken.yaml"): string {
    const dir = tempDir();
    const file = path.join(dir, name);
    fs.writeFileSync(file, contents);
    return file;
}

describe("npm run plan", () => {
    after(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("--json prints only the plan object on stdout and exits 0", () => {
        const result = plan("--stack", "dev", "--json");
        assert.equal(result.status, 0, result.stderr);
        const parsed = JSON.parse(result.stdout);
        assert.deepEqual(Object.keys(parsed).sort(), ["invokes", "outputs", "project", "resources", "stack", "unvalidatedSecrets"]);
        assert.deepEqual(parsed.unvalidatedSecrets, []);
        const container = parsed.resources.find((r: { type: string }) => r.type === "docker:index/container:Container");
        assert.ok(container.parent.startsWith("urn:pulumi:dev::osint-platform::"));
    });

    it("writes all of a plan larger than a pipe's buffer before exiting", () => {
        // Through a shell pipe, as `npm run plan -- --json | jq` would read it.
        const result = spawnSync("/bin/sh", ["-c", `"${process.execPath}" --require "${TS_HOOK}" tools/plan.ts --stack prod --json | cat`], {
            cwd: projectDir,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        assert.equal(result.status, 0, result.stderr);
        assert.ok(result.stdout.length > 65536, `${result.stdout.length} bytes`);
        assert.ok(JSON.parse(result.stdout).resources.length > 100);
    });

    it("stops quietly when its reader closes the pipe early", () => {
        const result = spawnSync(
            "/bin/bash",
            ["-c", `set -o pipefail; "${process.execPath}" --require "${TS_HOOK}" tools/plan.ts --stack prod --json | head -c 100 >/dev/null`],
            { cwd: projectDir, encoding: "utf8" },
        );
        assert.equal(result.stderr, "");
        assert.equal(result.status, 0);
    });

    it("prints a readable tree with each resource's key settings", () => {
        const result = plan("--stack", "dev");
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^osint-platform\/dev: \d+ resources$/m);
        assert.match(result.stdout, /^ {2}osint:data:Database database$/m);
        assert.match(result.stdout, /^ {4}docker:index\/container:Container database-container$/m);
        // environment-architecture.md line 221: development's "Database: 1GB RAM, 1 CPU".
        assert.match(result.stdout, /image="postgres:15-alpine" user="70:70" memory=1024 cpus="1"/);
    });

    it("exits 2 with one message naming file, line, column, stack, key, expected and found on a config error", () => {
        const file = writeStackFile("config:\n  osint-platform:target: docker\n  osint-platform:environment: development\n  osint-platform:httpPort: 70000\n");
        const result = plan("--stack", "broken", "--config-file", file);
        assert.equal(result.status, 2);
        assert.equal(result.stdout, "");
        assert.equal(
            result.stderr.trim(),
            `plan: ${file}:4:3: stack broken: config key osint-platform:httpPort: expected an integer from 1 to 65535, found "70000"`,
        );
    });

    it("reports every mistake of a stack file in one run, in file order, with 'did you mean', and no stack trace", () => {
        const file = writeStackFile(
            [
                "config:",
                "  osint-platform:target: docker",
                "  osint-platform:environment: development",
                "  osint-platform:backupRetentionDays: 0",
                "  osint-platfrom:httpPort: 8080",
                "  osint-platform:httpsPrt: 8443",
                "",
            ].join("\n"),
            "Pulumi.dev.yaml",
        );
        const result = plan("--stack", "dev", "--config-file", file);
        assert.equal(result.status, 2);
        assert.doesNotMatch(result.stderr, /^\s+at /m);
        assert.deepEqual(result.stderr.trim().split("\n"), [
            "plan: stack dev: 3 config problems",
            `  ${file}:4:3: config key osint-platform:backupRetentionDays: expected an integer from 7 to 35 (at least 7 days in development, the design's minimum), found "0"`,
            `  ${file}:5:3: config key osint-platfrom:httpPort: expected the project's namespace osint-platform, found namespace osint-platfrom (did you mean osint-platform:httpPort?)`,
            `  ${file}:6:3: config key osint-platform:httpsPrt: expected a key declared in Pulumi.yaml, found an unknown key (did you mean osint-platform:httpsPort?)`,
        ]);
        // docs/configuration.md shows this very output, as it reads for the stack file beside Pulumi.yaml.
        const page = fs.readFileSync(path.join(projectDir, "docs", "configuration.md"), "utf8");
        assert.ok(page.includes(result.stderr.trim().split(file).join("Pulumi.dev.yaml")), "docs/configuration.md shows the current output");
    });

    it("exits 2 on a YAML error in the stack file, naming the file, line and column", () => {
        const file = writeStackFile("config:\n  osint-platform:target: docker\n\tosint-platform:target: aws\n");
        const result = plan("--stack", "broken", "--config-file", file);
        assert.equal(result.status, 2);
        assert.equal(result.stderr.trim(), `plan: ${file}:3:1: YAML: Tabs are not allowed as indentation`);
    });

    it("lists a key written twice with the stack file's other problems, in one run", () => {
        const file = writeStackFile(
            "config:\n  osint-platform:target: docker\n  osint-platform:target: docker\n  osint-platform:environment: development\n  osint-platform:httpPort: abc\n",
        );
        const result = plan("--stack", "broken", "--config-file", file);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /^plan: stack broken: 2 config problems\n/);
        assert.match(
            result.stderr,
            new RegExp(
                `\n  ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:3: config key osint-platform:target: expected each key once in its mapping, found it written again here\n`,
            ),
        );
        assert.match(result.stderr, /:5:3: config key osint-platform:httpPort: expected an integer from 1 to 65535, found "abc"\n$/);
    });

    it("plans secure values it cannot decrypt and says which it could not validate, on stderr and in the JSON", () => {
        const prod = fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8");
        const secure = ["aws:region", "osint-platform:alarmEmail", "osint-platform:httpPort", "osint-platform:domainName"];
        const kept = prod.split("\n").filter((line) => !secure.some((k) => line.trim().startsWith(`${k}:`)));
        const file = writeStackFile([...kept, ...secure.map((k) => `  ${k}:\n    secure: v1:c2FsdA==:Y2lwaGVydGV4dA==`)].join("\n"));
        const result = plan("--stack", "prod", "--config-file", file, "--json");
        assert.equal(result.status, 0, result.stderr);
        const listed = JSON.parse(result.stdout).unvalidatedSecrets.map((s: { key: string }) => s.key);
        assert.deepEqual(listed.sort(), [...secure].sort());
        assert.match(result.stderr, /^note: secure values the offline plan cannot decrypt, so did not validate: /);
        for (const key of secure) assert.ok(result.stderr.includes(key), key);
    });

    it("says so when a default planned in place of a secure value breaks a rule", () => {
        const prod = fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8");
        const kept = prod.split("\n").filter((line) => !line.trim().startsWith("osint-platform:backupRetentionDays:"));
        const file = writeStackFile([...kept, "  osint-platform:backupRetentionDays:", "    secure: v1:c2FsdA==:Y2lwaGVydGV4dA=="].join("\n"));
        const result = plan("--stack", "prod", "--config-file", file);
        assert.equal(result.status, 2);
        assert.match(
            result.stderr,
            /config key osint-platform:backupRetentionDays: expected an integer from 30 to .*, found "7" \(Pulumi\.yaml's default, planned in place of the secure value\)$/m,
        );
    });

    it("exits 2 when the stack has no stack file, naming the stacks there and the nearest", () => {
        const result = plan("--stack", "nonexistent");
        assert.equal(result.status, 2);
        assert.match(result.stderr, /^plan: Pulumi\.nonexistent\.yaml not found: the stacks here are dev, pr, prod, staging\n$/);
        assert.match(plan("--stack", "dve").stderr, /^plan: Pulumi\.dve\.yaml not found: the stacks here are .*; did you mean dev\?\n$/);
    });

    it("exits 2, one line and no 'internal error', for a path the file system refuses (--out a folder, --config-file a folder)", () => {
        const dir = tempDir();
        for (const [args, message] of [
            [["--stack", "dev", "--out", dir], `plan: --out ${dir}: cannot be written: a folder, not a file\n`],
            [["--stack", "dev", "--config-file", dir], `plan: ${dir}: cannot be read: a folder, not a file\n`],
        ] as const) {
            const result = plan(...args);
            assert.deepEqual([result.status, result.stderr, result.stdout], [2, message, ""], args.join(" "));
        }
    });

    it("registers nothing when the config is bad", async () => {
        const file = writeStackFile("config:\n  osint-platform:target: docker\n  osint-platform:environment: production\n");
        const { project, config, secretKeys } = readStackConfig(projectDir, "broken", file);
        const registered: string[] = [];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require("../index") as () => Promise<unknown>;
        await assert.rejects(
            recordProgram(project, "broken", config, secretKeys, () => {
                pulumi.runtime.registerStackTransformation(({ type }) => {
                    registered.push(type);
                    return undefined;
                });
                return program();
            }),
            (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.key === "osint-platform:target"),
        );
        assert.deepEqual(registered, []);
    });
});
