// The dev stack as the offline plan sees it: the design's eight services with its dev numbers,
// and the hardening every container must carry.
import { strict as assert } from "node:assert";
import type { Plan, PlanResource } from "../tools/plan-engine";
import { MOCK_SECRET_MARKER } from "../tools/mocks";
import { CONTAINER, container, input, ofType, stackPlan } from "./helpers/plan";
import { healthcheckCommand, serviceDefinitions } from "../components/service/catalog";

type Upload = { file: string; content: string; permissions?: string; owner?: string };
type Volume = { volumeName?: string; hostPath?: string; containerPath: string; readOnly: boolean };
type NetworkLink = { name: string; aliases?: string[] };

const envOf = (c: PlanResource) => Object.fromEntries((input<string[]>(c, "envs") ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const uploadsOf = (c: PlanResource) => input<Upload[]>(c, "uploads") ?? [];
const uploadAt = (c: PlanResource, file: string) => {
    const found = uploadsOf(c).find((u) => u.file === file);
    assert.ok(found, `${c.name} uploads ${file}`);
    return found;
};
const commandOf = (c: PlanResource) => input<string[]>(c, "command") ?? [];

describe("dev stack (docker)", () => {
    let plan: Plan;
    let containers: PlanResource[];
    before(async () => {
        plan = await stackPlan("dev");
        containers = ofType(plan, CONTAINER);
    });

    it("runs the design's eight services plus the exporters, Grafana, the backup job and the migration job's three steps", () => {
        const services = containers.map((c) => c.inputs.hostname).sort();
        assert.deepEqual(services, [
            "ai-processor",
            "backend",
            "backup-metrics",
            "backups",
            "database",
            "frontend",
            "grafana",
            "migrate",
            "migrate-backup",
            "nginx",
            "playwright",
            "postgres-exporter",
            "prometheus",
            "redis",
            "redis-exporter",
            "seed",
        ]);
    });

    it("gives each service the design's memory and CPU limits (MB, cores)", () => {
        const expected: Record<string, [number, string]> = {
            backend: [512, "0.5"],
            frontend: [256, "0.25"],
            database: [1024, "1"],
            redis: [128, "0.25"],
            playwright: [1024, "1"],
            "ai-processor": [1024, "1"],
            nginx: [64, "0.25"],
            prometheus: [512, "0.5"],
            grafana: [256, "0.25"],
            "postgres-exporter": [64, "0.1"],
            "redis-exporter": [64, "0.1"],
            backups: [256, "0.25"],
            "backup-metrics": [64, "0.1"],
        };
        for (const [service, [memory, cpus]] of Object.entries(expected)) {
            const c = container(plan, service);
            assert.equal(c.inputs.memory, memory, `${service} memory`);
            assert.equal(c.inputs.cpus, cpus, `${service} cpus`);
        }
    });

    it("hardens every container: non-root, health check, restart, no capabilities, no-new-privileges, rotated JSON logs", () => {
        const oneShot = ["migrate-backup", "migrate", "seed"];
        for (const c of containers) {
            const user = input<string>(c, "user");
            assert.match(user, /^[1-9]\d*:\d+$/, `${c.name} runs as a numeric non-root user`);
            assert.equal(input(c, "healthcheck.interval"), "30s");
            assert.equal(input(c, "healthcheck.timeout"), "10s");
            assert.equal(input(c, "healthcheck.retries"), 3);
            if (oneShot.includes(String(c.inputs.hostname))) {
                // One-shot jobs: waited for until they exit, never restarted, nothing to probe.
                assert.deepEqual([c.inputs.restart, c.inputs.attach, input(c, "healthcheck.tests")], ["no", true, ["NONE"]], c.name);
            } else {
                assert.ok((input<string[]>(c, "healthcheck.tests") ?? []).length > 1, `${c.name} health check`);
                assert.equal(c.inputs.restart, "unless-stopped", `${c.name} restart`);
            }
            assert.deepEqual(c.inputs.capabilities, { drops: ["ALL"], adds: [] }, `${c.name} capabilities`);
            assert.deepEqual(c.inputs.securityOpts, ["no-new-privileges:true"]);
            assert.equal(c.inputs.logDriver, "json-file");
            assert.deepEqual(c.inputs.logOpts, { "max-size": "10m", "max-file": "5" });
        }
    });

    it("pins every image to a version, never latest", () => {
        const references = [
            ...ofType(plan, "docker:index/remoteImage:RemoteImage").map((r) => input<string>(r, "name")),
            ...ofType(plan, "docker:index/image:Image").map((r) => input<string>(r, "imageName")),
        ];
        // Every container has its own image resource, except that the migration job's three steps
        // share two (postgres and the backend's image).
        assert.equal(references.length, containers.length - 1, "image resources");
        for (const reference of references) assert.match(reference, /:(?!latest$)[\w.-]+$/, reference);
        for (const c of containers) assert.ok(references.includes(input<string>(c, "image")), `${c.name} runs a pinned image`);
    });

    it("publishes host ports only on nginx: HTTP 8080 and HTTPS 8443 in dev", () => {
        for (const c of containers) {
            const ports = input<{ internal: number; external: number }[]>(c, "ports") ?? [];
            if (c.inputs.hostname === "nginx")
                assert.deepEqual(
                    ports.map((p) => p.external),
                    [8080, 8443],
                );
            else assert.deepEqual(ports, [], `${c.name} publishes nothing`);
        }
    });

    it("keeps services on an internal network; only nginx joins the edge, only the scraper the egress", () => {
        const networks = ofType(plan, "docker:index/network:Network");
        const byName = Object.fromEntries(networks.map((n) => [input<string>(n, "name"), n.inputs.internal]));
        assert.deepEqual(byName, { "osint-platform-dev-internal": true, "osint-platform-dev-edge": false, "osint-platform-dev-egress": false });
        for (const c of containers) {
            const names = input<NetworkLink[]>(c, "networksAdvanced").map((n) => n.name);
            const service = c.inputs.hostname as string;
            const expected = [
                "osint-platform-dev-internal",
                ...(service === "nginx" ? ["osint-platform-dev-edge"] : []),
                ...(service === "playwright" ? ["osint-platform-dev-egress"] : []),
            ];
            assert.deepEqual(names, expected, service);
            assert.deepEqual(input<NetworkLink[]>(c, "networksAdvanced")[0].aliases, [service], `${service} is reachable by its name`);
        }
    });

    it("runs the backend as the design says: port 8000, GET /healthz, ENVIRONMENT=development, DEBUG=true, DB_HOST=database", () => {
        const backend = container(plan, "backend");
        const env = envOf(backend);
        assert.equal(env.PORT, "8000");
        assert.equal(env.ENVIRONMENT, "development");
        assert.equal(env.DEBUG, "true");
        assert.equal(env.DB_HOST, "database");
        assert.deepEqual(input<string[]>(backend, "healthcheck.tests"), healthcheckCommand(serviceDefinitions.backend));
        assert.ok(input<string[]>(backend, "healthcheck.tests").at(-1)!.includes("http://127.0.0.1:8000/healthz"));
        assert.equal(env.DB_PASSWORD_FILE, "/run/secrets/db_password");
        assert.equal(env.REDIS_PASSWORD_FILE, "/run/secrets/redis_password");
    });

    it("builds application images from the sibling checkout's development stage and mounts sources for hot reload", () => {
        for (const service of ["backend", "frontend", "playwright", "ai-processor"]) {
            const image = ofType(plan, "docker:index/image:Image").find((i) => i.name === `${service}-image`);
            assert.ok(image, service);
            assert.equal(input(image, "build.target"), "development");
            assert.match(input<string>(image, "build.context"), new RegExp(`osint-platform-app/${service}$`));
            assert.equal(image.inputs.skipPush, true);
            const mount = (input<Volume[]>(container(plan, service), "volumes") ?? []).find((v) => v.containerPath === "/app");
            assert.equal(mount?.hostPath, input(image, "build.context"));
        }
    });

    it("runs PostgreSQL 15 with the design's dev settings, database, volume and init scripts", () => {
        const database = container(plan, "database");
        assert.equal(database.inputs.image, "postgres:15-alpine");
        const env = envOf(database);
        assert.equal(env.POSTGRES_DB, "osint_platform");
        assert.equal(env.POSTGRES_PASSWORD_FILE, "/run/secrets/postgres_password");
        const command = commandOf(database);
        assert.equal(command[0], "postgres");
        for (const setting of ["shared_buffers=256MB", "work_mem=4MB", "maintenance_work_mem=64MB", "max_connections=100"]) {
            assert.ok(command.includes(setting), setting);
        }
        const volumes = input<Volume[]>(database, "volumes");
        assert.ok(volumes.some((v) => v.volumeName === "postgres_data" && v.containerPath === "/var/lib/postgresql/data"));
        const init = volumes.find((v) => v.containerPath === "/docker-entrypoint-initdb.d");
        assert.match(init?.hostPath ?? "", /\/database\/init$/);
        assert.equal(init?.readOnly, true);
        assert.ok(ofType(plan, "docker:index/volume:Volume").some((v) => v.inputs.name === "postgres_data"));
    });

    it("runs Redis with a password, maxmemory under its 128 MB limit, volatile-lru eviction and AOF persistence", () => {
        const redis = container(plan, "redis");
        const conf = uploadAt(redis, "/usr/local/etc/redis/redis.conf").content;
        assert.match(conf, /^maxmemory 96mb$/m);
        assert.ok(96 < (redis.inputs.memory as number));
        assert.match(conf, /^maxmemory-policy volatile-lru$/m);
        assert.match(conf, /^appendonly yes$/m);
        assert.match(conf, /^include \/run\/secrets\/redis_auth\.conf$/m);
        assert.equal(uploadAt(redis, "/run/secrets/redis_auth.conf").content, "[secret]");
        assert.ok(input<Volume[]>(redis, "volumes").some((v) => v.volumeName === "redis_data" && v.containerPath === "/data"));
    });

    it("terminates TLS on nginx with a dev certificate, redirects HTTP and rate-limits at 10 r/s, burst 20", () => {
        const nginx = container(plan, "nginx");
        const conf = uploadAt(nginx, "/etc/nginx/nginx.conf").content;
        assert.match(conf, /return 301 https:\/\/\$host:8443\$request_uri;/);
        assert.match(conf, /listen 8443 ssl;/);
        assert.match(conf, /ssl_protocols TLSv1\.2 TLSv1\.3;/);
        assert.match(conf, /rate=10r\/s;/);
        assert.match(conf, /limit_req zone=per_client burst=20 nodelay;/);
        assert.match(conf, /set \$frontend_upstream http:\/\/frontend:3000;/);
        assert.match(conf, /set \$backend_upstream http:\/\/backend:8000;/);
        assert.equal(uploadAt(nginx, "/run/secrets/tls.key").content, "[secret]");
        const certificate = ofType(plan, "tls:index/selfSignedCert:SelfSignedCert")[0];
        assert.deepEqual(certificate.inputs.dnsNames, ["localhost"]);
        assert.equal(certificate.inputs.validityPeriodHours, 8760);
    });

    it("monitors with Prometheus (30-day retention) scraping the services and both exporters, and Grafana", () => {
        const prometheus = container(plan, "prometheus");
        assert.ok(commandOf(prometheus).includes("--storage.tsdb.retention.time=30d"));
        const config = uploadAt(prometheus, "/etc/prometheus/prometheus.yml").content;
        for (const target of [
            "backend:8000",
            "playwright:3001",
            "ai-processor:8001",
            "postgres-exporter:9187",
            "redis-exporter:9121",
            "grafana:3000",
            "backup-metrics:9100",
        ]) {
            assert.ok(config.includes(target), target);
        }
        assert.equal(envOf(container(plan, "grafana")).GF_SECURITY_ADMIN_PASSWORD__FILE, "/run/secrets/grafana_admin_password");
        assert.equal(envOf(container(plan, "postgres-exporter")).DATA_SOURCE_PASS_FILE, "/run/secrets/postgres_password");
    });

    it("backs up daily to a local volume and keeps 7 days", () => {
        const backups = container(plan, "backups");
        const env = envOf(backups);
        assert.equal(env.BACKUP_RETENTION_DAYS, "7");
        assert.equal(env.BACKUP_INTERVAL_SECONDS, "86400");
        assert.equal(env.PGPASSFILE, "/run/secrets/pgpass");
        assert.ok(input<Volume[]>(backups, "volumes").some((v) => v.volumeName === "postgres_backups" && v.containerPath === "/backups"));
    });

    it("publishes the last good backup's time through a textfile exporter that sees only the metric's volume", () => {
        assert.equal(envOf(container(plan, "backups")).BACKUP_METRICS_DIR, "/metrics");
        assert.ok(input<Volume[]>(container(plan, "backups"), "volumes").some((v) => v.volumeName === "backup_metrics" && !v.readOnly));
        const exporter = container(plan, "backup-metrics");
        assert.deepEqual(input<Volume[]>(exporter, "volumes"), [{ volumeName: "backup_metrics", containerPath: "/metrics", readOnly: true }]);
        assert.ok(commandOf(exporter).includes("--collector.textfile.directory=/metrics"));
        assert.ok(commandOf(exporter).includes("--collector.disable-defaults"));
    });

    it("hands passwords to containers only as secret files, never in the environment", () => {
        for (const c of containers) {
            for (const [key, value] of Object.entries(envOf(c))) {
                assert.ok(!/PASSWORD$|SECRET$|TOKEN$|_KEY$/.test(key), `${c.name}: ${key} must be a *_FILE reference`);
                assert.notEqual(value, "[secret]", `${c.name}: ${key}`);
            }
            for (const upload of uploadsOf(c).filter((u) => u.file.startsWith("/run/secrets/"))) {
                assert.equal(upload.content, "[secret]", `${c.name}: ${upload.file} is a secret`);
                assert.equal(upload.permissions, "0400");
                assert.equal(upload.owner, input<string>(c, "user").split(":")[0], `${c.name}: ${upload.file} belongs to the container's user`);
            }
        }
        const secretFiles = containers.flatMap((c) =>
            uploadsOf(c)
                .filter((u) => u.file.startsWith("/run/secrets/"))
                .map((u) => `${c.inputs.hostname}:${u.file}`),
        );
        assert.ok(secretFiles.length >= 12, `secret files: ${secretFiles.join(", ")}`);
    });

    it("never shows a secret in plaintext anywhere in the plan or its outputs", () => {
        assert.ok(!JSON.stringify(plan).includes(MOCK_SECRET_MARKER));
        assert.equal(plan.outputs.grafanaAdminPassword, "[secret]");
        assert.equal(plan.outputs.url, "https://localhost:8443");
    });

    it("parents every resource under its component, and the components under the stack", () => {
        const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
        const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
        assert.ok(stack);
        for (const r of plan.resources) {
            if (r === stack) continue;
            const parent = byUrn.get(r.parent ?? "");
            assert.ok(parent, `${r.urn} has a parent`);
            if (r.type.startsWith("osint:")) assert.equal(parent, stack);
            else assert.match(parent.type, /^osint:/, `${r.name} belongs to a component`);
        }
    });
});
