// The dev stack end to end on a real Docker Engine: the dev plan, with real passwords, a real
// certificate and really built images, applied as pulumi-docker would (lab/apply), on lab images
// built from Debian's packages (lab/images, docs/lab-images.md). `npm run test:dev-stack` runs it
// alone; `npm test` runs it beside the coverage run (tools/test.sh). Traffic goes only to 127.0.0.1 and to the
// containers this test starts (through the Engine's exec).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as https from "node:https";
import type Docker from "dockerode";
import * as YAML from "yaml";
import { connectEngine, EngineUnavailable, onInterrupt, type Engine } from "../../lab/engine/daemon";
import { DevStackLab } from "../../lab/apply/dev-stack";
import type { UpResult } from "../../lab/apply/apply";
import { PHASE, PhaseClock } from "../../lab/timings";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { RUN_LABEL, serviceOf, UPLOAD_SEED_LABEL } from "../../components/docker/labels";
import { sizes } from "../../components/shared/sizing";
import { BACKUP_METRIC } from "../../components/backups/backup-script";

/** The documented switch that excludes this test where no engine can run (the workflow's container: job). */
const SKIP_SWITCH = "OSINT_SKIP_DOCKER_E2E";
const CONTAINER = "docker:index/container:Container";

const log = (line: string) => process.stderr.write(`      ${line}\n`);

type Upload = { file: string; content: string };

function containerOf(plan: Plan, service: string): PlanResource {
    const found = plan.resources.filter((r) => r.type === CONTAINER && serviceOf(r) === service);
    assert.equal(found.length, 1, `one container for ${service}`);
    return found[0];
}

const labelOf = (r: PlanResource, label: string) => ((r.inputs.labels ?? []) as { label: string; value: string }[]).find((l) => l.label === label)?.value;

/** The never-started container that receives a container's uploads (components/docker/container.ts ContainerUploads). */
function seedOf(plan: Plan, container: PlanResource): PlanResource {
    const found = plan.resources.filter((r) => r.type === CONTAINER && labelOf(r, UPLOAD_SEED_LABEL) === container.inputs.name);
    assert.equal(found.length, 1, `one upload seed for ${container.name}`);
    return found[0];
}

function uploadOf(plan: Plan, service: string, file: string): string {
    const upload = ((seedOf(plan, containerOf(plan, service)).inputs.uploads ?? []) as Upload[]).find((u) => u.file === file);
    assert.ok(upload, `${service}'s seed uploads ${file}`);
    return upload.content;
}

/** GET over HTTPS to 127.0.0.1, verifying the stack's own certificate for its domain. */
function get(port: number, pathname: string, ca: string, servername: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const request = https.get({ host: "127.0.0.1", port, path: pathname, ca, servername, timeout: 30_000 }, (response) => {
            let body = "";
            response.on("data", (d: Buffer) => (body += d.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on("timeout", () => request.destroy(new Error(`GET ${pathname}: no answer in 30 s`)));
        request.on("error", reject);
    });
}

/** Docker's multiplexed exec stream (8-byte frame headers, no TTY) as text. */
function demux(raw: Buffer): string {
    const parts: Buffer[] = [];
    for (let offset = 0; offset + 8 <= raw.length; offset += 8 + raw.readUInt32BE(offset + 4))
        parts.push(raw.subarray(offset + 8, offset + 8 + raw.readUInt32BE(offset + 4)));
    return Buffer.concat(parts).toString("utf8");
}

/**
 * Starts a command in a container (the Engine's exec), its stdin open: `output()` is what it wrote so
 * far, `finished` its output and exit code, and `closeStdin()` ends its input.
 */
async function execStart(docker: Docker, container: string, cmd: string[], stdin = false) {
    const run = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: stdin });
    const stream = (await run.start({ hijack: true, stdin })) as NodeJS.ReadWriteStream;
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve, reject) => {
        stream.on("data", (d: Buffer) => chunks.push(d));
        stream.on("end", () => resolve());
        stream.on("error", reject);
    });
    const output = () => demux(Buffer.concat(chunks));
    const finished = ended.then(async () => ({ code: (await run.inspect()).ExitCode ?? -1, output: output() }));
    return { output, finished, closeStdin: () => stream.end() };
}

/** Runs a command in a container (the Engine's exec) and returns its output and exit code. */
async function exec(docker: Docker, container: string, cmd: string[]): Promise<{ code: number; output: string }> {
    return (await execStart(docker, container, cmd)).finished;
}

/** Polls `probe` until it returns a value, failing with `what()` after `timeoutMs`. */
async function until<T>(probe: () => Promise<T | undefined>, what: () => string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError = "";
    for (;;) {
        const value = await probe().catch((err: Error) => {
            lastError = `; last error: ${err.message}`;
            return undefined;
        });
        if (value !== undefined) return value;
        assert.ok(Date.now() < deadline, `not within ${Math.round(timeoutMs / 1000)} s: ${what()}${lastError}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

describe("dev stack on a real Docker Engine (e2e)", function () {
    // Each step below waits on the plan's own health-check intervals; the budgets are in the waits.
    this.timeout(0);
    let engine: Engine | undefined;
    let lab: DevStackLab;
    let plan: Plan;
    let removeInterrupt = () => {};
    // Where the run spends its time, written to the file OSINT_LAB_TIMINGS names (the benchmark reads it).
    const clock = new PhaseClock();

    // Idempotent: removes whatever is applied now, waits for the lab images' save to the cache, then
    // stops a private daemon. A stopped private daemon took its folder and everything on it along:
    // after that there is nothing to remove, and no engine to ask (a destroy that failed is not retried
    // on a socket that is gone, which would hide its error behind "connect ENOENT").
    let privateEngineStopped = false;
    const teardown = () =>
        clock.time(PHASE.teardown, async () => {
            if (privateEngineStopped) return;
            try {
                await clock.time("teardown: destroy", async () => lab?.stack.destroy());
                await lab?.saved;
            } finally {
                await clock.time("teardown: engine stop", async () => engine?.stop());
                privateEngineStopped = engine?.private === true;
            }
        });

    before(async function () {
        if (process.env[SKIP_SWITCH] === "1") {
            log(`skipped: ${SKIP_SWITCH}=1 excludes the Docker end-to-end test here`);
            this.skip();
        }
        try {
            engine = await clock.time(PHASE.engine, connectEngine);
        } catch (err) {
            if (!(err instanceof EngineUnavailable)) throw err;
            if (process.env.CI === "true") throw new Error(`${err.message}; under CI=true this fails unless ${SKIP_SWITCH}=1 excludes it`);
            log(`skipped: no Docker engine: ${err.message}`);
            this.skip();
        }
        removeInterrupt = onInterrupt(teardown);
        log(`lab: engine: ${engine.origin}`);
        lab = await DevStackLab.prepare(engine.docker, log, clock.time);
        plan = await clock.time(PHASE.plan, () => lab.plan());
        const started = Date.now();
        await clock.time(PHASE.apply, () => lab.stack.up(plan));
        const healthyAfter = await clock.time(PHASE.waitHealthy, () => lab.stack.waitHealthy());
        clock.setApplyToHealthy(Date.now() - started);
        log(`lab: applied and all healthy in ${((Date.now() - started) / 1000).toFixed(1)} s (health wait ${(healthyAfter / 1000).toFixed(1)} s)`);
    });

    afterEach(function () {
        const test = this.currentTest;
        if (test?.duration !== undefined) clock.addEndingNow(`test: ${test.title}`, test.duration);
    });

    after(async () => {
        removeInterrupt();
        try {
            await teardown();
        } finally {
            clock.write();
            for (const p of clock.timings().phases) log(`lab: phase ${p.name}: ${p.seconds.toFixed(1)} s (from ${p.start.toFixed(1)} s)`);
        }
    });

    const httpsPort = () => Number(new URL(String(plan.outputs.url)).port);
    const domain = () => new URL(String(plan.outputs.url)).hostname;
    const certificate = () => {
        const file = ((seedOf(plan, containerOf(plan, "nginx")).inputs.uploads ?? []) as Upload[]).find((u) => u.file.endsWith(".crt"));
        assert.ok(file, "nginx's seed uploads its certificate");
        return file.content;
    };
    const nameOf = (service: string) => String(containerOf(plan, service).inputs.name);

    it("serves the frontend page and the backend's /healthz through nginx on 127.0.0.1, database and redis healthy", async () => {
        const page = await get(httpsPort(), "/", certificate(), domain());
        assert.equal(page.status, 200, page.body);
        assert.match(page.body, /<html/i);
        const health = await get(httpsPort(), "/healthz", certificate(), domain());
        assert.equal(health.status, 200, health.body);
        const body = JSON.parse(health.body) as Record<string, unknown>;
        assert.equal(body.status, "healthy", health.body);
        assert.equal(body.database, "healthy", health.body);
        assert.equal(body.redis, "healthy", health.body);
    });

    it("delivers the uploads through seeds that never run: every running container has a read-only root and reads its files from read-only volumes", async () => {
        const containers = plan.resources.filter((r) => r.type === CONTAINER);
        const seeds = containers.filter((r) => labelOf(r, UPLOAD_SEED_LABEL) !== undefined);
        assert.ok(seeds.length > 0, "the plan has upload seeds");
        for (const seed of seeds) {
            const state = (await lab.docker.getContainer(String(seed.inputs.name)).inspect()).State;
            assert.deepEqual([state.Status, state.StartedAt], ["created", "0001-01-01T00:00:00Z"], `${seed.name} was never started`);
        }
        for (const c of containers.filter((r) => !seeds.includes(r))) {
            const inspected = await lab.docker.getContainer(String(c.inputs.name)).inspect();
            assert.equal(inspected.HostConfig.ReadonlyRootfs, true, `${c.name}: read-only root`);
            for (const m of inspected.Mounts.filter((m) => m.Destination === "/run/secrets" || m.Destination === "/etc/osint"))
                assert.equal(m.RW, false, `${c.name}: ${m.Destination} is mounted read-only`);
        }
        const prometheusName = nameOf("prometheus");
        const config = await exec(lab.docker, prometheusName, ["cat", "/etc/osint/prometheus/prometheus.yml"]);
        assert.equal(config.output, uploadOf(plan, "prometheus", "/etc/osint/prometheus/prometheus.yml"));
        // A secret file: 0400, owned by the container's uid, as the seed's upload set it.
        const backend = containerOf(plan, "backend");
        const secret = ((seedOf(plan, backend).inputs.uploads ?? []) as (Upload & { owner: string })[]).find((u) => u.file.startsWith("/run/secrets/"));
        assert.ok(secret, "the backend has a secret file");
        const stat = await exec(lab.docker, nameOf("backend"), ["stat", "-c", "%a %u", secret.file]);
        assert.equal(stat.output.trim(), `400 ${secret.owner}`, stat.output);
    });

    const prometheus = async (pathname: string) => {
        const { code, output } = await exec(lab.docker, nameOf("prometheus"), ["wget", "-qO-", `http://127.0.0.1:9090${pathname}`]);
        assert.equal(code, 0, output);
        return JSON.parse(output) as { data: unknown };
    };

    it("has Prometheus scrape every target it is configured for, and every one is up", async () => {
        const configured = YAML.parse(uploadOf(plan, "prometheus", "/etc/osint/prometheus/prometheus.yml")) as {
            scrape_configs: { job_name: string }[];
        };
        const jobs = configured.scrape_configs.map((c) => c.job_name).sort();
        type Target = { labels: { job: string }; health: string; lastError: string; scrapeUrl: string };
        const targets = await until(
            async () => {
                const { data } = await prometheus("/api/v1/targets?state=active");
                const active = (data as { activeTargets: Target[] }).activeTargets;
                return active.length > 0 && active.every((t) => t.health === "up") ? active : undefined;
            },
            () => "every target up",
            // Two of the plan's scrape intervals at most.
            2 * 60_000,
        ).catch(async (err: Error) => {
            const { data } = await prometheus("/api/v1/targets?state=active");
            const down = (data as { activeTargets: Target[] }).activeTargets
                .filter((t) => t.health !== "up")
                .map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`);
            throw new Error(`${err.message}; down: ${down.join("; ")}`);
        });
        assert.deepEqual([...new Set(targets.map((t) => t.labels.job))].sort(), jobs);
    });

    it("writes a backup file into the backups volume", async () => {
        // The stack output names the volume ("docker volume <name>"); the container says where it mounts it.
        const volumeName = String(plan.outputs.backups).split(" ").pop();
        const backups = containerOf(plan, "backups");
        const volume = ((backups.inputs.volumes ?? []) as { containerPath: string; volumeName?: string }[]).find((v) => v.volumeName === volumeName);
        assert.ok(volume, `the backups container mounts ${volumeName}`);
        const listing = await until(
            async () => {
                const { code, output } = await exec(lab.docker, nameOf("backups"), ["ls", volume.containerPath]);
                return code === 0 && /^osint_platform-\d{8}T\d{6}Z\.dump$/m.test(output) ? output : undefined;
            },
            () => `a dump in ${volume.volumeName}`,
            60_000,
        );
        assert.match(listing, /\.dump/);
        // The metric the backup's uid wrote into its own volume reaches Prometheus through the exporter's (another uid, read-only).
        const metric = await until(
            async () => {
                const { data } = await prometheus(`/api/v1/query?query=${BACKUP_METRIC}`);
                const result = (data as { result: { value: [number, string] }[] }).result;
                return result.length > 0 ? result : undefined;
            },
            () => `${BACKUP_METRIC} in Prometheus`,
            60_000,
        );
        assert.ok(Number(metric[0].value[1]) > 0, JSON.stringify(metric));
    });

    it("reports the database unhealthy while it is stopped, with the DatabaseDown alert's expression firing, and recovers when it starts", async () => {
        const rules = YAML.parse(uploadOf(plan, "prometheus", "/etc/osint/prometheus/rules/alerts.yml")) as {
            groups: { rules: { alert: string; expr: string }[] }[];
        };
        const alert = rules.groups.flatMap((g) => g.rules).find((r) => r.alert === "DatabaseDown");
        assert.ok(alert, "the alert rules have DatabaseDown");
        const firing = async () => {
            const { data } = await prometheus(`/api/v1/query?query=${encodeURIComponent(alert.expr)}`);
            return (data as { result: unknown[] }).result.length > 0;
        };
        assert.equal(await firing(), false, "DatabaseDown's expression is quiet while the database runs");
        const database = lab.docker.getContainer(nameOf("database"));
        await database.stop();
        try {
            const health = await until(
                async () => {
                    const answer = await get(httpsPort(), "/healthz", certificate(), domain());
                    return answer.status !== 200 ? answer : undefined;
                },
                () => "/healthz reporting the database",
                2 * 60_000,
            );
            assert.equal(health.status, 503, health.body);
            assert.match(String((JSON.parse(health.body) as Record<string, unknown>).database), /^unhealthy/, health.body);
            await until(
                async () => ((await firing()) ? true : undefined),
                () => `${alert.expr} firing`,
                2 * 60_000,
            );
        } finally {
            await database.start();
        }
        // Everything recovers: every service whose health check failed through the outage passes again.
        await lab.stack.waitHealthy();
        await until(
            async () => {
                const answer = await get(httpsPort(), "/healthz", certificate(), domain());
                return answer.status === 200 ? answer : undefined;
            },
            () => "/healthz healthy again",
            60_000,
        );
        await until(
            async () => ((await firing()) ? undefined : true),
            () => `${alert.expr} quiet again`,
            2 * 60_000,
        );
    });

    it("contains a fork storm: one service exhausts its own process limit while another, under its own uid, stays healthy", async () => {
        const stormy = containerOf(plan, "playwright");
        const calm = containerOf(plan, "backend");
        assert.notEqual(stormy.inputs.user, calm.inputs.user, "each service runs as its own uid (nproc counts per uid across the host)");
        // Threads until the kernel refuses one (RLIMIT_NPROC), then held, at the limit, until its stdin
        // closes (at most 30 s) while the other service is probed.
        const storm = [
            "python",
            "-c",
            [
                "import select, sys, threading, time",
                "threads = []",
                "try:",
                "    while True:",
                "        t = threading.Thread(target=time.sleep, args=(60,), daemon=True); t.start(); threads.append(t)",
                "except RuntimeError as error:",
                "    print('refused after', len(threads), error, flush=True)",
                "    select.select([sys.stdin], [], [], 30)",
            ].join("\n"),
        ];
        const stormRun = await execStart(lab.docker, String(stormy.inputs.name), storm, true);
        let calmProbe: { code: number; output: string };
        let health: { status: number; body: string };
        try {
            await until(
                async () => (/refused after/.test(stormRun.output()) ? true : undefined),
                () => `the storm in ${String(stormy.inputs.name)} reaching its limit: ${stormRun.output()}`,
                30_000,
            );
            // While it holds: the calm service's own health check (its plan's command, a new process) and /healthz.
            const probe = (calm.inputs.healthcheck as { tests: string[] }).tests.slice(1);
            calmProbe = await exec(lab.docker, String(calm.inputs.name), probe);
            health = await get(httpsPort(), "/healthz", certificate(), domain());
        } finally {
            stormRun.closeStdin();
        }
        const { output } = await stormRun.finished;
        assert.match(output, /refused after \d+ can't start new thread/, `the storm reached its limit: ${output}`);
        assert.equal(calmProbe.code, 0, `${calm.name}'s health check during the storm: ${calmProbe.output}`);
        assert.equal(health.status, 200, health.body);
    });

    {
        const oneShotJobs = (p: Plan) =>
            p.resources
                .filter((r) => r.type === CONTAINER && ((r.inputs.labels ?? []) as { label: string }[]).some((l) => l.label === RUN_LABEL))
                .map((r) => r.name)
                .sort();

        it("re-applying an unchanged plan replaces exactly the one-shot jobs (their run label is new each run)", async () => {
            const again = await lab.plan();
            const result: UpResult = await lab.stack.up(again);
            assert.deepEqual([...result.replaced].sort(), oneShotJobs(again));
            assert.deepEqual(result.updated, []);
            assert.deepEqual(result.created, []);
            plan = again;
        });

        it("re-applying with a new memory size updates the service in place and replaces exactly the containers whose uploads changed; volume data survives", async () => {
            // The design's dev size for the backend, changed the way an edit of components/shared/sizing.ts would.
            const size = sizes.development.backend as { memoryMb: number };
            const original = size.memoryMb;
            const backendId = async () => (await lab.docker.getContainer(nameOf("backend")).inspect()).Id;
            const before = await backendId();
            const marker = `survives-${Date.now()}`;
            const prometheusName = nameOf("prometheus");
            assert.equal((await exec(lab.docker, prometheusName, ["sh", "-c", `echo ${marker} > /prometheus/lab-marker`])).code, 0);
            size.memoryMb = original + 128;
            let changed: Plan;
            try {
                changed = await lab.plan();
            } finally {
                size.memoryMb = original;
            }
            // The seeds whose uploads changed, and the containers they serve (labelled with the uploads' hash).
            const seedsChanged = changed.resources
                .filter((r) => r.type === CONTAINER)
                .filter((r) => {
                    const old = plan.resources.find((o) => o.urn === r.urn);
                    return old && JSON.stringify(old.inputs.uploads) !== JSON.stringify(r.inputs.uploads);
                });
            const served = seedsChanged.map((seed) => {
                const target = changed.resources.filter((r) => r.type === CONTAINER && r.inputs.name === labelOf(seed, UPLOAD_SEED_LABEL));
                assert.equal(target.length, 1, `${seed.name} serves one container`);
                return target[0].name;
            });
            assert.ok(served.includes("monitoring-prometheus"), `prometheus's alert thresholds derive from limits; uploads changed for: ${served.join(", ")}`);
            const result = await lab.stack.up(changed);
            plan = changed;
            assert.deepEqual(result.updated, ["backend-container"]);
            assert.deepEqual([...result.replaced].sort(), [...new Set([...oneShotJobs(changed), ...seedsChanged.map((r) => r.name), ...served])].sort());
            assert.equal(await backendId(), before, "the backend container is the same one");
            const inspected = await lab.docker.getContainer(nameOf("backend")).inspect();
            assert.equal(inspected.HostConfig.Memory, (original + 128) * 1024 * 1024);
            await lab.stack.waitHealthy();
            const { output } = await exec(lab.docker, nameOf("prometheus"), ["cat", "/prometheus/lab-marker"]);
            assert.equal(output.trim(), marker, "the prometheus_data volume kept its data through the replacement");
        });
    }

    it("leaves no container, network, volume, daemon or folder behind after teardown", async () => {
        const docker = lab.docker;
        const names = [...lab.stack.containerNames().values()];
        const { private: privateEngine, folder } = engine!;
        await teardown();
        if (privateEngine) {
            assert.equal(fs.existsSync(folder!), false, "the private daemon's folder is removed");
            await assert.rejects(docker.ping(), "the private daemon is stopped");
        } else {
            const left = await docker.listContainers({ all: true, filters: { name: names } });
            assert.deepEqual(
                left.map((c) => c.Names),
                [],
            );
            const named = (type: string) => plan.resources.filter((r) => r.type === type).map((r) => String(r.inputs.name));
            const networks = (await docker.listNetworks()).map((n) => n.Name).filter((n) => named("docker:index/network:Network").includes(n));
            const volumes = ((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name).filter((n) => named("docker:index/volume:Volume").includes(n));
            assert.deepEqual([...networks, ...volumes], []);
        }
    });
});
