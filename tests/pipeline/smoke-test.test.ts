// The post-deploy smoke test against a real HTTP server on loopback that plays a deployment's answers.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UsageError } from "../../tools/cli";
import { optionsFromArgs, smokeTest, unhealthyReason } from "../../tools/smoke-test";
import { repositoryRoot } from "./modules";

/** `npm run smoke-test -- <args>` as the pipeline runs it: exit code and stdout. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ["--require", "sucrase/register/ts", "tools/smoke-test.ts", ...args], { cwd: repositoryRoot }, (err, stdout, stderr) =>
            resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
        );
    });
}

const HEALTHY = JSON.stringify({ status: "healthy", timestamp: "2026-11-25T16:00:00", database: true, redis: true });

/** Serves /healthz answers in order (the last one repeats) and counts the requests. */
async function serve(answers: Array<[number, string]>): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
    let count = 0;
    const server: Server = createServer((req, res) => {
        if (req.url !== "/healthz") {
            res.writeHead(404).end();
            return;
        }
        const [status, body] = answers[Math.min(count++, answers.length - 1)];
        res.writeHead(status, { "content-type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/`, requests: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const fast = { attempts: 3, intervalMs: 10, timeoutMs: 2000 };

describe("smoke test of a deployed environment's /healthz", () => {
    it("passes on the first healthy answer", async () => {
        const server = await serve([[200, HEALTHY]]);
        try {
            assert.deepEqual(await smokeTest({ url: server.url, ...fast }), { healthy: true, attempts: 1, reason: "" });
            assert.equal(server.requests(), 1);
        } finally {
            await server.close();
        }
    });

    it("retries while the new tasks come up (503, 502) and passes on attempt 3", async () => {
        const server = await serve([
            [503, ""],
            [502, "bad gateway"],
            [200, HEALTHY],
        ]);
        try {
            const lines: string[] = [];
            const result = await smokeTest({ url: server.url, ...fast, log: (line) => lines.push(line) });
            assert.deepEqual(result, { healthy: true, attempts: 3, reason: "" });
            assert.match(lines[0], /\/healthz attempt 1\/3: HTTP 503$/);
            assert.match(lines[2], /attempt 3\/3: healthy$/);
        } finally {
            await server.close();
        }
    });

    it("fails after exactly the given attempts when the database check stays down", async () => {
        const server = await serve([[200, JSON.stringify({ status: "healthy", database: false, redis: true })]]);
        try {
            const result = await smokeTest({ url: server.url, ...fast });
            assert.equal(result.healthy, false);
            assert.equal(result.attempts, 3);
            assert.equal(server.requests(), 3);
            assert.match(result.reason, /^database not healthy/);
        } finally {
            await server.close();
        }
    });

    it("fails when nothing listens (connection refused)", async () => {
        const server = await serve([[200, HEALTHY]]);
        await server.close();
        const result = await smokeTest({ url: server.url, ...fast, attempts: 2 });
        assert.equal(result.healthy, false);
        assert.match(result.reason, /fetch failed/);
    });

    it("judges each answer: status code, JSON, status word, database and redis", () => {
        assert.equal(unhealthyReason(200, HEALTHY), "");
        assert.equal(unhealthyReason(200, JSON.stringify({ status: "healthy", database: "ok", redis: "UP" })), "");
        assert.equal(unhealthyReason(500, HEALTHY), "HTTP 500");
        assert.match(unhealthyReason(200, "<html>maintenance</html>"), /^the body is not JSON/);
        assert.equal(unhealthyReason(200, JSON.stringify({ status: "degraded", database: true, redis: true })), 'status is "degraded", expected "healthy"');
        assert.match(unhealthyReason(200, JSON.stringify({ status: "healthy", database: true })), /^redis not healthy/);
        assert.match(unhealthyReason(200, "null"), /^status is undefined/);
    });

    it("as a command: exit 0 when healthy, 1 when not (the pipeline then rolls back), 2 on a usage error", async function () {
        this.timeout(30000);
        const healthy = await serve([[200, HEALTHY]]);
        const unhealthy = await serve([[503, ""]]);
        try {
            const ok = await cli(["--url", healthy.url, "--attempts", "2", "--interval-seconds", "0.01"]);
            assert.equal(ok.code, 0, ok.stderr);
            assert.match(ok.stdout, /healthy after 1 attempt\(s\)\n$/);
            const failed = await cli(["--url", unhealthy.url, "--attempts", "2", "--interval-seconds", "0.01"]);
            assert.equal(failed.code, 1);
            assert.match(failed.stdout, /NOT healthy after 2 attempt\(s\): HTTP 503\n$/);
        } finally {
            await Promise.all([healthy.close(), unhealthy.close()]);
        }
        const usage = await cli(["--url", "staging.osint.example.org"]);
        assert.equal(usage.code, 2);
        assert.match(usage.stderr, /^--url: expected an http\(s\) URL/);
    });

    it("reads its command line: defaults of 10 attempts, 6 s apart, 10 s timeout; bad values are usage errors", () => {
        const options = optionsFromArgs(["--url", "https://staging.osint.example.org"]);
        assert.deepEqual(
            { ...options, log: undefined },
            { url: "https://staging.osint.example.org", attempts: 10, intervalMs: 6000, timeoutMs: 10000, log: undefined },
        );
        assert.equal(optionsFromArgs(["--url", "http://127.0.0.1:8080", "--attempts", "2", "--interval-seconds", "0.5"]).intervalMs, 500);
        assert.throws(() => optionsFromArgs([]), UsageError);
        assert.throws(() => optionsFromArgs(["--url", "staging.osint.example.org"]), /--url: expected an http\(s\) URL/);
        assert.throws(() => optionsFromArgs(["--url", "https://x.example.org", "--attempts", "1.5"]), /--attempts: expected a positive integer/);
        assert.throws(() => optionsFromArgs(["--url", "https://x.example.org", "--timeout-seconds", "0"]), /--timeout-seconds: expected a positive number/);
    });
});
