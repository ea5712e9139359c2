// The post-deploy smoke test against a real HTTP server on loopback that plays a deployment's answers.
import * as assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { UsageError } from "../../tools/cli";
import { optionsFromArgs, smokeTest, unhealthyReason } from "../../tools/smoke-test";
import { repositoryRoot } from "./modules";
import { TS_HOOK } from "../helpers/hook";

/** `npm run smoke-test -- <args>` as the pipeline runs it: exit code and stdout. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["--require", TS_HOOK, "tools/smoke-test.ts", ...args],
            { cwd: repositoryRoot, env: { ...process.env, ...env } },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
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

    describe("says in words why a request failed (not `TypeError: fetch failed`)", () => {
        async function failure(url: string, timeoutMs = 2000): Promise<string> {
            const result = await smokeTest({ url, ...fast, attempts: 1, timeoutMs });
            assert.equal(result.healthy, false);
            return result.reason;
        }

        it("refused: a closed port", async () => {
            const server = await serve([[200, HEALTHY]]);
            await server.close();
            assert.match(await failure(server.url), /^connection refused: nothing listens on 127\.0\.0\.1:\d+$/);
        });

        it("a port fetch refuses before connecting (port 9, one of the Fetch standard's bad ports)", async () => {
            assert.equal(
                await failure("http://127.0.0.1:9"),
                `127.0.0.1:9: a port fetch never connects to (the Fetch standard's "bad ports"); give the service's HTTP port`,
            );
        });

        it("DNS: a name that cannot exist (.invalid, RFC 2606)", async () => {
            assert.match(
                await failure("http://osint-smoke-test.invalid/"),
                /^DNS: the name osint-smoke-test\.invalid was not found \((ENOTFOUND|EAI_AGAIN)\)$/,
            );
        });

        it("timeout: a server that accepts and never answers, within the given seconds", async () => {
            const silent = createServer(() => undefined);
            await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
            try {
                const started = Date.now();
                const reason = await failure(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 300);
                assert.match(reason, /^timed out: 127\.0\.0\.1:\d+ gave no answer within 0\.3 s$/);
                assert.ok(Date.now() - started < 2000, "the timeout, not a default, ended the attempt");
            } finally {
                silent.closeAllConnections();
                silent.close();
            }
        });

        it("TLS: https spoken to a plain HTTP server", async () => {
            const server = await serve([[200, HEALTHY]]);
            try {
                assert.match(
                    await failure(server.url.replace(/^http:/, "https:")),
                    /^TLS handshake with 127\.0\.0\.1:\d+ failed: the server does not speak TLS there/,
                );
            } finally {
                await server.close();
            }
        });
    });

    it("shows what an unhealthy service said: the body of a 503 and of a not-healthy document", async () => {
        const server = await serve([[503, "redis: down"]]);
        try {
            const result = await smokeTest({ url: server.url, ...fast, attempts: 1 });
            assert.equal(result.reason, "HTTP 503: redis: down");
        } finally {
            await server.close();
        }
        const down = JSON.stringify({ status: "unhealthy", database: true, redis: "down" });
        assert.equal(unhealthyReason(200, down), `status is "unhealthy", expected "healthy": ${down}`);
    });

    it("judges each answer: status code, JSON, status word, database and redis", () => {
        assert.equal(unhealthyReason(200, HEALTHY), "");
        assert.equal(unhealthyReason(200, JSON.stringify({ status: "healthy", database: "ok", redis: "UP" })), "");
        assert.equal(unhealthyReason(500, ""), "HTTP 500");
        assert.equal(unhealthyReason(502, "<h1>Bad\n gateway</h1>"), "HTTP 502: <h1>Bad gateway</h1>");
        assert.match(unhealthyReason(200, "<html>maintenance</html>"), /^the body is not JSON/);
        assert.match(
            unhealthyReason(200, JSON.stringify({ status: "degraded", database: true, redis: true })),
            /^status is "degraded", expected "healthy": \{/,
        );
        assert.match(unhealthyReason(200, JSON.stringify({ status: "healthy", database: true })), /^redis not healthy/);
        assert.match(unhealthyReason(200, "null"), /^status is undefined/);
    });

    it("as a command: exit 0 when healthy, 1 when not (the pipeline then rolls back), 2 on a usage error", async function () {
        const healthy = await serve([[200, HEALTHY]]);
        const unhealthy = await serve([[503, ""]]);
        try {
            const ok = await cli(["--url", healthy.url, "--attempts", "2", "--interval-seconds", "0.01"]);
            assert.equal(ok.code, 0, ok.stderr);
            // The verdict alone on stdout; each attempt on stderr.
            assert.equal(ok.stdout, "healthy after 1 attempt(s)\n");
            assert.match(ok.stderr, /\/healthz attempt 1\/2: healthy\n$/);
            const failed = await cli(["--url", unhealthy.url, "--attempts", "2", "--interval-seconds", "0.01"]);
            assert.equal(failed.code, 1);
            assert.equal(failed.stdout, "NOT healthy after 2 attempt(s): HTTP 503\n");
            assert.equal(failed.stderr.trim().split("\n").length, 2, failed.stderr);
        } finally {
            await Promise.all([healthy.close(), unhealthy.close()]);
        }
        const usage = await cli(["--url", "staging.osint.example.org"]);
        assert.equal(usage.code, 2);
        assert.match(usage.stderr, /^smoke-test: --url: expected an http\(s\) URL, found "staging\.osint\.example\.org"; usage: /);
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

    describe("the dev stack's self-signed certificate, served by a real HTTPS server on loopback", () => {
        let dir: string;
        let server: https.Server;
        let url: string;
        before(async function () {
            this.timeout(60_000);
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-smoke-tls-"));
            // A self-signed certificate for localhost, as tls:SelfSignedCert makes the dev stack's.
            const made = spawnSync(
                "openssl",
                [
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    "key.pem",
                    "-out",
                    "dev.crt",
                    "-days",
                    "1",
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=DNS:localhost",
                ],
                { cwd: dir, encoding: "utf8" },
            );
            assert.equal(made.status, 0, made.stderr);
            server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "dev.crt")) }, (req, res) =>
                res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "application/json" }).end(HEALTHY),
            );
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            url = `https://localhost:${(server.address() as AddressInfo).port}`;
        });
        after(async () => {
            await new Promise((resolve) => server.close(resolve));
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("refuses it unless told to trust it: --ca-file <pem>, or NODE_EXTRA_CA_CERTS", async () => {
            const untrusted = await cli(["--url", url, "--attempts", "1"]);
            assert.equal(untrusted.code, 1);
            assert.match(untrusted.stdout, /TLS handshake with localhost:\d+ failed: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
            const trusted = await cli(["--url", url, "--attempts", "1", "--ca-file", path.join(dir, "dev.crt")]);
            assert.deepEqual([trusted.code, trusted.stdout], [0, "healthy after 1 attempt(s)\n"], trusted.stderr);
            const viaEnvironment = await cli(["--url", url, "--attempts", "1"], { NODE_EXTRA_CA_CERTS: path.join(dir, "dev.crt") });
            assert.deepEqual([viaEnvironment.code, viaEnvironment.stdout], [0, "healthy after 1 attempt(s)\n"], viaEnvironment.stderr);
            // A certificate it was not told to trust is still refused with --ca-file.
            const other = spawnSync(
                "openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.crt", "-days", "1", "-subj", "/CN=localhost"],
                {
                    cwd: dir,
                },
            );
            assert.equal(other.status, 0);
            const wrong = await cli(["--url", url, "--attempts", "1", "--ca-file", path.join(dir, "other.crt")]);
            assert.equal(wrong.code, 1);
            assert.match(wrong.stdout, /TLS handshake with localhost:\d+ failed/);
        });

        it("a --ca-file that cannot be read or holds no certificate is an input error, exit 2", async () => {
            const missing = await cli(["--url", url, "--ca-file", path.join(dir, "nope.crt")]);
            assert.deepEqual(
                [missing.code, missing.stderr],
                [2, `smoke-test: --ca-file ${path.join(dir, "nope.crt")}: cannot be read: no such file or folder\n`],
            );
            const key = await cli(["--url", url, "--ca-file", path.join(dir, "key.pem")]);
            assert.equal(key.code, 2);
            assert.match(key.stderr, /expected PEM certificates \(-----BEGIN CERTIFICATE-----\), found none/);
        });
    });
});
