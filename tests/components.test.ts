// Each component alone, under the same mocks as the plan: its type token, its children, its guards.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Backups } from "../components/backups";
import { Cache } from "../components/cache";
import { Database } from "../components/database";
import { roles } from "../components/database/roles";
import { Monitoring } from "../components/monitoring";
import { dockerAttachment, Network } from "../components/network";
import { ReverseProxy } from "../components/proxy";
import { CONFIG_PATH as NGINX_CONFIG_PATH } from "../components/proxy/docker";
import { Service } from "../components/service";
import { ApplicationImages } from "../components/service/application-images";
import { applicationServices, serviceDefinitions } from "../components/service/catalog";
import { hardenedContainer, TMPFS_OPTIONS } from "../components/docker/container";
import { sizes } from "../components/shared/sizing";
import type { Plan } from "../lib/plan-engine";
import { CONTAINER, input, ofType, planOf, projectDir, uploadSeedOf } from "./helpers/plan";
import { serviceOf } from "../components/docker/labels";

const dev = sizes.development;

/** The component's own resource and the types of its children, which must all be parented to it. */
function component(plan: Plan, type: string) {
    const [own] = ofType(plan, type);
    assert.ok(own, `${type} registered`);
    const children = plan.resources.filter((r) => r.parent === own.urn);
    return { own, childTypes: children.map((c) => c.type).sort() };
}

describe("components alone (docker)", () => {
    it("Network: an internal network, an edge and an egress", async () => {
        const plan = await planOf(() => new Network("net", { target: "docker" }));
        const { childTypes } = component(plan, "osint:network:Network");
        assert.deepEqual(childTypes, Array(3).fill("docker:index/network:Network"));
        assert.deepEqual(
            ofType(plan, "docker:index/network:Network").map((n) => n.inputs.internal),
            [true, false, false],
        );
    });

    it("Database: image, volume, a generated password for the superuser and each role, and the container", async () => {
        const plan = await planOf(() => {
            const network = new Network("net", { target: "docker" });
            return new Database("db", {
                target: "docker",
                environment: "development",
                network: network.attachment,
                size: dev.database,
                initScriptsDir: "/srv/init",
            });
        });
        const { childTypes } = component(plan, "osint:data:Database");
        assert.deepEqual(childTypes, [
            "docker:index/container:Container",
            "docker:index/remoteImage:RemoteImage",
            "docker:index/volume:Volume",
            "osint:docker:ContainerUploads",
            // The superuser's and each role's.
            ...Array(1 + roles.length).fill("random:index/randomPassword:RandomPassword"),
        ]);
        const passwords = ofType(plan, "random:index/randomPassword:RandomPassword");
        for (const p of passwords) assert.deepEqual([p.inputs.length, p.inputs.special], [32, false]);
        const [db] = ofType(plan, CONTAINER).filter((c) => c.inputs.start !== false);
        assert.ok(input<string[]>(db, "envs").includes("OSINT_APP_PASSWORD_FILE=/run/secrets/osint_app_password"));
    });

    it("Database: staging and production run the design's production settings", async () => {
        const { settingsFor } = await import("../components/database/settings");
        assert.deepEqual(settingsFor("staging"), settingsFor("production"));
        // environment-architecture.md line 100: "max_connections = 200" (production); line 91: "max_connections = 100".
        assert.equal(settingsFor("production").max_connections, 200);
        assert.equal(settingsFor("development").max_connections, 100);
    });

    it("Cache: one generated password, a persistent volume and the container", async () => {
        const plan = await planOf(() => {
            const network = new Network("net", { target: "docker" });
            return new Cache("cache", { target: "docker", network: network.attachment, size: dev.redis });
        });
        const { childTypes } = component(plan, "osint:data:Cache");
        assert.deepEqual(childTypes, [
            "docker:index/container:Container",
            "docker:index/remoteImage:RemoteImage",
            "docker:index/volume:Volume",
            "osint:docker:ContainerUploads",
            "random:index/randomPassword:RandomPassword",
        ]);
    });

    it("Service: runs the content id it is given; a registry image mounts no source", async () => {
        const plan = await planOf(() => {
            const network = new Network("net", { target: "docker" });
            return new Service("backend", {
                target: "docker",
                service: "backend",
                definition: serviceDefinitions.backend,
                image: { kind: "registry", reference: "ghcr.io/osint-platform/backend:1.2.3" },
                imageId: "sha256:0123",
                size: dev.backend,
                network: network.attachment,
                env: { ENVIRONMENT: "development" },
                secretFiles: [],
            });
        });
        const { childTypes } = component(plan, "osint:app:Service");
        assert.deepEqual(childTypes, ["docker:index/container:Container"]);
        const [backend] = ofType(plan, CONTAINER);
        assert.equal(backend.inputs.image, "sha256:0123");
        assert.deepEqual(backend.inputs.volumes, []);
    });

    it("ApplicationImages: one build per distinct context, target and build arguments, one pull per registry reference", async () => {
        const build = (context: string, uid = "10001") =>
            ({
                kind: "build",
                context,
                target: "development",
                imageName: `x/${path.basename(context)}:1`,
                dependencyDir: "/app/.venv",
                args: { APP_UID: uid },
            }) as const;
        // The stand-ins' contexts: the image mock reads a context's files, as the provider does.
        const [python, web] = ["python-service", "frontend"].map((name) => path.join(projectDir, "images", name));
        const ids: Record<string, pulumi.Output<string>> = {};
        const plan = await planOf(() => {
            const images = new ApplicationImages("images", {
                target: "docker",
                // Every service of the catalog, so a service added there needs no edit here.
                sources: Object.fromEntries(
                    applicationServices.map((s) => [s, build(serviceDefinitions[s].runtime === "node" ? web : python, s === "playwright" ? "10003" : "10001")]),
                ) as never,
            });
            for (const service of ["backend", "ai-processor", "playwright", "frontend"] as const) ids[service] = images.id(service);
            new ApplicationImages("pulled", {
                target: "docker",
                sources: Object.fromEntries(applicationServices.map((s) => [s, { kind: "registry", reference: `ghcr.io/o/${s}:1.0.0` }])) as never,
            });
        });
        assert.deepEqual(component(plan, "osint:app:Images").childTypes, Array(3).fill("docker:index/image:Image"));
        assert.equal(ofType(plan, "docker:index/remoteImage:RemoteImage").length, applicationServices.length);
        const [backend, aiProcessor, playwright, frontend] = await Promise.all(
            ["backend", "ai-processor", "playwright", "frontend"].map((s) => new Promise((r) => ids[s].apply(r))),
        );
        assert.equal(backend, aiProcessor);
        assert.notEqual(backend, playwright, "another build argument, another image");
        assert.notEqual(backend, frontend);
        assert.throws(() => new ApplicationImages("images", { target: "aws", sources: {} as never }), /only docker stacks obtain images themselves/);
    });

    it("ReverseProxy: key, self-signed certificate and nginx; HTTPS on 443 leaves the port out of the URL", async () => {
        let url: pulumi.Output<string> | undefined;
        const plan = await planOf(() => {
            const network = new Network("net", { target: "docker" });
            const proxy = new ReverseProxy("proxy", {
                target: "docker",
                network: network.attachment,
                size: dev.nginx,
                domainName: "osint.test",
                httpPort: 80,
                httpsPort: 443,
                publishAddress: "192.0.2.10",
                rateLimitPerSecond: 5,
                rateLimitBurst: 7,
                frontend: { host: "frontend", port: 3000 },
                backend: { host: "backend", port: 8000 },
            });
            url = proxy.url;
        });
        const { childTypes } = component(plan, "osint:edge:ReverseProxy");
        assert.deepEqual(childTypes, [
            "docker:index/container:Container",
            "docker:index/remoteImage:RemoteImage",
            "osint:docker:ContainerUploads",
            "tls:index/privateKey:PrivateKey",
            "tls:index/selfSignedCert:SelfSignedCert",
        ]);
        const [nginx] = ofType(plan, CONTAINER).filter((c) => c.inputs.start !== false);
        assert.deepEqual(input(nginx, "ports"), [
            { internal: 8080, external: 80, ip: "192.0.2.10", protocol: "tcp" },
            { internal: 8443, external: 443, ip: "192.0.2.10", protocol: "tcp" },
        ]);
        const conf = (
            input<{ file: string; content: string }[]>(uploadSeedOf(plan, nginx)!, "uploads").find((u) => u.file === NGINX_CONFIG_PATH) ?? { content: "" }
        ).content;
        assert.match(conf, /return 301 https:\/\/\$host\$request_uri;/);
        assert.match(conf, /rate=5r\/s;/);
        assert.match(conf, /burst=7 nodelay;/);
        assert.doesNotMatch(conf, /grafana/);
        assert.equal(await new Promise((resolve) => url?.apply(resolve)), "https://osint.test");
    });

    it("Monitoring without Grafana: Prometheus and the two exporters only", async () => {
        const plan = await planOf(() => {
            const network = new Network("net", { target: "docker" });
            return new Monitoring("mon", {
                target: "docker",
                environment: "development",
                network: network.attachment,
                sizes: dev,
                retentionDays: 45,
                grafana: false,
                applicationTargets: [{ job: "backend", address: "backend:8000" }],
                database: {
                    host: "database",
                    port: 5432,
                    name: "osint_platform",
                    user: "postgres",
                    passwordFile: { name: "postgres_password", content: pulumi.secret("x") },
                },
                cache: { host: "redis", port: 6379, password: pulumi.secret("y") },
            });
        });
        const hostnames = ofType(plan, CONTAINER)
            .filter((c) => c.inputs.start !== false)
            .map((c) => serviceOf(c))
            .sort();
        assert.deepEqual(hostnames, ["postgres-exporter", "prometheus", "redis-exporter"]);
        const prometheus = ofType(plan, CONTAINER).find((c) => serviceOf(c) === "prometheus");
        assert.ok(prometheus && input<string[]>(prometheus, "command").includes("--storage.tsdb.retention.time=45d"));
    });

    it("Backups: the retention it is given reaches the job", async () => {
        const plan = await planOf(() => {
            const network = new Network("net", { target: "docker" });
            return new Backups("backups", {
                target: "docker",
                network: network.attachment,
                size: dev.backups,
                metricsSize: dev["backup-metrics"],
                retentionDays: 9,
                database: { host: "database", port: 5432, name: "osint_platform", user: "postgres", password: pulumi.secret("z") },
            });
        });
        const { childTypes } = component(plan, "osint:data:Backups");
        assert.deepEqual(childTypes, [
            ...Array(2).fill("docker:index/container:Container"),
            ...Array(2).fill("docker:index/remoteImage:RemoteImage"),
            ...Array(2).fill("docker:index/volume:Volume"),
            "osint:docker:ContainerUploads",
        ]);
        const job = ofType(plan, CONTAINER).find((c) => serviceOf(c) === "backups");
        assert.ok(job);
        assert.ok(input<string[]>(job, "envs").includes("BACKUP_RETENTION_DAYS=9"));
    });
});

describe("hardened container guards", () => {
    const base = (network: Network) => ({
        service: "probe",
        image: "busybox:1.36",
        user: "1000:1000",
        size: { memoryMb: 16, cpus: 0.1 },
        healthcheck: ["CMD", "true"],
        networks: dockerAttachment(network.attachment, "probe"),
    });

    for (const user of ["root", "0", "0:0", "0:1000", "root:root", ""]) {
        it(`refuses to run as ${JSON.stringify(user)}`, async () => {
            await assert.rejects(
                planOf(() => {
                    const network = new Network("net", { target: "docker" });
                    hardenedContainer("probe", { ...base(network), user }, network);
                }),
                /must run as a non-root user/,
            );
        });
    }

    it("keeps the root read-only: uploads go through a never-started seed into volumes the container mounts read-only; a file outside /etc/osint is refused", async () => {
        const run = (configPath: string) =>
            planOf(() => {
                const network = new Network("net", { target: "docker" });
                hardenedContainer(
                    "probe",
                    { ...base(network), secretFiles: [{ name: "token", content: pulumi.secret("s") }], configFiles: [{ path: configPath, content: "x" }] },
                    network,
                );
            });
        const plan = await run("/etc/osint/probe/probe.conf");
        const containers = ofType(plan, CONTAINER);
        const probe = containers.find((c) => c.inputs.start !== false)!;
        const seed = containers.find((c) => c.inputs.start === false)!;
        assert.equal(containers.length, 2);
        assert.deepEqual([probe.inputs.readOnly, probe.inputs.tmpfs, probe.inputs.uploads], [true, { "/tmp": TMPFS_OPTIONS }, undefined]);
        const volumes = [
            { containerPath: "/run/secrets", volumeName: `${String(probe.inputs.name)}-secrets` },
            { containerPath: "/etc/osint", volumeName: `${String(probe.inputs.name)}-config` },
        ];
        assert.deepEqual(
            probe.inputs.volumes,
            volumes.map((v) => ({ ...v, readOnly: true })),
        );
        assert.deepEqual(
            [seed.inputs.start, seed.inputs.mustRun, seed.inputs.readOnly, seed.inputs.volumes],
            [false, false, undefined, volumes.map((v) => ({ ...v, readOnly: false }))],
        );
        assert.deepEqual(
            input<{ file: string }[]>(seed, "uploads").map((u) => u.file),
            ["/run/secrets/token", "/etc/osint/probe/probe.conf"],
        );
        assert.deepEqual(component(plan, "osint:docker:ContainerUploads").childTypes.sort(), [
            "docker:index/container:Container",
            "docker:index/volume:Volume",
            "docker:index/volume:Volume",
            "random:index/randomId:RandomId",
        ]);
        await assert.rejects(run("/etc/probe/probe.conf"), /probe: configuration files go under \/etc\/osint\/, got \/etc\/probe\/probe.conf/);
    });

    it("refuses a secret in the environment", async () => {
        await assert.rejects(
            planOf(() => {
                const network = new Network("net", { target: "docker" });
                hardenedContainer("probe", { ...base(network), env: { API_TOKEN: pulumi.secret("hunter2") } }, network);
            }),
            /environment variable API_TOKEN would carry a secret; pass it as a secret file/,
        );
    });
});
