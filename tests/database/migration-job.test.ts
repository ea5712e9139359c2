// The dev migration job under mocks and in the dev stack: a verified backup, then the backend
// image's migration command, then the seed files, each a one-shot container that waits for the
// previous one's exit 0; the data services wait for the last. A non-zero exit stops the rollout.
import { strict as assert } from "node:assert";
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MigrationJob } from "../../components/database/migration-job";
import { Network } from "../../components/network";
import { hardenedContainer, succeeded } from "../../components/docker/container";
import { sizes } from "../../components/shared/sizing";
import type { PlanResource } from "../../lib/plan-engine";
import { CONTAINER, container, input, ofType, planOf, stackPlan, uploadSeedOf, uploadsOf } from "../helpers/plan";
import { serviceOf } from "../../components/docker/labels";

const dev = sizes.development;
const secret = (value: string) => pulumi.secret(value);

function jobPlan() {
    return planOf(() => {
        const network = new Network("net", { target: "docker" });
        const login = (user: string) => ({ host: "database", port: 5432, name: "osint_platform", user, password: secret(`${user}-pw`) });
        return new MigrationJob("migrations", {
            target: "docker",
            environment: "development",
            network: network.attachment,
            image: "ghcr.io/osint-platform/backend:1.2.3",
            command: ["alembic", "upgrade", "head"],
            user: "10001:10001",
            env: { DB_HOST: "database", DB_USER: "osint_migrator" },
            secretFiles: [{ name: "db_password", content: secret("migrator-pw") }],
            sizes: { migrate: dev.backend, helpers: dev.backups },
            database: { superuser: login("postgres"), migrator: login("osint_migrator") },
            retentionDays: 7,
        });
    });
}

const dependsOn = (r: PlanResource) => r.options.dependsOn as string[];

describe("migration job (dev): backup, migrate, seed", () => {
    it("three one-shot containers, each waiting for the previous one; none is ever restarted", async () => {
        const plan = await jobPlan();
        const [backup, migrate, seed] = ["migrate-backup", "migrate", "seed"].map((s) => container(plan, s));
        for (const step of [backup, migrate, seed]) {
            assert.deepEqual([step.inputs.restart, step.inputs.attach, step.inputs.mustRun], ["no", true, false], String(serviceOf(step)));
            assert.deepEqual(input(step, "healthcheck.tests"), ["NONE"]);
            assert.deepEqual(input(step, "capabilities.drops"), ["ALL"]);
        }
        assert.ok(dependsOn(migrate).includes(backup.urn), "migrate waits for the backup");
        assert.ok(dependsOn(seed).includes(migrate.urn), "seed waits for the migrations");
        // Besides the three steps, only the never-started seeds that deliver their files.
        const names = (cs: (PlanResource | undefined)[]) => cs.map((c) => c?.name).sort();
        assert.deepEqual(names(ofType(plan, CONTAINER).filter((c) => c.inputs.start !== false)), names([backup, migrate, seed]));
        assert.deepEqual(
            names(ofType(plan, CONTAINER).filter((c) => c.inputs.start === false)),
            names([backup, migrate, seed].map((step) => uploadSeedOf(plan, step))),
        );
    });

    it("the backup runs osint-backup once as the superuser into its own volume, waiting up to 300 s for a starting database, replaced with every new image", async () => {
        const plan = await jobPlan();
        const backup = container(plan, "migrate-backup");
        assert.deepEqual([input(backup, "entrypoints"), input(backup, "command")], [["/etc/osint/bin/osint-backup"], ["once"]]);
        const env = input<string[]>(backup, "envs");
        for (const e of [
            "PGUSER=postgres",
            "PGDATABASE=osint_platform",
            "BACKUP_RETENTION_DAYS=7",
            "BACKUP_WAIT_SECONDS=300",
            "PGPASSFILE=/run/secrets/pgpass",
            "MIGRATION_IMAGE=ghcr.io/osint-platform/backend:1.2.3",
        ])
            assert.ok(env.includes(e), e);
        // The secret and the script arrive through its seed's volumes, mounted read-only: the root file system is read-only.
        assert.deepEqual(input(backup, "volumes"), [
            { volumeName: "postgres_migration_backups", containerPath: "/var/lib/postgresql", readOnly: false },
            { volumeName: "osint-platform-dev-component-migrate-backup-secrets", containerPath: "/run/secrets", readOnly: true },
            { volumeName: "osint-platform-dev-component-migrate-backup-config", containerPath: "/etc/osint", readOnly: true },
        ]);
        assert.equal(input(backup, "readOnly"), true);
        const uploads = uploadsOf(plan, backup);
        assert.ok(
            uploads.some((u) => u.file.startsWith("/etc/osint/bin/")),
            "the backup script comes through the seed",
        );
        assert.equal(uploads.find((u) => u.file === "/run/secrets/pgpass")?.content, "[secret]");
    });

    it("migrate runs the image's command as osint_migrator, its password from a secret file", async () => {
        const plan = await jobPlan();
        const migrate = container(plan, "migrate");
        assert.deepEqual(
            [input(migrate, "image"), input(migrate, "user"), input(migrate, "command")],
            ["ghcr.io/osint-platform/backend:1.2.3", "10001:10001", ["alembic", "upgrade", "head"]],
        );
        const env = input<string[]>(migrate, "envs");
        assert.ok(env.includes("DB_USER=osint_migrator") && env.includes("DB_PASSWORD_FILE=/run/secrets/db_password"));
        assert.ok(!JSON.stringify(plan).includes("MOCKSECRET") && !JSON.stringify(plan).includes("migrator-pw"), "no password in the plan");
    });

    it("seed runs development's three files in one transaction as osint_migrator", async () => {
        const plan = await jobPlan();
        const seed = container(plan, "seed");
        assert.deepEqual(input(seed, "command"), [
            "psql",
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            "-f",
            "/etc/osint/seed/00-contract.sql",
            "-f",
            "/etc/osint/seed/10-reference.sql",
            "-f",
            "/etc/osint/seed/20-sample.sql",
        ]);
        assert.ok(input<string[]>(seed, "envs").includes("PGUSER=osint_migrator"));
        const files = uploadsOf(plan, seed)
            .map((u) => u.file)
            .sort();
        assert.deepEqual(files, [
            "/etc/osint/seed/00-contract.sql",
            "/etc/osint/seed/10-reference.sql",
            "/etc/osint/seed/20-sample.sql",
            "/run/secrets/pgpass",
        ]);
    });

    it("a step that exits non-zero fails the deployment with its name and code", async () => {
        const job = { exitCode: pulumi.output(3) } as unknown as docker.Container;
        const gate = succeeded(job, "migrate") as unknown as { promise(): Promise<unknown> };
        await assert.rejects(gate.promise(), /migrate: the one-shot job exited with 3; the rollout stops here/);
        const ok = { exitCode: pulumi.output(0) } as unknown as docker.Container;
        assert.equal(await (succeeded(ok, "migrate") as unknown as { promise(): Promise<unknown> }).promise(), ok);
    });

    it("hardenedContainer refuses a one-shot job with a restart policy, and a service without a health check", async () => {
        const base = { image: "postgres:15-alpine", user: "70:70", size: dev.backups };
        await assert.rejects(
            planOf(() => {
                const network = new Network("net", { target: "docker" });
                hardenedContainer(
                    "c",
                    { ...base, service: "job", networks: dockerNetworks(network), healthcheck: ["NONE"], oneShot: { run: "r1" }, restart: "on-failure" },
                    network,
                );
            }),
            /job: oneShot and restart conflict/,
        );
        await assert.rejects(
            planOf(() => {
                const network = new Network("net", { target: "docker" });
                hardenedContainer("c", { ...base, service: "web", networks: dockerNetworks(network), healthcheck: ["NONE"] }, network);
            }),
            /web: only a one-shot job may run without a health check/,
        );
    });

    it("dev stack: the data services (backend, ai-processor) wait for the seed step, the frontend does not", async () => {
        const plan = await stackPlan("dev");
        const seed = container(plan, "seed");
        for (const service of ["backend", "ai-processor"]) assert.ok(dependsOn(container(plan, service)).includes(seed.urn), `${service} waits for seeding`);
        assert.ok(!dependsOn(container(plan, "frontend")).includes(seed.urn));
        assert.deepEqual(
            ofType(plan, "osint:data:MigrationJob").map((r) => r.name),
            ["migrations"],
        );
    });
});

function dockerNetworks(network: Network) {
    if (network.attachment.platform !== "docker") throw new Error("docker network expected");
    return network.attachment.docker;
}
