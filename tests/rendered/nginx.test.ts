// The dev stack's rendered nginx.conf, loaded by real nginx on loopback in front of stub upstreams.
//
// Path substitution (exact counts, see `substitute`): the file is the dev bytes except for what only
// exists inside the container — listen ports become free loopback ports, pid and temp paths move to
// a temporary directory, the certificate and key paths point at a test certificate, and the upstream
// names (resolved by Docker's DNS in the container) become the stub servers' loopback addresses.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import * as tls from "node:tls";
import { CERTIFICATE_PATH, CONFIG_PATH } from "../../components/proxy/docker";
import { check, freePort, renderedText, requiredBinary, startServer, substitute, tempDir, type Server } from "./helpers";

// The dev stack's numbers (Pulumi.yaml defaults and Pulumi.dev.yaml).
const RATE_PER_SECOND = 10;
const BURST = 20;
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const PUBLIC_HTTPS_PORT = 8443;

interface Stub {
    readonly server: http.Server;
    readonly port: number;
    readonly seen: { path: string; bodyBytes: number }[];
}

async function stubUpstream(name: string): Promise<Stub> {
    const seen: Stub["seen"] = [];
    const server = http.createServer((req, res) => {
        let bodyBytes = 0;
        req.on("data", (chunk: Buffer) => (bodyBytes += chunk.length));
        req.on("end", () => {
            seen.push({ path: req.url ?? "", bodyBytes });
            res.end(`${name}:${req.url}`);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, port: (server.address() as { port: number }).port, seen };
}

interface Reply {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
}

function request(url: string, options: https.RequestOptions = {}, body?: Buffer): Promise<Reply> {
    const client = url.startsWith("https:") ? https : http;
    return new Promise((resolve, reject) => {
        const req = client.request(url, { rejectUnauthorized: false, servername: "localhost", headers: { host: "localhost" }, ...options }, (res) => {
            let text = "";
            res.on("data", (d) => (text += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        });
        // nginx answers 413 before reading an oversized body and may close while we still write.
        req.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err)));
        req.end(body);
    });
}

function handshake(port: number, version: tls.SecureVersion): Promise<string> {
    return new Promise((resolve, reject) => {
        // SECLEVEL=0 lets this client offer TLS 1.0/1.1, so a refusal can only come from the server.
        const socket = tls.connect(
            {
                host: "127.0.0.1",
                port,
                servername: "localhost",
                rejectUnauthorized: false,
                minVersion: version,
                maxVersion: version,
                ciphers: "DEFAULT@SECLEVEL=0",
            },
            () => {
                const protocol = socket.getProtocol() ?? "";
                socket.end();
                resolve(protocol);
            },
        );
        socket.on("error", reject);
    });
}

describe("rendered nginx.conf (dev) in real nginx", function () {
    const nginx = requiredBinary("nginx");
    let dir: string;
    let backend: Stub;
    let frontend: Stub;
    let httpPort: number;
    let httpsPort: number;
    let config: string;
    const servers: Server[] = [];

    async function startNginx(conf: string): Promise<Server> {
        const file = path.join(dir, `nginx-${servers.length}.conf`);
        fs.writeFileSync(file, conf);
        const server = await startServer(nginx, ["-e", "stderr", "-c", file, "-p", dir, "-g", "daemon off;"], httpsPort);
        servers.push(server);
        return server;
    }

    async function stopAll(): Promise<void> {
        await Promise.all(servers.splice(0).map((s) => s.stop()));
    }

    before(async () => {
        dir = tempDir("nginx");
        // nginx running as root hands requests to unprivileged workers, which need this directory.
        fs.chmodSync(dir, 0o755);
        // openssl comes with postgresql-15 (via ssl-cert) and ca-certificates on Debian.
        execFileSync(
            requiredBinary("openssl"),
            [
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                "/CN=localhost",
                "-days",
                "1",
                "-keyout",
                path.join(dir, "key.pem"),
                "-out",
                path.join(dir, "cert.pem"),
            ],
            { stdio: "ignore" },
        );
        [backend, frontend, httpPort, httpsPort] = await Promise.all([stubUpstream("backend"), stubUpstream("frontend"), freePort(), freePort()]);
        const rendered = await renderedText("nginx", CONFIG_PATH);
        assert.match(rendered, new RegExp(`rate=${RATE_PER_SECOND}r/s;`));
        assert.match(rendered, new RegExp(`burst=${BURST} nodelay;`));
        assert.match(rendered, new RegExp(`client_max_body_size ${MAX_BODY_BYTES / 1024 / 1024}m;`));
        config = substitute(rendered, [
            { from: "listen 8080;", to: `listen 127.0.0.1:${httpPort};`, count: 1 },
            { from: "listen 8443 ssl;", to: `listen 127.0.0.1:${httpsPort} ssl;`, count: 1 },
            // pid and the five temp paths
            { from: " /tmp/", to: ` ${dir}/`, count: 6 },
            { from: CERTIFICATE_PATH, to: path.join(dir, "cert.pem"), count: 1 },
            { from: "/run/secrets/tls.key", to: path.join(dir, "key.pem"), count: 1 },
            { from: "http://backend:8000", to: `http://127.0.0.1:${backend.port}`, count: 2 },
            { from: "http://frontend:3000", to: `http://127.0.0.1:${frontend.port}`, count: 1 },
            { from: "http://grafana:3000", to: `http://127.0.0.1:${frontend.port}`, count: 1 },
        ]);
    });

    after(async () => {
        await stopAll();
        backend?.server.close();
        frontend?.server.close();
    });

    it("passes nginx -t", () => {
        const file = path.join(dir, "check.conf");
        fs.writeFileSync(file, config);
        assert.match(check(nginx, ["-t", "-e", "stderr", "-c", file, "-p", dir]), /test is successful/);
    });

    describe("serving", () => {
        before(async () => {
            await startNginx(config);
        });
        after(stopAll);

        it("redirects HTTP to HTTPS on the public port, keeping the path", async () => {
            const reply = await request(`http://127.0.0.1:${httpPort}/search?q=x`);
            assert.equal(reply.status, 301);
            assert.equal(reply.headers.location, `https://localhost:${PUBLIC_HTTPS_PORT}/search?q=x`);
        });

        it("accepts TLS 1.2 and 1.3 and refuses TLS 1.0 and 1.1", async () => {
            assert.equal(await handshake(httpsPort, "TLSv1.2"), "TLSv1.2");
            assert.equal(await handshake(httpsPort, "TLSv1.3"), "TLSv1.3");
            await assert.rejects(handshake(httpsPort, "TLSv1"));
            await assert.rejects(handshake(httpsPort, "TLSv1.1"));
        });

        it("sends the security headers", async () => {
            const reply = await request(`https://127.0.0.1:${httpsPort}/`);
            assert.equal(reply.status, 200);
            assert.equal(reply.body, "frontend:/");
            assert.equal(reply.headers["strict-transport-security"], "max-age=31536000; includeSubDomains");
            assert.equal(reply.headers["x-content-type-options"], "nosniff");
            assert.equal(reply.headers["x-frame-options"], "DENY");
            assert.equal(reply.headers["referrer-policy"], "strict-origin-when-cross-origin");
            assert.equal(reply.headers["content-security-policy"], "frame-ancestors 'none'");
            assert.equal(reply.headers.server, "nginx");
        });

        it("routes /healthz and /api/ to the backend", async () => {
            assert.equal((await request(`https://127.0.0.1:${httpsPort}/healthz`)).body, "backend:/healthz");
            assert.equal((await request(`https://127.0.0.1:${httpsPort}/api/items`)).body, "backend:/api/items");
            assert.deepEqual(
                backend.seen.slice(-2).map((s) => s.path),
                ["/healthz", "/api/items"],
            );
        });

        it(`accepts a ${MAX_BODY_BYTES}-byte body and refuses one byte more with 413`, async () => {
            const localAddress = "127.0.0.3"; // a client of its own, outside the other tests' rate budget
            const accepted = await request(`https://127.0.0.1:${httpsPort}/api/upload`, { method: "POST", localAddress }, Buffer.alloc(MAX_BODY_BYTES));
            assert.equal(accepted.status, 200);
            assert.equal(backend.seen.at(-1)?.bodyBytes, MAX_BODY_BYTES);
            const refused = await request(`https://127.0.0.1:${httpsPort}/api/too-big`, { method: "POST", localAddress }, Buffer.alloc(MAX_BODY_BYTES + 1));
            assert.equal(refused.status, 413);
            assert.ok(!backend.seen.some((s) => s.path === "/api/too-big"));
        });

        it(`answers 429 beyond ${RATE_PER_SECOND} r/s with a burst of ${BURST}, and the backend never sees the excess`, async () => {
            const localAddress = "127.0.0.2"; // a fresh client address: its own rate-limit bucket
            const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
            const attempts = 60;
            const started = Date.now();
            const statuses: number[] = [];
            for (let i = 0; i < attempts; i++) {
                statuses.push((await request(`https://127.0.0.1:${httpsPort}/api/limited`, { agent, localAddress })).status);
            }
            const elapsedSeconds = (Date.now() - started) / 1000;
            agent.destroy();
            const accepted = statuses.filter((s) => s === 200).length;
            const limited = statuses.filter((s) => s === 429).length;
            assert.equal(accepted + limited, attempts);
            // The bucket admits the burst plus one at once, then RATE_PER_SECOND for every second elapsed.
            assert.ok(accepted >= BURST + 1, `accepted ${accepted}`);
            assert.ok(accepted <= BURST + 1 + Math.ceil(RATE_PER_SECOND * elapsedSeconds), `accepted ${accepted} in ${elapsedSeconds} s`);
            assert.equal(backend.seen.filter((s) => s.path === "/api/limited").length, accepted);
        });
    });

    it("refuses TLS 1.0 because of the rendered ssl_protocols (control: the same file allowing it accepts TLS 1.0)", async () => {
        const permissive = substitute(config, [
            { from: "ssl_protocols TLSv1.2 TLSv1.3;", to: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; ssl_ciphers DEFAULT@SECLEVEL=0;", count: 1 },
        ]);
        await startNginx(permissive);
        try {
            assert.equal(await handshake(httpsPort, "TLSv1"), "TLSv1");
        } finally {
            await stopAll();
        }
    });
});
