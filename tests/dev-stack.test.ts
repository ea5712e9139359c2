// The dev stack as the offline plan sees it: the design's eight services with its dev numbers,
// and the hardening every container must carry.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REDIS_CONFIG_PATH } from "../components/cache/redis-conf";
import { CONFIG_PATH as PROMETHEUS_CONFIG_PATH } from "../components/monitoring/prometheus";
import { CONFIG_PATH as NGINX_CONFIG_PATH } from "../components/proxy/docker";
import { DATABASE_START_SECONDS, MIGRATION_STEPS } from "../components/database/migration-job";
import { PROCESS_LIMIT, SECRETS_DIR, TMPFS_OPTIONS, UPLOAD_DIRS, UPLOAD_SEED_SIZE, uploadsDigest } from "../components/docker/container";
import { CONFIG_HASH_LABEL, RUN_LABEL, SECRETS_GENERATION_LABEL, serviceOf } from "../components/docker/labels";
import { UPLOADS_VOLUME } from "../policies/rules/deletion-protection";
import { dependencyOrder } from "../lab/apply/apply";
import { ConfigError } from "../config";
import {
    applicationServices,
    dependencyDirectory,
    healthcheckCommand,
    MIGRATION_SERVICE,
    serviceDefinitions,
    serviceUser,
    UID_BUILD_ARG,
} from "../components/service/catalog";
import { buildContext } from "../components/service/image";
import { sizes } from "../components/shared/sizing";
import type { Plan, PlanResource } from "../lib/plan-engine";
import { MOCK_SECRET_MARKER, mockRandomHex, mocks } from "../lib/mocks";
import { CONTAINER, container, input, ofType, projectDir, stackPlan, stackPlanWith, type Upload, uploadSeedOf, uploadsOf } from "./helpers/plan";
import { TS_HOOK } from "./helpers/hook";
import { thirdPartyImages, type ImageDirectory } from "../components/shared/images";
import { canWrite, fillVolume, FRESH_VOLUME, unwritableMounts, type VolumeMount } from "./helpers/volume-fill";

type Volume = { volumeName?: string; hostPath?: string; containerPath: string; readOnly: boolean };
type NetworkLink = { name: string; aliases?: string[] };

const envOf = (c: PlanResource) => Object.fromEntries((input<string[]>(c, "envs") ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const uploadAt = (plan: Plan, c: PlanResource, file: string) => {
    const found = uploadsOf(plan, c).find((u) => u.file === file);
    assert.ok(found, `${c.name} uploads ${file}`);
    return found;
};
/** A container created with `start: false`: an upload seed. */
const neverStarted = (c: PlanResource) => c.inputs.start === false;
const commandOf = (c: PlanResource) => input<string[]>(c, "command") ?? [];

/** Host names a container's environment (`*_HOST`, `*_URI`, `*_ADDR`) and command flags (`--*addr=`) name. */
function hostsNamed(c: PlanResource): string[] {
    const hostOf = (value: string) => /^(?:[a-z][a-z0-9+.-]*:\/\/)?([A-Za-z0-9][A-Za-z0-9.-]*)(?::\d+)?(?:[/?]|$)/.exec(value)?.[1];
    const fromEnv = Object.entries(envOf(c)).flatMap(([key, value]) => (/(HOST|_URI|_ADDR)$/.test(key) ? [hostOf(value)] : []));
    const fromCommand = commandOf(c).flatMap((arg) => (/^--[\w.-]*addr=/.test(arg) ? [hostOf(arg.slice(arg.indexOf("=") + 1))] : []));
    return [...new Set([...fromEnv, ...fromCommand].filter((h): h is string => h !== undefined && h !== "localhost"))];
}

/** Each named host no container answers to by alias on a network the naming container joins. */
function unaliasedHosts(all: readonly PlanResource[]): string[] {
    const links = (c: PlanResource) => input<NetworkLink[]>(c, "networksAdvanced") ?? [];
    return all.flatMap((c) =>
        hostsNamed(c).flatMap((host) => {
            const shared = links(c).map((l) => l.name);
            const answers = all.some((other) => links(other).some((l) => shared.includes(l.name) && (l.aliases ?? []).includes(host)));
            return answers ? [] : [`${c.name} -> ${host}: no container has that alias on a network ${c.name} joins (${shared.join(", ")})`];
        }),
    );
}

/** Each uid two or more long-running containers with a process limit run as: "uid: their services". */
function uidsShared(all: readonly PlanResource[]): string[] {
    const byUid = new Map<string, string[]>();
    for (const c of all) {
        const oneShot = (input<{ label: string }[]>(c, "labels") ?? []).some((l) => l.label === RUN_LABEL);
        const limited = (input<{ name: string }[]>(c, "ulimits") ?? []).some((u) => u.name === "nproc");
        if (oneShot || !limited) continue;
        const uid = input<string>(c, "user").split(":")[0];
        byUid.set(uid, [...(byUid.get(uid) ?? []), String(serviceOf(c))]);
    }
    return [...byUid].filter(([, services]) => services.length > 1).map(([uid, services]) => `${uid}: ${services.sort().join(", ")}`);
}

describe("dev stack (docker)", () => {
    let plan: Plan;
    let containers: PlanResource[];
    before(async () => {
        plan = await stackPlan("dev");
        containers = ofType(plan, CONTAINER).filter((c) => !neverStarted(c));
    });

    it("runs the design's services (the catalog's and the infrastructure) plus the exporters, Grafana, the backup job and the migration job's three steps", () => {
        const services = containers.map((c) => serviceOf(c)).sort();
        const infrastructure = ["database", "redis", "nginx", "prometheus", "grafana", "postgres-exporter", "redis-exporter", "backups", "backup-metrics"];
        assert.deepEqual(services, [...applicationServices, ...infrastructure, ...MIGRATION_STEPS].sort());
    });

    it("gives each container its memory and CPU limit from components/shared/sizing.ts, the one place a size lives", () => {
        for (const [service, { memoryMb, cpus }] of Object.entries(sizes.development)) {
            const c = container(plan, service);
            assert.equal(c.inputs.memory, memoryMb, `${service} memory`);
            assert.equal(c.inputs.cpus, String(cpus), `${service} cpus`);
        }
    });

    it("sizes what the design sizes as the design says (MB, cores; its 'Resource Allocation')", () => {
        const design = { backend: [512, 0.5], frontend: [256, 0.25], database: [1024, 1], redis: [128, 0.25] } as const;
        for (const [service, [memoryMb, cpus]] of Object.entries(design))
            assert.deepEqual(sizes.development[service as keyof typeof design], { memoryMb, cpus }, service);
    });

    it("hardens every container: non-root, health check, restart, no capabilities, no-new-privileges, rotated JSON logs", () => {
        const oneShot = ["migrate-backup", "migrate", "seed"];
        for (const c of containers) {
            const user = input<string>(c, "user");
            assert.match(user, /^[1-9]\d*:\d+$/, `${c.name} runs as a numeric non-root user`);
            assert.equal(input(c, "healthcheck.interval"), "30s");
            assert.equal(input(c, "healthcheck.timeout"), "10s");
            assert.equal(input(c, "healthcheck.retries"), 3);
            if (oneShot.includes(String(serviceOf(c)))) {
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

    it("pins every registry image to a version, never latest, and runs built images by content id", () => {
        const pulled = ofType(plan, "docker:index/remoteImage:RemoteImage").map((r) => input<string>(r, "name"));
        for (const reference of pulled) assert.match(reference, /:(?!latest$)[\w.-]+$/, reference);
        for (const c of containers) {
            const image = input<string>(c, "image");
            assert.ok(pulled.includes(image) || /^sha256:[0-9a-f]{64}$/.test(image), `${c.name} runs ${image}: a pinned reference or a content id`);
        }
    });

    it("publishes host ports only on nginx: HTTP 8080 and HTTPS 8443 in dev, on 127.0.0.1 (this machine alone)", () => {
        for (const c of containers) {
            const ports = input<{ internal: number; external: number; ip?: string }[]>(c, "ports") ?? [];
            if (serviceOf(c) === "nginx")
                assert.deepEqual(
                    ports.map((p) => [p.external, p.ip]),
                    [
                        [8080, "127.0.0.1"],
                        [8443, "127.0.0.1"],
                    ],
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
            const service = String(serviceOf(c));
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

    it("builds the stand-in images from this repository, development target, once per service, and hot-reloads their sources", () => {
        const builds = ofType(plan, "docker:index/image:Image");
        const contexts = applicationServices.map((s) => buildContext(s, "", projectDir));
        assert.deepEqual(builds.map((i) => input<string>(i, "build.context")).sort(), contexts.sort());
        for (const image of builds) {
            assert.equal(input(image, "build.target"), "development");
            assert.equal(image.inputs.skipPush, true);
        }
        for (const service of applicationServices) {
            const volumes = input<Volume[]>(container(plan, service), "volumes");
            const mount = volumes.find((v) => v.containerPath === "/app");
            assert.equal(mount?.hostPath, buildContext(service, "", projectDir), service);
            assert.equal(mount?.readOnly, false, `${service}: Docker creates the dependency volume's mount point in it`);
            // The image's installed dependencies stay visible through the mount (issue 12, defect 4).
            const dependencies = volumes.find((v) => v.containerPath === dependencyDirectory[serviceDefinitions[service].runtime]);
            assert.deepEqual(dependencies, { containerPath: dependencyDirectory[serviceDefinitions[service].runtime] }, `${service}: an anonymous volume`);
        }
    });

    it("runs each application service as its own uid, the one its image is built with (nproc counts per uid across the host)", () => {
        const uids = applicationServices.map((s) => serviceDefinitions[s].uid);
        assert.equal(new Set(uids).size, uids.length, `distinct uids: ${uids.join(", ")}`);
        const builds = ofType(plan, "docker:index/image:Image");
        for (const service of applicationServices) {
            const uid = String(serviceDefinitions[service].uid);
            assert.equal(input(container(plan, service), "user"), `${uid}:${uid}`, service);
            const build = builds.filter((b) => input<string>(b, "imageName").startsWith(`osint-platform/${service}:`));
            assert.equal(build.length, 1, `${service}: one build of its own`);
            assert.deepEqual(input(build[0], "build.args"), { [UID_BUILD_ARG]: uid }, `${service}: the image's user is its uid`);
        }
        assert.equal(input(container(plan, "migrate"), "user"), serviceUser("backend"), "the migrations run the backend's image as its user");
        // No other container shares an application uid (and so its process budget).
        for (const c of containers.filter((c) => !applicationServices.includes(String(serviceOf(c)) as never) && serviceOf(c) !== "migrate")) {
            assert.ok(!uids.includes(Number(input<string>(c, "user").split(":")[0])), `${c.name} runs as ${input<string>(c, "user")}`);
        }
    });

    it("gives each long-running container with a process limit a uid of its own (one-shot jobs run as their image's service)", () => {
        assert.deepEqual(uidsShared(containers), []);
        const exporters = ["postgres-exporter", "backup-metrics", "prometheus", "redis-exporter"].map((s) => input<string>(container(plan, s), "user"));
        assert.equal(new Set(exporters).size, exporters.length, `the exporters and Prometheus: ${exporters.join(", ")}`);
        // Both sides: an exporter back under Prometheus's uid (the images' own nobody) is found.
        const prometheusUser = input<string>(container(plan, "prometheus"), "user");
        const shared = containers.map((c) => (serviceOf(c) === "postgres-exporter" ? { ...c, inputs: { ...c.inputs, user: prometheusUser } } : c));
        assert.ok(uidsShared(shared).includes(`${prometheusUser.split(":")[0]}: postgres-exporter, prometheus`), uidsShared(shared).join("; "));
        // And the daily backup back under the image's user, the database's, is found too.
        const databaseUser = input<string>(container(plan, "database"), "user");
        const backupAsDatabase = containers.map((c) => (serviceOf(c) === "backups" ? { ...c, inputs: { ...c.inputs, user: databaseUser } } : c));
        assert.deepEqual(uidsShared(backupAsDatabase), [`${databaseUser.split(":")[0]}: backups, database`]);
    });

    it("reaches every host a container's environment or command names by a network alias on a network both join, and sets no hostname", () => {
        const named = containers.flatMap((c) => hostsNamed(c).map((host) => `${serviceOf(c)} -> ${host}`));
        // What the stack depends on by name: the database and Redis, each from its clients.
        for (const edge of [
            "backend -> database",
            "backend -> redis",
            "migrate -> redis",
            "postgres-exporter -> database",
            "redis-exporter -> redis",
            "backups -> database",
        ])
            assert.ok(named.includes(edge), `${edge} among ${named.join(", ")}`);
        assert.deepEqual(unaliasedHosts(containers), []);
        // A hostname is one of a container's DNS names on Docker >= 25 (Engine API 1.44 DNSNames): it would answer without the alias.
        assert.deepEqual(
            containers.filter((c) => c.inputs.hostname !== undefined).map((c) => c.name),
            [],
        );
        // Both sides: without its alias, Redis is named by every client that reaches it.
        const withoutAlias = containers.map((c) =>
            serviceOf(c) === "redis"
                ? { ...c, inputs: { ...c.inputs, networksAdvanced: input<NetworkLink[]>(c, "networksAdvanced").map((n) => ({ ...n, aliases: [] })) } }
                : c,
        );
        const missing = unaliasedHosts(withoutAlias);
        assert.ok(missing.length > 0 && missing.every((m) => / -> redis: no container has that alias on a network /.test(m)), missing.join("; "));
        assert.ok(
            missing.some((m) => m.startsWith("backend-container -> redis")),
            missing.join("; "),
        );
    });

    it("gives every application container and the migration the image's settings, SERVICE_NAME its own name", () => {
        for (const service of [...applicationServices, MIGRATION_SERVICE]) {
            const env = envOf(container(plan, service));
            assert.equal(env.SERVICE_NAME, service, `${service}: the log's service field`);
            assert.deepEqual(
                ["ENVIRONMENT", "DEBUG", "LOG_LEVEL", "LOG_FORMAT"].map((k) => env[k]),
                ["development", "true", "debug", "json"],
                service,
            );
        }
    });

    it("gives the Redis password, as a file, to every container given REDIS_HOST", () => {
        const withRedis = containers.filter((c) => envOf(c).REDIS_HOST !== undefined);
        // The services the catalog gives data access, and the migration job.
        const dataServices = applicationServices.filter((s) => serviceDefinitions[s].dataAccess);
        assert.ok(dataServices.length > 0);
        assert.deepEqual(withRedis.map((c) => String(serviceOf(c))).sort(), [...dataServices, MIGRATION_SERVICE].sort());
        for (const c of withRedis) {
            const file = envOf(c).REDIS_PASSWORD_FILE;
            assert.equal(file, "/run/secrets/redis_password", `${serviceOf(c)}: REDIS_PASSWORD_FILE`);
            assert.equal(uploadAt(plan, c, file).content, "[secret]");
        }
    });

    it("references no path outside the repository", () => {
        const paths = [
            ...ofType(plan, "docker:index/image:Image").map((i) => input<string>(i, "build.context")),
            ...containers.flatMap((c) => (input<Volume[]>(c, "volumes") ?? []).flatMap((v) => (v.hostPath ? [v.hostPath] : []))),
        ];
        assert.ok(paths.length > 0);
        for (const p of paths) assert.ok(!path.relative(projectDir, p).startsWith(".."), `${p} is outside the repository`);
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
        const conf = uploadAt(plan, redis, REDIS_CONFIG_PATH).content;
        assert.match(conf, /^maxmemory 96mb$/m);
        assert.ok(96 < (redis.inputs.memory as number));
        assert.match(conf, /^maxmemory-policy volatile-lru$/m);
        assert.match(conf, /^appendonly yes$/m);
        assert.match(conf, /^include \/run\/secrets\/redis_auth\.conf$/m);
        assert.equal(uploadAt(plan, redis, "/run/secrets/redis_auth.conf").content, "[secret]");
        assert.ok(input<Volume[]>(redis, "volumes").some((v) => v.volumeName === "redis_data" && v.containerPath === "/data"));
    });

    it("terminates TLS on nginx with a dev certificate, redirects HTTP and rate-limits at 10 r/s, burst 20", () => {
        const nginx = container(plan, "nginx");
        const conf = uploadAt(plan, nginx, NGINX_CONFIG_PATH).content;
        assert.match(conf, /return 301 https:\/\/\$host:8443\$request_uri;/);
        assert.match(conf, /listen 8443 ssl;/);
        assert.match(conf, /ssl_protocols TLSv1\.2 TLSv1\.3;/);
        assert.match(conf, /rate=10r\/s;/);
        assert.match(conf, /limit_req zone=per_client burst=20 nodelay;/);
        assert.match(conf, /set \$frontend_upstream http:\/\/frontend:3000;/);
        assert.match(conf, /set \$backend_upstream http:\/\/backend:8000;/);
        assert.equal(uploadAt(plan, nginx, "/run/secrets/tls.key").content, "[secret]");
        const certificate = ofType(plan, "tls:index/selfSignedCert:SelfSignedCert")[0];
        assert.deepEqual(certificate.inputs.dnsNames, ["localhost"]);
        assert.equal(certificate.inputs.validityPeriodHours, 8760);
    });

    it("monitors with Prometheus (30-day retention) scraping the services and both exporters, and Grafana", () => {
        const prometheus = container(plan, "prometheus");
        assert.ok(commandOf(prometheus).includes("--storage.tsdb.retention.time=30d"));
        const config = uploadAt(plan, prometheus, PROMETHEUS_CONFIG_PATH).content;
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

    it("backs up daily to a local volume and keeps 7 days, the first dump waiting for a database that is still starting", () => {
        const backups = container(plan, "backups");
        const env = envOf(backups);
        assert.equal(env.BACKUP_RETENTION_DAYS, "7");
        assert.equal(env.BACKUP_INTERVAL_SECONDS, "86400");
        assert.equal(env.BACKUP_WAIT_SECONDS, String(DATABASE_START_SECONDS));
        assert.equal(env.PGPASSFILE, "/run/secrets/pgpass");
        assert.ok(input<Volume[]>(backups, "volumes").some((v) => v.volumeName === "postgres_backups" && v.containerPath === "/var/lib/postgresql"));
    });

    it("publishes the last good backup's time through a textfile exporter that sees only the metric's volume", () => {
        assert.equal(envOf(container(plan, "backups")).BACKUP_METRICS_DIR, "/var/run/postgresql");
        assert.ok(
            input<Volume[]>(container(plan, "backups"), "volumes").some(
                (v) => v.volumeName === "backup_metrics" && v.containerPath === "/var/run/postgresql" && !v.readOnly,
            ),
        );
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
            for (const upload of uploadsOf(plan, c).filter((u) => u.file.startsWith("/run/secrets/"))) {
                assert.equal(upload.content, "[secret]", `${c.name}: ${upload.file} is a secret`);
                assert.equal(upload.permissions, "0400");
                assert.equal(upload.owner, input<string>(c, "user").split(":")[0], `${c.name}: ${upload.file} belongs to the container's user`);
            }
        }
        const secretFiles = containers.flatMap((c) =>
            uploadsOf(plan, c)
                .filter((u) => u.file.startsWith("/run/secrets/"))
                .map((u) => `${serviceOf(c)}:${u.file}`),
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
            // A container's uploads (ContainerUploads) belong to the component that runs the container.
            if (r.type === "osint:docker:ContainerUploads") assert.match(parent.type, /^osint:/, `${r.name} belongs to a component`);
            else if (r.type.startsWith("osint:")) assert.equal(parent, stack);
            else assert.match(parent.type, /^osint:/, `${r.name} belongs to a component`);
        }
    });
});

// Issue 12's defects, each against what the Docker provider really does (see the comments in
// components/docker/container.ts and components/service/application-images.ts).
describe("dev stack against the Docker provider's semantics", () => {
    const temporary: string[] = [];
    after(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    const tempDir = (prefix: string) => {
        temporary.push(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
        return temporary[temporary.length - 1];
    };
    /**
     * A checkout laid out as the application repository: <root>/<service>/, copied from the stand-ins,
     * each with a file of its own (services' sources differ; the same sources build the same image).
     */
    function checkout(): string {
        const root = tempDir("osint-app-checkout-");
        for (const service of applicationServices) {
            fs.cpSync(buildContext(service, "", projectDir), path.join(root, service), { recursive: true });
            fs.writeFileSync(path.join(root, service, "SERVICE"), `${service}\n`);
        }
        return root;
    }
    const imageOf = (plan: Plan, service: string) => input<string>(container(plan, service), "image");
    const runOf = (c: PlanResource) => input<{ label: string; value: string }[]>(c, "labels").find((l) => l.label === RUN_LABEL)?.value;

    it("a build context that does not exist stops the plan before any resource, naming the path and the fix", async () => {
        await assert.rejects(
            stackPlanWith("dev", { buildContextRoot: "../no-such-checkout" }),
            (err: Error) =>
                err instanceof ConfigError &&
                err.key === "osint-platform:buildContextRoot" &&
                /clone the application repository there, or remove the key to build the stand-in images/.test(err.message) &&
                err.found.startsWith('"../no-such-checkout" (') &&
                err.found.includes(path.join(projectDir, "..", "no-such-checkout", "backend", "Dockerfile")),
        );
    });

    it("npm run plan exits 2 with that one line on stderr", () => {
        const file = path.join(tempDir("osint-plan-"), "Pulumi.dev.yaml");
        fs.writeFileSync(file, `${fs.readFileSync(path.join(projectDir, "Pulumi.dev.yaml"), "utf8")}  osint-platform:buildContextRoot: ../no-such-checkout\n`);
        const result = spawnSync(process.execPath, ["--require", TS_HOOK, "tools/plan.ts", "--stack", "dev", "--config-file", file], {
            cwd: projectDir,
            encoding: "utf8",
        });
        assert.equal(result.status, 2, result.stderr);
        assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
        assert.match(
            result.stderr,
            /^plan: \S+Pulumi\.dev\.yaml:\d+:\d+: stack dev: config key osint-platform:buildContextRoot: expected a directory holding backend\/Dockerfile/,
        );
    });

    it("a checkout named by buildContextRoot replaces the stand-ins: one build per service, the backend's shared with the migrations", async () => {
        const root = checkout();
        const plan = await stackPlanWith("dev", { buildContextRoot: root });
        const builds = ofType(plan, "docker:index/image:Image");
        assert.deepEqual(builds.map((b) => input<string>(b, "build.context")).sort(), applicationServices.map((s) => path.join(root, s)).sort());
        assert.equal(imageOf(plan, "migrate"), imageOf(plan, "backend"), "the migrations run the backend's build (built once)");
        assert.equal(new Set(applicationServices.map((s) => imageOf(plan, s))).size, applicationServices.length);
    });

    it("imageSource registry: pulls each service's pinned image once, the backend's shared by the migrations, and builds nothing", async () => {
        const plan = await stackPlanWith("dev", { imageSource: "registry", imageTag: "1.4.2" });
        assert.deepEqual(ofType(plan, "docker:index/image:Image"), []);
        const pulls = ofType(plan, "docker:index/remoteImage:RemoteImage").filter((r) => String(r.parent).includes("osint:app:Images"));
        assert.deepEqual(pulls.map((r) => input<string>(r, "name")).sort(), applicationServices.map((s) => `ghcr.io/osint-platform/${s}:1.4.2`).sort());
        assert.equal(imageOf(plan, "migrate"), "ghcr.io/osint-platform/backend:1.4.2");
        assert.ok(!input<Volume[]>(container(plan, "backend"), "volumes").some((v) => v.containerPath === "/app"), "no source mount");
    });

    it("a rebuild reaches the containers: a changed source changes the content id they run, under the same tag", async () => {
        const root = checkout();
        const before = await stackPlanWith("dev", { buildContextRoot: root });
        fs.appendFileSync(path.join(root, "backend", "service.py"), "\n# changed\n");
        // What .dockerignore leaves out of the context is not part of the build.
        // (It may exist already: a dev stack run leaves the dependency volume's mount point in the source.)
        fs.mkdirSync(path.join(root, "frontend", "node_modules"), { recursive: true });
        fs.writeFileSync(path.join(root, "frontend", "node_modules", "left-out.js"), "");
        const after = await stackPlanWith("dev", { buildContextRoot: root });
        const tags = (plan: Plan) => ofType(plan, "docker:index/image:Image").map((b) => input<string>(b, "imageName"));
        assert.deepEqual(tags(after), tags(before), "the tag stays the same");
        for (const service of ["backend", "migrate"]) assert.notEqual(imageOf(after, service), imageOf(before, service), `${service} runs the new build`);
        for (const service of ["frontend", "playwright", "ai-processor"])
            assert.equal(imageOf(after, service), imageOf(before, service), `${service} is untouched`);
    });

    it("the content id is the build's, not its folder's: the same sources at two paths build the same images", async () => {
        const [one, other] = [checkout(), checkout()];
        const [first, second] = [await stackPlanWith("dev", { buildContextRoot: one }), await stackPlanWith("dev", { buildContextRoot: other })];
        for (const service of applicationServices) assert.equal(imageOf(second, service), imageOf(first, service), service);
    });

    it("an image's content id: its Dockerfile's content (default <context>/Dockerfile) wherever it is, its other settings by value", async () => {
        const [one, other] = [checkout(), checkout()];
        const image = (build: Record<string, unknown>) =>
            mocks.newResource({ type: "docker:index/image:Image", name: "image", inputs: { imageName: "app:dev", build, skipPush: true }, custom: true });
        const idOf = async (build: Record<string, unknown>) => (await image(build)).state.repoDigest as string;
        const context = (root: string) => path.join(root, "backend");
        const base = await idOf({ context: context(one), target: "development" });
        assert.match(String(base), /^sha256:[0-9a-f]{64}$/);
        assert.equal(await idOf({ context: context(other), target: "development" }), base, "another folder");
        assert.equal(
            await idOf({ context: context(other), dockerfile: path.join(context(other), "Dockerfile"), target: "development" }),
            base,
            "the default, named",
        );
        assert.notEqual(await idOf({ context: context(one), target: "production" }), base, "another target");
        assert.notEqual(await idOf({ context: context(one), target: "development", args: { VERSION: "2" } }), base, "a build argument");
        // A Dockerfile outside the context: the builder gets its content, whatever its name and folder.
        const outside = (root: string) => {
            const file = path.join(root, "backend.Dockerfile");
            if (!fs.existsSync(file)) fs.copyFileSync(path.join(context(root), "Dockerfile"), file);
            return { context: context(root), dockerfile: file, target: "development" };
        };
        const separate = await idOf(outside(one));
        assert.equal(separate, base, "the same Dockerfile content at another path");
        assert.equal(await idOf(outside(other)), separate, "another folder, the Dockerfile outside the context");
        fs.appendFileSync(outside(other).dockerfile, "\nLABEL changed=true\n");
        assert.notEqual(await idOf(outside(other)), separate, "the Dockerfile's content");
        // The check replays plan files from other machines (a diff's <checkout> paths) through the mock.
        assert.match(await idOf({ context: "<checkout>/images/frontend", target: "development" }), /^sha256:[0-9a-f]{64}$/);
    });

    it("every up re-runs the one-shot jobs (a failed run is replaced, never wedging the stack) and leaves the services alone", async () => {
        const [first, second] = [await stackPlanWith("dev", {}), await stackPlanWith("dev", {})];
        for (const step of MIGRATION_STEPS) {
            const [a, b] = [runOf(container(first, step)), runOf(container(second, step))];
            assert.ok(a && b && a !== b, `${step} carries a new run label with every run (${a}, ${b})`);
            assert.equal(container(first, step).inputs.attach, true);
        }
        for (const c of ofType(first, CONTAINER).filter((c) => !MIGRATION_STEPS.includes(String(serviceOf(c)) as never))) {
            const again = second.resources.find((r) => r.urn === c.urn);
            assert.deepEqual(again?.inputs, c.inputs, `${c.name} is not replaced by a re-run`);
        }
    });

    it("publishAddress moves every published port: 0.0.0.0 serves every network the host is on", async () => {
        const plan = await stackPlanWith("dev", { publishAddress: "0.0.0.0" });
        const published = ofType(plan, CONTAINER).flatMap((c) => input<{ external: number; ip?: string }[]>(c, "ports") ?? []);
        assert.deepEqual(
            published.map((p) => [p.external, p.ip]),
            [
                [8080, "0.0.0.0"],
                [8443, "0.0.0.0"],
            ],
        );
    });

    it("runs every container with a read-only root and a process limit; only never-started upload seeds have a writable root", async () => {
        const plan = await stackPlan("dev");
        for (const c of ofType(plan, CONTAINER)) {
            const service = String(serviceOf(c) ?? c.name);
            assert.deepEqual(c.inputs.ulimits, [{ name: "nproc", soft: PROCESS_LIMIT, hard: PROCESS_LIMIT }], service);
            if (neverStarted(c)) {
                assert.deepEqual([c.inputs.mustRun, c.inputs.readOnly ?? false], [false, false], `${c.name}: a seed, its root writable for the upload at "/"`);
                continue;
            }
            assert.equal(c.inputs.readOnly, true, service);
            assert.match(String((c.inputs.tmpfs as Record<string, string>)["/tmp"]), /^rw,noexec,nosuid,size=\d+m$/, `${service}: /tmp`);
        }
        assert.deepEqual(container(plan, "database").inputs.tmpfs, { "/tmp": TMPFS_OPTIONS, "/var/run/postgresql": TMPFS_OPTIONS });
    });

    // The provider extracts every upload at "/" (lab/apply/engine-fields.ts uploadArchive), which a
    // read-only root refuses: each container's files go through a seed that never runs.
    it("delivers each container's uploads through a never-started seed into volumes of its own, mounted read-only", async () => {
        const plan = await stackPlan("dev");
        const seeds = ofType(plan, CONTAINER).filter(neverStarted);
        const served = ofType(plan, CONTAINER).filter((c) => !neverStarted(c) && uploadSeedOf(plan, c));
        assert.equal(seeds.length, served.length, "one seed per container with uploads, and no other");
        const applyOrder = dependencyOrder(plan).map((r) => r.urn);
        const generations = ofType(plan, "random:index/randomId:RandomId").filter((r) => r.name.endsWith("-secrets-generation"));
        for (const c of served) {
            const seed = uploadSeedOf(plan, c)!;
            assert.equal(seed.inputs.image, c.inputs.image, `${c.name}: the seed is created from the container's own image`);
            assert.equal(seed.inputs.user, c.inputs.user, c.name);
            assert.deepEqual([seed.inputs.networkMode, seed.inputs.capabilities], ["none", { drops: ["ALL"], adds: [] }], c.name);
            assert.deepEqual([seed.inputs.memory, seed.inputs.cpus], [UPLOAD_SEED_SIZE.memoryMb, String(UPLOAD_SEED_SIZE.cpus)], c.name);
            assert.ok(c.options.dependsOn.includes(seed.urn), `${c.name} is created after its seed`);
            // The lab's concurrent apply chains each step to those of its dependencies earlier in this order.
            assert.ok(applyOrder.indexOf(seed.urn) < applyOrder.indexOf(c.urn), `the lab applies ${seed.name} before ${c.name}`);
            // What finds a service's container (its label) finds it alone, never its seed.
            assert.equal(serviceOf(seed), undefined, `${seed.name} carries no service label`);
            assert.equal(container(plan, String(serviceOf(c))), c, `${c.name} is the one container of its service`);
            const seedVolumes = input<Volume[]>(seed, "volumes");
            const mounted = input<Volume[]>(c, "volumes").filter((v) => (UPLOAD_DIRS as readonly string[]).includes(v.containerPath));
            assert.deepEqual(
                mounted,
                seedVolumes.map((v) => ({ ...v, readOnly: true })),
                `${c.name} mounts its seed's volumes read-only at the same paths`,
            );
            for (const v of seedVolumes) {
                assert.equal(v.readOnly, false);
                const volume = ofType(plan, "docker:index/volume:Volume").find((r) => r.inputs.name === v.volumeName);
                assert.ok(volume, `${v.volumeName} is a volume of the stack`);
                assert.ok(
                    input<{ label: string; value: string }[]>(volume, "labels").some(
                        (l) => l.label === UPLOADS_VOLUME.label && l.value === UPLOADS_VOLUME.value,
                    ),
                    `${v.volumeName} is labelled as holding only uploads`,
                );
                const users = ofType(plan, CONTAINER).filter((r) => input<Volume[]>(r, "volumes")?.some((m) => m.volumeName === v.volumeName));
                assert.deepEqual(users.map((r) => r.name).sort(), [c.name, seed.name].sort(), `${v.volumeName} is only the container's`);
            }
            const uploads = input<Upload[]>(seed, "uploads");
            assert.ok(uploads.length > 0, c.name);
            for (const u of uploads)
                assert.ok(
                    seedVolumes.some((v) => u.file.startsWith(`${v.containerPath}/`)),
                    `${c.name}: ${u.file} lands in one of its seed's volumes`,
                );
            const labels = input<{ label: string; value: string }[]>(c, "labels");
            const config = uploads.filter((u) => !u.file.startsWith(`${SECRETS_DIR}/`)) as (Upload & { permissions: string })[];
            assert.deepEqual(
                labels.find((l) => l.label === CONFIG_HASH_LABEL)?.value,
                config.length ? uploadsDigest(config) : undefined,
                `${c.name}: labelled with its configuration files' digest, so changing one replaces it`,
            );
            const secrets = uploads.length - config.length;
            const generation = generations.filter((g) => g.name === seed.name.replace(/-seed$/, "-secrets-generation"));
            assert.equal(generation.length, secrets ? 1 : 0, `${c.name}: a RandomId kept by its secrets`);
            if (secrets) {
                assert.deepEqual(generation[0].inputs.keepers, { secrets: "[secret]" }, `${c.name}: the keepers are the secrets, kept secret`);
                assert.equal(
                    labels.find((l) => l.label === SECRETS_GENERATION_LABEL)?.value,
                    mockRandomHex(generation[0].name),
                    `${c.name}: labelled with its hex`,
                );
            }
        }
    });
});

// Issue 20: a named volume is writable by a non-root container only where Docker fills it from an
// image that has the mount path (tests/helpers/volume-fill.ts models the rule; the e2e proves it).
describe("dev stack: named volumes as Docker fills them", () => {
    const directoriesOf = (image: string): Readonly<Record<string, ImageDirectory>> => {
        const entry = Object.values(thirdPartyImages).find((i) => i.reference === image);
        assert.ok(entry && "directories" in entry, `${image} mounts a named volume: list the directories it creates (components/shared/images.ts)`);
        return entry.directories;
    };
    const postgres = thirdPartyImages.postgres;
    const mount = (container: string, image: string, user: string, mountPath: string, readOnly = false): VolumeMount => ({
        container,
        image,
        user,
        path: mountPath,
        readOnly,
    });

    it("the model: an image's directory gives the volume its owner and mode; a path no image has leaves root:root 0755", () => {
        const home = mount("writer", postgres.reference, postgres.user, "/var/lib/postgresql");
        assert.deepEqual(fillVolume([home], directoriesOf), { owner: "70:70", mode: 0o1777, filledBy: "writer" });
        assert.deepEqual(fillVolume([mount("writer", postgres.reference, postgres.user, "/backups")], directoriesOf), FRESH_VOLUME);
        // A reader whose image lacks the path fills nothing, whichever starts first.
        const reader = mount("reader", thirdPartyImages.nodeExporter.reference, thirdPartyImages.nodeExporter.user, "/metrics", true);
        assert.deepEqual(fillVolume([reader, home], directoriesOf).filledBy, "writer");
        assert.deepEqual(unwritableMounts("v", [reader, home], directoriesOf), []);
        assert.deepEqual(unwritableMounts("v", [reader, mount("writer", postgres.reference, postgres.user, "/backups")], directoriesOf), [
            "volume v: writer (70:70) cannot write /backups: it is 0:0 0755 (no mounting container's image has its path (reader: /metrics, writer: /backups), so Docker copies nothing)",
        ]);
        assert.equal(canWrite("70:70", FRESH_VOLUME), false);
        assert.equal(canWrite("999:1000", { owner: "999:1000", mode: 0o755 }), true);
        assert.equal(canWrite("472:472", { owner: "472:0", mode: 0o777 }), true);
        assert.equal(canWrite("65534:65534", { owner: "0:65534", mode: 0o775 }), true, "through the group");
        assert.equal(canWrite("65534:65534", { owner: "0:0", mode: 0o1775 }), false);
    });

    it("every writer of every named volume can write it on a fresh stack, whichever container starts first", async () => {
        const plan = await stackPlan("dev");
        const mounts = new Map<string, VolumeMount[]>();
        // A volume of uploads is written by the engine (as root) into a seed that never runs, and its
        // container mounts it read-only: no process writes it, whoever fills it.
        const uploadVolumes = ofType(plan, "docker:index/volume:Volume")
            .filter((v) =>
                input<{ label: string; value: string }[]>(v, "labels").some((l) => l.label === UPLOADS_VOLUME.label && l.value === UPLOADS_VOLUME.value),
            )
            .map((v) => String(v.inputs.name));
        assert.ok(uploadVolumes.length > 0);
        for (const c of ofType(plan, CONTAINER)) {
            for (const v of input<Volume[]>(c, "volumes") ?? []) {
                if (!v.volumeName || uploadVolumes.includes(v.volumeName)) continue;
                const entry = {
                    container: String(serviceOf(c)),
                    image: input<string>(c, "image"),
                    user: input<string>(c, "user"),
                    path: v.containerPath,
                    readOnly: v.readOnly,
                };
                mounts.set(v.volumeName, [...(mounts.get(v.volumeName) ?? []), entry]);
            }
        }
        const volumes = ofType(plan, "docker:index/volume:Volume")
            .map((v) => String(v.inputs.name))
            .filter((name) => !uploadVolumes.includes(name));
        assert.deepEqual([...mounts.keys()].sort(), volumes.sort(), "every named volume is mounted");
        assert.deepEqual(
            [...mounts].flatMap(([volume, list]) => unwritableMounts(volume, list, directoriesOf)),
            [],
        );
    });
});
