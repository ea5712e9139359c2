// `npm run plan` as a user runs it: a separate Node process, its stdout, stderr and exit code.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { recordProgram } from "../tools/plan-engine";
import { readStackConfig } from "../tools/stack-config";
import { projectDir } from "./helpers/plan";

function plan(...args: string[]) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ["--require", "sucrase/register/ts", "tools/plan.ts", ...args], { cwd: projectDir, encoding: "utf8" });
    return { ...result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

function writeStackFile(contents: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-plan-"));
    const file = path.join(dir, "Pulumi.broken.yaml");
    fs.writeFileSync(file, contents);
    return file;
}

describe("npm run plan", () => {
    it("--json prints only the plan object on stdout and exits 0", () => {
        const result = plan("--stack", "dev", "--json");
        assert.equal(result.status, 0, result.stderr);
        const parsed = JSON.parse(result.stdout);
        assert.deepEqual(Object.keys(parsed).sort(), ["invokes", "outputs", "project", "resources", "stack"]);
        const container = parsed.resources.find((r: { type: string }) => r.type === "docker:index/container:Container");
        assert.ok(container.parent.startsWith("urn:pulumi:dev::osint-platform::"));
    });

    it("writes all of a plan larger than a pipe's buffer before exiting", () => {
        // Through a shell pipe, as `npm run plan -- --json | jq` would read it.
        const result = spawnSync("/bin/sh", ["-c", `"${process.execPath}" --require sucrase/register/ts tools/plan.ts --stack prod --json | cat`], {
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
            ["-c", `set -o pipefail; "${process.execPath}" --require sucrase/register/ts tools/plan.ts --stack prod --json | head -c 100 >/dev/null`],
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
        assert.match(result.stdout, /image="postgres:15-alpine" user="70:70" memory=1024 cpus="1"/);
    });

    it("exits 2 with one message naming stack, key, expected and found on a config error", () => {
        const file = writeStackFile("config:\n  osint-platform:target: docker\n  osint-platform:environment: development\n  osint-platform:httpPort: 70000\n");
        const result = plan("--stack", "broken", "--config-file", file);
        assert.equal(result.status, 2);
        assert.equal(result.stdout, "");
        assert.equal(result.stderr.trim(), 'plan: stack broken: config key osint-platform:httpPort: expected an integer from 1 to 65535, found "70000"');
    });

    it("exits 2 when the stack has no stack file", () => {
        const result = plan("--stack", "nonexistent");
        assert.equal(result.status, 2);
        assert.match(result.stderr, /Pulumi\.nonexistent\.yaml not found/);
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
            (err: unknown) => err instanceof ConfigError && err.key === "osint-platform:target",
        );
        assert.deepEqual(registered, []);
    });

    it("plans a cold dev stack within about three times what Node needs to load the SDKs alone", () => {
        const sdkStarted = process.hrtime.bigint();
        const sdk = spawnSync(process.execPath, ["-e", "for (const m of ['@pulumi/pulumi','@pulumi/docker','@pulumi/random','@pulumi/tls']) require(m)"], {
            cwd: projectDir,
        });
        const sdkSeconds = Number(process.hrtime.bigint() - sdkStarted) / 1e9;
        assert.equal(sdk.status, 0);
        const result = plan("--stack", "dev", "--json");
        assert.equal(result.status, 0);
        assert.ok(result.seconds < 3 * sdkSeconds + 0.5, `plan took ${result.seconds.toFixed(2)} s, SDKs alone ${sdkSeconds.toFixed(2)} s`);
    });
});
