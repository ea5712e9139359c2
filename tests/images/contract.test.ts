// The image contract (docs/image-contract.md) proved without Docker: each stand-in's program runs
// directly against a real PostgreSQL 15 and redis-server on loopback, with its credentials as files
// (the dev form) or variables (the aws form), as the containers would run it.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { applicationServices, runtimeEnvironment, serviceDefinitions } from "../../components/service/catalog";
import { buildContext } from "../../components/service/image";
import { initializeAsContainer, sharedCluster, TEST_PASSWORDS, writeServiceFile } from "../helpers/database";
import { projectDir } from "../helpers/plan";
import { eventually } from "../helpers/eventually";
import { freePort, requiredBinary, startServer, substitute, tempDir, type Server } from "../rendered/helpers";

const DATABASE = "osint_platform";
const python = requiredBinary("python3");
const standIn = (service: (typeof applicationServices)[number]) => buildContext(service, "", projectDir);
const pythonService = path.join(standIn("backend"), "service.py");

interface Health {
    status: string;
    timestamp: string;
    database: string;
    redis: string;
}

const lines = (server: Server) => server.output().trim().split("\n").filter(Boolean);

async function get(port: number, urlPath: string): Promise<{ status: number; body: string; type: string }> {
    const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
    return { status: response.status, body: await response.text(), type: response.headers.get("content-type") ?? "" };
}

/** A secret file as the container sees it: readable by its owner alone. */
function secretFile(dir: string, name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content, { mode: 0o400 });
    return file;
}

/** The settings the stack gives every application container (staging's and prod's: LOG_LEVEL info). */
const settings = (service: string) => runtimeEnvironment("production", service);

/** The program as its container runs it: the environment the stack sets, nothing inherited but PATH. */
async function start(program: string, env: Record<string, string>, args: readonly string[] = []): Promise<{ server: Server; port: number }> {
    const port = await freePort();
    const variables = Object.entries({ PATH: process.env.PATH ?? "", PORT: String(port), ...env }).map(([k, v]) => `${k}=${v}`);
    const server = await startServer("/usr/bin/env", ["-i", ...variables, program, ...args], port);
    return { server, port };
}

describe("stand-in images: the image contract on real PostgreSQL 15 and Redis", function () {
    const cluster = sharedCluster("osint-standin-", { hba: ["host all all 127.0.0.1/32 scram-sha-256"] }, (c) => {
        c.start();
        initializeAsContainer(c);
    });
    const redisPassword = randomBytes(16).toString("hex");
    let secrets = "";
    let redis: Server | undefined;
    let redisPort = 0;
    const running: Server[] = [];

    async function startRedis(): Promise<void> {
        redis = await startServer(
            requiredBinary("redis-server"),
            ["--bind", "127.0.0.1", "--port", String(redisPort), "--requirepass", redisPassword, "--save", "", "--appendonly", "no", "--dir", secrets],
            redisPort,
        );
    }

    /** The data services' environment (backend, ai-processor) as the dev stack sets it, for `user`. */
    function dataEnv(user: "osint_app" | "osint_migrator", password = TEST_PASSWORDS[user]): Record<string, string> {
        return {
            DB_HOST: "127.0.0.1",
            DB_PORT: String(cluster().port),
            DB_NAME: DATABASE,
            DB_USER: user,
            DB_PASSWORD_FILE: secretFile(tempDir("secret"), "db_password", password),
            REDIS_HOST: "127.0.0.1",
            REDIS_PORT: String(redisPort),
            REDIS_PASSWORD_FILE: secretFile(tempDir("secret"), "redis_password", redisPassword),
            ...settings("backend"),
        };
    }

    async function service(env: Record<string, string>): Promise<number> {
        const { server, port } = await start(python, env, [pythonService]);
        running.push(server);
        return port;
    }

    async function health(port: number): Promise<{ status: number; body: Health }> {
        const response = await get(port, "/healthz");
        assert.match(response.type, /^application\/json/);
        return { status: response.status, body: JSON.parse(response.body) as Health };
    }

    before(async () => {
        secrets = tempDir("standin");
        redisPort = await freePort();
        await startRedis();
    });
    after(async () => {
        await Promise.all([...running, ...(redis ? [redis] : [])].map((s) => s.stop()));
    });

    it("backend: /healthz answers the design's {status, timestamp, database, redis} from real checks, 200 when both are up", async () => {
        const port = await service(dataEnv("osint_app"));
        const { status, body } = await health(port);
        assert.equal(status, 200);
        assert.deepEqual(Object.keys(body), ["status", "timestamp", "database", "redis"]);
        assert.deepEqual([body.status, body.database, body.redis], ["healthy", "healthy", "healthy"]);
        assert.ok(Math.abs(Date.parse(body.timestamp) - Date.now()) < 60_000, body.timestamp);
    });

    it("reports a database it cannot log in to: 503, database unhealthy with PostgreSQL's reason, redis still healthy", async () => {
        const port = await service(dataEnv("osint_app", "wrong-password"));
        const { status, body } = await health(port);
        assert.equal(status, 503);
        assert.equal(body.status, "unhealthy");
        assert.match(body.database, /^unhealthy: 28P01 password authentication failed for user "osint_app"$/);
        assert.equal(body.redis, "healthy");
    });

    it("reads injected credentials (the aws form, DB_PASSWORD and REDIS_PASSWORD) where no *_FILE is set", async () => {
        const env = dataEnv("osint_app");
        delete env.DB_PASSWORD_FILE;
        delete env.REDIS_PASSWORD_FILE;
        const port = await service({ ...env, DB_PASSWORD: TEST_PASSWORDS.osint_app, REDIS_PASSWORD: redisPassword });
        assert.equal((await health(port)).body.status, "healthy");
    });

    it("playwright: a service without data access is healthy with both dependencies 'not configured'", async () => {
        const port = await service(settings("playwright"));
        const { status, body } = await health(port);
        assert.equal(status, 200);
        assert.deepEqual([body.status, body.database, body.redis], ["healthy", "not configured", "not configured"]);
    });

    it("/metrics is valid Prometheus text (promtool) with the request series the alerts read", async () => {
        const port = await service(dataEnv("osint_app"));
        await health(port);
        await get(port, "/no-such-page");
        const metrics = await get(port, "/metrics");
        assert.equal(metrics.status, 200);
        assert.match(metrics.type, /^text\/plain; version=0\.0\.4/);
        const check = spawnSync(requiredBinary("promtool"), ["check", "metrics"], { input: metrics.body, encoding: "utf8" });
        assert.equal(check.status, 0, check.stdout + check.stderr);
        assert.match(metrics.body, /^http_requests_total\{handler="\/healthz",method="GET",status="200"\} 1$/m);
        assert.match(metrics.body, /^http_requests_total\{handler="none",method="GET",status="404"\} 1$/m);
        assert.match(metrics.body, /^http_request_duration_seconds_bucket\{handler="\/healthz",method="GET",le="1.0"\} 1$/m);
        assert.match(metrics.body, /^http_request_duration_seconds_count\{handler="\/healthz",method="GET"\} 1$/m);
    });

    it("logs one JSON object per line: timestamp, level, service, message", async () => {
        const port = await service(dataEnv("osint_app"));
        await health(port);
        const server = running[running.length - 1];
        // The request's line is written after its response.
        await eventually(
            () => server.output().trim().split("\n").length >= 2,
            () => `a startup line and the request's line, found: ${server.output()}`,
        );
        const lines = server.output().trim().split("\n");
        for (const line of lines) {
            const record = JSON.parse(line) as Record<string, unknown>;
            assert.deepEqual(Object.keys(record).slice(0, 4), ["timestamp", "level", "service", "message"], line);
            assert.equal(record.service, "backend");
        }
        assert.ok(lines.some((l) => /"message": "request", "method": "GET", "path": "\/healthz", "status": 200/.test(l)));
    });

    it("honours ENVIRONMENT (every line, GET /), LOG_LEVEL (its threshold), DEBUG (a failure's traceback) and LOG_FORMAT", async () => {
        const records = (server: Server) => lines(server).map((l) => JSON.parse(l) as Record<string, string>);
        // development: debug and DEBUG=true, against a database that refuses the password.
        const verbose = await service({ ...dataEnv("osint_app", "wrong-password"), ...runtimeEnvironment("development", "backend") });
        const verboseServer = running[running.length - 1];
        assert.equal((await health(verbose)).status, 503);
        assert.equal((JSON.parse((await get(verbose, "/")).body) as { environment: string }).environment, "development");
        await eventually(
            () => verboseServer.output().includes('"database check failed"'),
            () => verboseServer.output(),
        );
        const debug = records(verboseServer);
        assert.ok(debug.every((r) => r.environment === "development"));
        assert.ok(debug.some((r) => r.level === "debug" && r.message === "redis check passed"));
        assert.match(debug.find((r) => r.message === "database check failed")?.traceback ?? "", /^Traceback [\s\S]*PostgresError: 28P01/);
        // LOG_LEVEL warning, DEBUG false: the failure alone, without its traceback; no info or debug line.
        const quiet = await service({ ...dataEnv("osint_app", "wrong-password"), LOG_LEVEL: "warning" });
        const quietServer = running[running.length - 1];
        assert.equal((await health(quiet)).status, 503);
        await eventually(
            () => quietServer.output().includes('"database check failed"'),
            () => quietServer.output(),
        );
        const warnings = records(quietServer);
        assert.deepEqual(
            warnings.map((r) => [r.level, r.message, r.environment, "traceback" in r]),
            [["warning", "database check failed", "production", false]],
        );
        // LOG_FORMAT text: one line each, for a reader rather than a collector.
        await service({ ...settings("playwright"), LOG_FORMAT: "text" });
        const textServer = running[running.length - 1];
        await eventually(
            () => textServer.output().includes("listening"),
            () => textServer.output(),
        );
        assert.match(textServer.output(), /^\S+ INFO playwright listening port=\d+ reload=false environment="production"\n$/);
    });

    it("refuses to start without its settings: one JSON line per missing or invalid one, exit 2", () => {
        const result = spawnSync("/usr/bin/env", ["-i", `PATH=${process.env.PATH ?? ""}`, "DEBUG=yes", "LOG_LEVEL=info", python, pythonService], {
            encoding: "utf8",
        });
        assert.equal(result.status, 2, result.stdout + result.stderr);
        const problems = result.stdout
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as Record<string, string>);
        assert.deepEqual(
            problems.map((p) => [p.level, p.message, p.variable, p.found]),
            [
                ["error", "invalid setting", "SERVICE_NAME", "nothing"],
                ["error", "invalid setting", "ENVIRONMENT", "nothing"],
                ["error", "invalid setting", "DEBUG", "yes"],
                ["error", "invalid setting", "LOG_FORMAT", "nothing"],
            ],
        );
    });

    it("the migration command (alembic upgrade head) creates the seed contract's tables as osint_migrator, and changes nothing at head", () => {
        const env = { ...dataEnv("osint_migrator"), PATH: process.env.PATH ?? "" };
        for (const run of [1, 2]) {
            const result = spawnSync(python, [pythonService, "migrate"], { env, encoding: "utf8" });
            assert.equal(result.status, 0, `run ${run}: ${result.stdout}${result.stderr}`);
            assert.match(result.stdout, /"message": "at head", "revisions": 1/);
        }
        const tables = cluster().psql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'osint'", DATABASE);
        assert.equal(tables, "entities,investigations,source_types");
        assert.equal(cluster().psql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'osint'", DATABASE), "osint_migrator");
    });

    it("a failing revision exits non-zero with its name (osint_app may not create tables)", () => {
        cluster().psql("DROP TABLE osint.entities", DATABASE);
        const result = spawnSync(python, [pythonService, "migrate"], { env: { ...dataEnv("osint_app"), PATH: process.env.PATH ?? "" }, encoding: "utf8" });
        assert.equal(result.status, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /"message": "migration failed", "revision": "0001_seed_contract.sql", "error": "42501 permission denied for schema osint"/);
    });

    // Last: it stops the shared Redis.
    it("reports Redis when it stops: 503, redis unhealthy, the database still healthy", async () => {
        const port = await service(dataEnv("osint_app"));
        assert.equal((await health(port)).status, 200);
        await redis?.stop();
        const { status, body } = await health(port);
        assert.equal(status, 503);
        assert.deepEqual([body.status, body.database], ["unhealthy", "healthy"]);
        assert.match(body.redis, /^unhealthy: .*(refused|Connection)/i);
    });
});

describe("stand-in images: hot reload watches the sources, never the dependency directory", () => {
    const running: Server[] = [];
    after(async () => Promise.all(running.map((s) => s.stop())));
    /** Dependency files in the copy, as the dependency volume holds the image's (a fresh venv holds hundreds). */
    const DEPENDENCY_FILES = 300;
    const records = (server: Server) => lines(server).map((l) => JSON.parse(l) as { message: string; service: string; changed?: string[]; files?: string[] });
    const bump = (file: string) => {
        const later = new Date(Date.now() + 60_000);
        fs.appendFileSync(file, "\n");
        fs.utimesSync(file, later, later);
    };
    /** A copy of a stand-in's context whose dependency directory holds DEPENDENCY_FILES files; returns one of them. */
    function copyWithDependencies(service: (typeof applicationServices)[number], dependencies: string, extension: string): { app: string; dependency: string } {
        const app = tempDir(`reload-${service}`);
        fs.cpSync(standIn(service), app, { recursive: true });
        const dir = path.join(app, dependencies, "dep");
        fs.mkdirSync(dir, { recursive: true });
        for (let i = 0; i < DEPENDENCY_FILES; i++) fs.writeFileSync(path.join(dir, `m${i}${extension}`), "");
        return { app, dependency: path.join(dir, `m0${extension}`) };
    }

    it("python: re-executes itself when its own source changes, never for the virtualenv's files", async () => {
        const { app, dependency } = copyWithDependencies("backend", path.join(".venv", "lib", "site-packages"), ".py");
        fs.writeFileSync(path.join(app, ".venv", "pyvenv.cfg"), "include-system-site-packages = false\n");
        const { server, port } = await start(python, runtimeEnvironment("development", "backend"), [path.join(app, "service.py"), "--reload"]);
        running.push(server);
        await eventually(
            () => server.output().includes('"watching for changes"'),
            () => server.output(),
        );
        assert.deepEqual(records(server).find((r) => r.message === "watching for changes")?.files, ["migrations/0001_seed_contract.sql", "service.py"]);
        // A dependency changes first, then a source: the one reload names the source alone.
        bump(dependency);
        bump(path.join(app, "service.py"));
        await eventually(
            () => server.output().includes('"source changed, reloading"'),
            () => server.output(),
        );
        assert.deepEqual(records(server).find((r) => r.message === "source changed, reloading")?.changed, ["service.py"]);
        await eventually(
            () => records(server).filter((r) => r.message === "listening").length === 2,
            () => server.output(),
        );
        assert.equal((await get(port, "/")).status, 200);
    });

    it("frontend: dev.mjs runs the server again when a source changes, never for node_modules, every line one JSON object", async () => {
        const { app, dependency } = copyWithDependencies("frontend", "node_modules", ".js");
        const { server, port } = await start(process.execPath, { ...runtimeEnvironment("development", "frontend"), SERVICE_NAME: "web" }, [
            path.join(app, "dev.mjs"),
        ]);
        running.push(server);
        await eventually(
            () => records(server).some((r) => r.message === "listening"),
            () => server.output(),
        );
        bump(dependency);
        bump(path.join(app, "server.mjs"));
        await eventually(
            () => server.output().includes('"source changed, restarting"'),
            () => server.output(),
        );
        assert.deepEqual(records(server).find((r) => r.message === "source changed, restarting")?.changed, ["server.mjs"]);
        await eventually(
            () => records(server).filter((r) => r.message === "listening").length === 2,
            () => server.output(),
        );
        assert.equal((await get(port, "/")).status, 200);
        await eventually(
            () => records(server).some((r) => r.message === "request"),
            () => server.output(),
        );
        // Every line, the supervisor's and the server's: JSON, naming the service the stack set.
        for (const record of records(server)) assert.equal(record.service, "web");
    });
});

describe("stand-in images: the frontend", function () {
    const frontend = standIn("frontend");
    const running: Server[] = [];
    after(async () => Promise.all(running.map((s) => s.stop())));

    it("development: the dev server answers the health check's GET / on PORT, with JSON logs", async () => {
        const { server, port } = await start(process.execPath, settings("frontend"), [path.join(frontend, "server.mjs")]);
        running.push(server);
        assert.equal(serviceDefinitions.frontend.healthPath, "/");
        const page = await get(port, "/");
        assert.equal(page.status, 200);
        assert.match(page.body, /OSINT research platform/);
        assert.equal((await get(port, "/../package.json")).status, 404);
        for (const line of server.output().trim().split("\n")) assert.equal((JSON.parse(line) as { service: string }).service, "frontend");
    });

    it("development: honours ENVIRONMENT, LOG_LEVEL, DEBUG and LOG_FORMAT, and refuses to start without them", async () => {
        const verbose = await start(process.execPath, runtimeEnvironment("development", "frontend"), [path.join(frontend, "server.mjs")]);
        running.push(verbose.server);
        assert.equal((await get(verbose.port, "/missing.js")).status, 404);
        await eventually(
            () => verbose.server.output().includes('"status":404'),
            () => verbose.server.output(),
        );
        const records = lines(verbose.server).map((l) => JSON.parse(l) as Record<string, string>);
        assert.ok(records.every((r) => r.environment === "development"));
        assert.ok(records.some((r) => r.level === "debug" && r.message === "settings"));
        assert.match(records.find((r) => r.status === (404 as never))?.traceback ?? "", /^Error: ENOENT/);
        // LOG_LEVEL warning, DEBUG false: the 404 alone, without its stack; LOG_FORMAT text.
        const quiet = await start(process.execPath, { ...settings("frontend"), LOG_LEVEL: "warning", LOG_FORMAT: "text" }, [path.join(frontend, "server.mjs")]);
        running.push(quiet.server);
        assert.equal((await get(quiet.port, "/")).status, 200);
        assert.equal((await get(quiet.port, "/missing.js")).status, 404);
        await eventually(
            () => quiet.server.output().includes("status=404"),
            () => quiet.server.output(),
        );
        assert.match(
            quiet.server.output(),
            /^\S+ WARNING frontend request method="GET" path="\/missing\.js" status=404 error="ENOENT[^\n]*" environment="production"\n$/,
        );
        const refused = spawnSync("/usr/bin/env", ["-i", `PATH=${process.env.PATH ?? ""}`, process.execPath, path.join(frontend, "dev.mjs")], {
            encoding: "utf8",
        });
        assert.equal(refused.status, 2, refused.stdout + refused.stderr);
        assert.deepEqual(
            refused.stdout
                .trim()
                .split("\n")
                .map((l) => (JSON.parse(l) as { variable: string }).variable),
            ["SERVICE_NAME", "ENVIRONMENT", "DEBUG", "LOG_LEVEL", "LOG_FORMAT"],
        );
    });

    it("production: the static build served by nginx from the image's nginx.conf, writing only under /tmp", async () => {
        const dist = tempDir("frontend-dist");
        fs.chmodSync(dist, 0o755); // nginx's workers read it as an unprivileged user
        const build = spawnSync(process.execPath, ["build.mjs", dist], { cwd: frontend, encoding: "utf8" });
        assert.equal(build.status, 0, build.stderr);
        assert.doesNotMatch(fs.readFileSync(path.join(dist, "index.html"), "utf8"), /__BUILD__/);
        const conf = fs.readFileSync(path.join(frontend, "nginx.conf"), "utf8");
        const writes = [...conf.matchAll(/^\s*(pid|\w+_temp_path)\s+(\S+);/gm)].map((m) => m[2]);
        assert.equal(writes.length, 6);
        for (const w of writes) assert.ok(w.startsWith("/tmp/"), w);
        const port = await freePort();
        const dir = tempDir("frontend-nginx");
        const local = substitute(conf, [
            { from: "/tmp/", to: `${dir}/`, count: writes.length },
            { from: "listen 3000;", to: `listen 127.0.0.1:${port};`, count: 1 },
            { from: "root /usr/share/nginx/html;", to: `root ${dist};`, count: 1 },
        ]);
        fs.writeFileSync(path.join(dir, "nginx.conf"), local);
        const server = await startServer(requiredBinary("nginx"), ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], port);
        running.push(server);
        const page = await get(port, "/");
        assert.equal(page.status, 200);
        assert.match(page.body, /OSINT research platform/);
    });
});

describe("stand-in images: the aws form, TLS to Redis and PostgreSQL with the server's certificate verified", function () {
    let pki = "";
    // Before the cluster's setup, which installs the server certificate: a CA and a certificate for
    // 127.0.0.1, as ElastiCache and RDS present theirs for their names.
    before(() => {
        pki = tempDir("standin-pki");
        const openssl = (...args: string[]) => {
            const result = spawnSync(requiredBinary("openssl"), args, { cwd: pki, encoding: "utf8" });
            assert.equal(result.status, 0, result.stderr);
        };
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=osint-test-ca");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        fs.writeFileSync(path.join(pki, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl(
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "san.ext",
        );
    });

    const cluster = sharedCluster("osint-standin-tls-", { hba: ["hostssl all all 127.0.0.1/32 scram-sha-256"] }, (c) => {
        for (const file of ["server.pem", "server.key"]) writeServiceFile(path.join(c.workDir, file), fs.readFileSync(path.join(pki, file), "utf8"));
        c.configure({
            conf: ["ssl = on", `ssl_cert_file = '${path.join(c.workDir, "server.pem")}'`, `ssl_key_file = '${path.join(c.workDir, "server.key")}'`],
        });
        c.start();
        initializeAsContainer(c);
    });
    const redisPassword = randomBytes(16).toString("hex");
    const running: Server[] = [];
    let redisPort = 0;
    before(async () => {
        redisPort = await freePort();
        const tls = ["--tls-cert-file", "server.pem", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.pem", "--tls-auth-clients", "no"].map((a) =>
            a.endsWith(".pem") || a.endsWith(".key") ? path.join(pki, a) : a,
        );
        running.push(
            await startServer(
                requiredBinary("redis-server"),
                ["--bind", "127.0.0.1", "--port", "0", "--tls-port", String(redisPort), ...tls, "--requirepass", redisPassword, "--save", "", "--dir", pki],
                redisPort,
            ),
        );
    });
    after(async () => Promise.all(running.map((s) => s.stop())));

    const awsEnv = (trustedCa: string | undefined) => ({
        ...settings("backend"),
        DB_HOST: "127.0.0.1",
        DB_PORT: String(cluster().port),
        DB_NAME: DATABASE,
        DB_USER: "osint_app",
        DB_PASSWORD: TEST_PASSWORDS.osint_app,
        DB_SSLMODE: "require",
        REDIS_HOST: "127.0.0.1",
        REDIS_PORT: String(redisPort),
        REDIS_PASSWORD: redisPassword,
        REDIS_TLS: "true",
        ...(trustedCa ? { SSL_CERT_FILE: trustedCa } : {}),
    });

    it("healthy over TLS to both when the servers' CA is trusted", async () => {
        const { server, port } = await start(python, awsEnv(path.join(pki, "ca.pem")), [pythonService]);
        running.push(server);
        const response = await get(port, "/healthz");
        assert.equal(response.status, 200, response.body);
        const body = JSON.parse(response.body) as Health;
        assert.deepEqual([body.status, body.database, body.redis], ["healthy", "healthy", "healthy"]);
    });

    it("unhealthy, naming the certificate, when it cannot verify them", async () => {
        const { server, port } = await start(python, awsEnv(path.join(pki, "server.csr")), [pythonService]);
        running.push(server);
        const response = await get(port, "/healthz");
        assert.equal(response.status, 503);
        const body = JSON.parse(response.body) as Health;
        for (const state of [body.database, body.redis]) assert.match(state, /^unhealthy: .*CERTIFICATE_VERIFY_FAILED/);
    });
});

describe("stand-in images: /healthz answers within its checks' timeout when a dependency's name does not resolve", () => {
    it("a name lookup that hangs (a stopped container's name) makes the database unhealthy after CHECK_TIMEOUT_SECONDS, not after the lookup", () => {
        // The stand-in's own health(), with getaddrinfo replaced by one that blocks for 20 s.
        const probe = [
            "import json, socket, sys, time",
            `sys.path.insert(0, ${JSON.stringify(path.dirname(pythonService))})`,
            "import service",
            "socket.getaddrinfo = lambda *args, **kwargs: time.sleep(20)",
            "started = time.monotonic()",
            "healthy, body = service.health()",
            "print(json.dumps({'seconds': time.monotonic() - started, 'healthy': healthy, 'database': body['database'], 'limit': service.CHECK_TIMEOUT_SECONDS}), flush=True)",
            "service.os._exit(0)",
        ].join("\n");
        // No bytecode written next to the source (the import would leave __pycache__ in the image folder).
        const env = {
            PATH: process.env.PATH ?? "",
            PYTHONDONTWRITEBYTECODE: "1",
            ...settings("backend"),
            DB_HOST: "database",
            DB_USER: "osint_app",
            DB_PASSWORD: "x",
        };
        const result = spawnSync(python, ["-c", probe], { env, encoding: "utf8", timeout: 60_000 });
        assert.equal(result.status, 0, result.stderr);
        const answer = JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as { seconds: number; healthy: boolean; database: string; limit: number };
        assert.equal(answer.healthy, false);
        assert.match(answer.database, /^unhealthy: database: no address within/);
        assert.ok(answer.seconds < answer.limit + 3, `answered after ${answer.seconds} s, the lookup's 20 s were not awaited`);
    });
});
