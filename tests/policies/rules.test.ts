// Each rule against hand-made fixtures: a happy-path resource passes; changing one property of it
// produces the rule's violation. Docker and AWS forms wherever the rule guards both.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CheckedResource } from "../../policies/offline";
import { propertyOf } from "../../policies/lib/report";
import { rules, summaryOf } from "../../policies/rules";
import { rootUserProblem } from "../../policies/rules/container-non-root";
import { UPLOADS_VOLUME } from "../../policies/rules/deletion-protection";
import { unpinnedImageProblem } from "../../policies/rules/image-pinned";
import { plaintextSecretProblem } from "../../policies/rules/no-plaintext-secrets";
import { projectDir } from "../helpers/plan";
import { editContainer, messages, resource, T } from "./helpers";

type Inputs = Record<string, unknown>;

const happy = {
    container: () =>
        resource(T.container, {
            image: "postgres:15-alpine",
            user: "70:70",
            memory: 1024,
            cpus: "1",
            envs: ["POSTGRES_USER=postgres", "POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password", "BACKUP_RETENTION_DAYS=30"],
            healthcheck: { tests: ["CMD", "pg_isready", "-h", "127.0.0.1"], interval: "30s", timeout: "10s", retries: 3 },
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "5" },
            ports: [{ internal: 8443, external: 8443 }],
        }),
    task: () =>
        resource(T.task, {
            family: "osint-prod-backend",
            cpu: "1024",
            memory: "2048",
            containerDefinitions: JSON.stringify([
                {
                    name: "backend",
                    image: "ghcr.io/osint-platform/backend:0.1.0",
                    user: "10001:10001",
                    cpu: 1024,
                    memory: 2048,
                    environment: [
                        { name: "DB_HOST", value: "db.internal" },
                        { name: "DB_PASSWORD_FILE", value: "/run/secrets/db" },
                    ],
                    secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db" }],
                    healthCheck: { command: ["CMD-SHELL", "curl -fsS http://127.0.0.1:8000/healthz"], interval: 30 },
                },
            ]),
        }),
    rds: () =>
        resource(T.rds, {
            engine: "postgres",
            storageEncrypted: true,
            kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/db",
            publiclyAccessible: false,
            backupRetentionPeriod: 30,
            deletionProtection: true,
            parameterGroupName: "osint-prod-postgres15",
        }),
    parameterGroup: () =>
        resource(T.parameterGroup, {
            name: "osint-prod-postgres15",
            family: "postgres15",
            parameters: [
                { name: "shared_buffers", value: "131072" },
                { name: "rds.force_ssl", value: "1" },
            ],
        }),
    bucket: () => resource(T.bucket, { bucket: "osint-prod-alb-access-logs", forceDestroy: false }, { name: "logs" }),
    sse: (bucket = "logs-id") =>
        resource(T.sse, {
            bucket,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/s3" } }],
        }),
    bucketPolicy: (bucket = "logs-id") =>
        resource(T.bucketPolicy, {
            bucket,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::127311923021:root" },
                        Action: "s3:PutObject",
                        Resource: "arn:aws:s3:::osint-prod-alb-access-logs/*",
                    },
                    {
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: ["arn:aws:s3:::osint-prod-alb-access-logs", "arn:aws:s3:::osint-prod-alb-access-logs/*"],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        }),
};

interface Mutation {
    readonly change: string;
    readonly apply: (resources: CheckedResource[]) => void;
    readonly expect: RegExp;
}

/** The happy-path resources pass; each mutation (one property changed) makes the rule report `expect`. */
function spec(rule: string, form: string, fixtures: () => CheckedResource[], mutations: Mutation[], properties: Inputs = {}): void {
    describe(`${rule} (${form})`, () => {
        it("passes the happy path", async () => {
            assert.deepEqual(await messages(rule, fixtures(), properties), []);
        });
        for (const { change, apply, expect } of mutations) {
            it(`fails when ${change}`, async () => {
                const resources = fixtures();
                apply(resources);
                const found = await messages(rule, resources, properties);
                assert.ok(
                    found.some((m) => expect.test(m)),
                    `expected a violation matching ${expect}, got ${JSON.stringify(found)}`,
                );
                // Every message names its property first (at()), for the check's property field.
                for (const message of found) assert.notEqual(propertyOf(message), null, message);
            });
        }
    });
}

/** A mutation of the first fixture's inputs. */
function change(description: string, apply: (inputs: Inputs) => void, expect: RegExp): Mutation {
    return { change: description, apply: ([first]) => apply(first.inputs), expect };
}

function ecs(description: string, edit: (container: Inputs) => void, expect: RegExp): Mutation {
    return { change: description, apply: ([task]) => editContainer(task, edit), expect };
}

describe("policy rules on fixtures", () => {
    it("every rule has its own kebab-case file, a one-sentence description, remediation text and controls shown in the description", () => {
        const files = fs.readdirSync(path.join(projectDir, "policies", "rules")).filter((f) => f !== "index.ts");
        assert.deepEqual(rules.map((r) => `${r.name}.ts`).sort(), files.sort());
        for (const rule of rules) {
            assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
            assert.match(summaryOf(rule), /^Checks that .+\.$/);
            assert.ok((rule.remediationSteps ?? "").length > 20, rule.name);
            assert.ok(rule.controls.length > 0, rule.name);
            assert.ok(rule.description.endsWith(` Controls: ${rule.controls.join(", ")}.`), rule.name);
        }
    });

    it("reads root users, unpinned images and credential-like names as the issue defines them", () => {
        for (const user of [undefined, "", " ", "root", "0", "0:0", "0:1000", "root:root", "000"])
            assert.ok(rootUserProblem(user), `user ${JSON.stringify(user)}`);
        for (const user of ["10001:10001", "70", "1000:0", "postgres"]) assert.equal(rootUserProblem(user), undefined, `user ${user}`);
        for (const image of [undefined, "", "postgres", "postgres:latest", "registry:5000/app", "ghcr.io/org/app:"])
            assert.ok(unpinnedImageProblem(image), `image ${JSON.stringify(image)}`);
        for (const image of ["postgres:15-alpine", "registry:5000/app:1.2", `app@sha256:${"a".repeat(64)}`, `sha256:${"b".repeat(64)}`])
            assert.equal(unpinnedImageProblem(image), undefined, image);
        for (const name of [
            "PASSWORD",
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "API_KEY",
            "APIKEY",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            // FSBP ECS.8 names it: the ECS agent's private registry credentials.
            "ECS_ENGINE_AUTH_DATA",
            "GITHUB_TOKEN",
            "CLIENT_SECRET",
            "db.password",
            "redis-pass",
        ]) {
            assert.ok(plaintextSecretProblem({ name, value: "x" }), name);
        }
        for (const [name, value] of [
            ["DB_PASSWORD_FILE", "/run/secrets/db"],
            ["DB_PASSWORD", ""],
            ["DB_HOST", "db"],
            ["KEYCLOAK_URL", "https://id"],
            ["MONKEY", "x"],
            ["ECS_ENGINE_TASK_IAM_ROLE_ENABLED", "true"],
        ]) {
            assert.equal(plaintextSecretProblem({ name, value }), undefined, name);
        }
        assert.ok(plaintextSecretProblem({ name: "", value: "[secret]" }), "an entry that is not NAME=value");
    });

    spec("container-non-root", "docker", () => [happy.container()], [
        change("user is unset", (i) => delete i.user, /non-root.*no user/),
        change("user is empty", (i) => (i.user = ""), /no user/),
        change("user is root", (i) => (i.user = "root"), /runs as root/),
        change("user is 0", (i) => (i.user = "0"), /runs as root/),
        change("user is 0:70", (i) => (i.user = "0:70"), /runs as root/),
    ]);
    spec("container-non-root", "aws", () => [happy.task()], [
        ecs("a container's user is unset", (c) => delete c.user, /container backend sets no user/),
        ecs("a container's user is root", (c) => (c.user = "root"), /container backend runs as root/),
        ecs("a container's user is 0:0", (c) => (c.user = "0:0"), /runs as root/),
        change("containerDefinitions is unreadable", (i) => (i.containerDefinitions = "[secret]"), /readable JSON array/),
    ]);

    spec("container-resource-limits", "docker", () => [happy.container()], [
        change("memory is unset", (i) => delete i.memory, /memory limit/),
        change("memory is 0", (i) => (i.memory = 0), /memory limit/),
        change("cpus is unset", (i) => delete i.cpus, /CPU limit/),
        change("cpus is 0", (i) => (i.cpus = "0"), /CPU limit/),
    ]);
    spec("container-resource-limits", "aws", () => [happy.task()], [
        change("the task's memory is unset", (i) => delete i.memory, /ECS tasks must have a memory limit/),
        change("the task's cpu is unset", (i) => delete i.cpu, /ECS tasks must have a CPU limit/),
        ecs("a container's memory is unset", (c) => delete c.memory, /container backend has memory/),
        ecs("a container's cpu is 0", (c) => (c.cpu = 0), /container backend has cpu/),
    ]);

    spec("rds-storage-encrypted", "aws", () => [happy.rds()], [
        change("storageEncrypted is false", (i) => (i.storageEncrypted = false), /storageEncrypted is false, not true/),
        change("storageEncrypted is unset", (i) => delete i.storageEncrypted, /storageEncrypted is undefined, not true/),
        change("kmsKeyId is unset", (i) => delete i.kmsKeyId, /kmsKeyId is not set/),
    ]);

    spec("rds-force-ssl", "aws", () => [happy.rds(), happy.parameterGroup()], [
        change("the instance uses a default parameter group", (i) => (i.parameterGroupName = "default.postgres15"), /names no parameter group/),
        change("the instance names no parameter group", (i) => delete i.parameterGroupName, /names no parameter group/),
        {
            change: "the group sets rds.force_ssl=0",
            apply: ([, group]) => (group.inputs.parameters = [{ name: "rds.force_ssl", value: "0" }]),
            expect: /sets rds.force_ssl to "0"/,
        },
        {
            change: "the group omits rds.force_ssl",
            apply: ([, group]) => (group.inputs.parameters = [{ name: "shared_buffers", value: "131072" }]),
            expect: /sets rds.force_ssl to undefined/,
        },
    ]);

    spec(
        "elasticache-encryption",
        "aws",
        () => [resource(T.redis, { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/redis" })],
        [
            change("atRestEncryptionEnabled is false", (i) => (i.atRestEncryptionEnabled = false), /at rest/),
            change("atRestEncryptionEnabled is unset", (i) => delete i.atRestEncryptionEnabled, /at rest/),
            change("transitEncryptionEnabled is false", (i) => (i.transitEncryptionEnabled = false), /in transit/),
        ],
    );

    spec("s3-bucket-encryption", "aws", () => [happy.bucket(), happy.sse()], [
        {
            change: "the configuration uses no algorithm",
            apply: ([, sse]) => (sse.inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "" } }]),
            expect: /default server-side encryption/,
        },
        { change: "the configuration has no rules", apply: ([, sse]) => (sse.inputs.rules = []), expect: /default server-side encryption/ },
        { change: "the configuration is for another bucket", apply: ([, sse]) => (sse.inputs.bucket = "other-bucket"), expect: /bucket logs/ },
    ]);
    spec(
        "s3-bucket-encryption",
        "aws, inline and by bucket name",
        () => [
            resource(T.bucket, {
                bucket: "b",
                serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
            }),
            happy.sse("b"),
        ],
        [
            {
                change: "both inline and separate configurations are removed",
                apply: ([bucket, sse]) => {
                    delete bucket.inputs.serverSideEncryptionConfiguration;
                    sse.inputs.bucket = "c";
                },
                expect: /default server-side encryption/,
            },
        ],
    );

    spec("s3-tls-only", "aws", () => [happy.bucket(), happy.bucketPolicy()], [
        {
            change: "the deny statement allows instead",
            apply: ([, p]) => (p.inputs.policy = (p.inputs.policy as string).replace('"Effect":"Deny"', '"Effect":"Allow"')),
            expect: /only accept TLS/,
        },
        {
            change: "the condition tests aws:SecureTransport=true",
            apply: ([, p]) => (p.inputs.policy = (p.inputs.policy as string).replace('"aws:SecureTransport":"false"', '"aws:SecureTransport":"true"')),
            expect: /only accept TLS/,
        },
        { change: "the policy is for another bucket", apply: ([, p]) => (p.inputs.bucket = "other-bucket"), expect: /bucket logs/ },
        { change: "the policy is not JSON", apply: ([, p]) => (p.inputs.policy = "{"), expect: /only accept TLS/ },
    ]);

    spec(
        "log-group-encrypted",
        "aws",
        () => [resource(T.logGroup, { name: "/osint/prod/backend", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/logs", retentionInDays: 90 })],
        [change("kmsKeyId is unset", (i) => delete i.kmsKeyId, /kmsKeyId is not set/)],
    );

    const https = () =>
        resource(T.listener, {
            protocol: "HTTPS",
            port: 443,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
            defaultActions: [{ type: "fixed-response" }],
        });
    const redirect = () =>
        resource(T.listener, {
            protocol: "HTTP",
            port: 80,
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        });
    spec("alb-https-listener", "aws, HTTPS", () => [https()], [
        change("sslPolicy allows TLS 1.0", (i) => (i.sslPolicy = "ELBSecurityPolicy-2016-08"), /TLS 1.2\+/),
        change("sslPolicy is unset", (i) => delete i.sslPolicy, /TLS 1.2\+/),
        change("protocol is HTTP", (i) => (i.protocol = "HTTP"), /plain HTTP only to redirect/),
    ]);
    spec("alb-https-listener", "aws, HTTP redirect", () => [redirect()], [
        change("HTTP forwards instead of redirecting", (i) => (i.defaultActions = [{ type: "forward", targetGroupArn: "arn" }]), /plain HTTP only to redirect/),
        change("HTTP redirects to HTTP", (i) => (i.defaultActions = [{ type: "redirect", redirect: { protocol: "HTTP" } }]), /plain HTTP only to redirect/),
    ]);
    spec("alb-https-listener", "aws, alb.Listener token", () => [resource(T.albListener, https().inputs)], [
        change("sslPolicy allows TLS 1.1", (i) => (i.sslPolicy = "ELBSecurityPolicy-TLS-1-1-2017-01"), /TLS 1.2\+/),
    ]);

    spec("datastore-not-public", "docker", () => [happy.container()], [
        change("5432 is published on every interface", (i) => (i.ports = [{ internal: 5432, external: 5432 }]), /port 5432 is published/),
        change("6379 is published on 0.0.0.0", (i) => (i.ports = [{ internal: 6379, external: 6379, ip: "0.0.0.0" }]), /port 6379 is published/),
    ]);
    spec(
        "datastore-not-public",
        "aws",
        () => [
            happy.rds(),
            resource(T.securityGroup, { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"] }] }),
            resource(T.securityGroupRule, { type: "ingress", protocol: "tcp", fromPort: 6379, toPort: 6379, sourceSecurityGroupId: "sg-app" }),
            resource(T.ingressRule, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-app" }),
            resource(T.ingressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
        ],
        [
            change("the instance is publicly accessible", (i) => (i.publiclyAccessible = true), /publiclyAccessible is true/),
            change("publiclyAccessible is unset", (i) => delete i.publiclyAccessible, /not false/),
            {
                change: "a security group opens 5432 to 0.0.0.0/0",
                apply: ([, sg]) => (sg.inputs.ingress = [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }]),
                expect: /opens port 5432/,
            },
            {
                change: "a security group opens all ports to ::/0",
                apply: ([, sg]) => (sg.inputs.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }]),
                expect: /opens port 5432, 6379/,
            },
            {
                change: "a security group rule opens 6379 to 0.0.0.0/0",
                apply: ([, , rule]) => (rule.inputs.cidrBlocks = ["0.0.0.0/0"]),
                expect: /opens port 6379/,
            },
            { change: "an ingress rule opens 5432 to ::/0", apply: ([, , , rule]) => (rule.inputs.cidrIpv6 = "::/0"), expect: /opens port 5432/ },
            {
                change: "an open ingress rule widens to a range holding 6379",
                apply: ([, , , , rule]) => (rule.inputs.toPort = 7000),
                expect: /opens port 5432, 6379/,
            },
        ],
    );

    const retention = { minimumDays: 30 };
    spec(
        "backup-retention",
        "docker",
        () => [happy.container()],
        [
            change("BACKUP_RETENTION_DAYS is 29 under a 30-day minimum", (i) => (i.envs = ["BACKUP_RETENTION_DAYS=29"]), /at least 30 days/),
            change("BACKUP_RETENTION_DAYS is not a number", (i) => (i.envs = ["BACKUP_RETENTION_DAYS=thirty"]), /at least 30 days/),
        ],
        retention,
    );
    spec(
        "backup-retention",
        "aws",
        () => [
            happy.rds(),
            resource(T.rdsCluster, { backupRetentionPeriod: 30 }),
            resource(T.backupReplication, { sourceDbInstanceArn: "arn", retentionPeriod: 30 }),
            resource(T.backupPlan, { rules: [{ ruleName: "daily", targetVaultName: "v", lifecycle: { deleteAfter: 35 } }] }),
        ],
        [
            change(
                "backupRetentionPeriod is 29 under a 30-day minimum",
                (i) => (i.backupRetentionPeriod = 29),
                /at least 30 days: backupRetentionPeriod is 29/,
            ),
            change("backupRetentionPeriod is unset", (i) => delete i.backupRetentionPeriod, /backupRetentionPeriod is undefined/),
            { change: "the cluster keeps 7 days", apply: ([, c]) => (c.inputs.backupRetentionPeriod = 7), expect: /RDS clusters/ },
            { change: "replicated backups are kept 7 days", apply: ([, , r]) => (r.inputs.retentionPeriod = 7), expect: /Replicated RDS backups/ },
            { change: "replicated backups use the implicit default", apply: ([, , r]) => delete r.inputs.retentionPeriod, expect: /Replicated RDS backups/ },
            {
                change: "a backup plan deletes after 14 days",
                apply: ([, , , p]) => (p.inputs.rules = [{ ruleName: "daily", targetVaultName: "v", lifecycle: { deleteAfter: 14 } }]),
                expect: /rule "daily" deletes after 14/,
            },
        ],
        retention,
    );

    spec("deletion-protection", "docker", () => [resource(T.volume, { name: "postgres_data" }, { protect: true })], [
        { change: "the volume is not protected", apply: ([volume]) => Object.assign(volume, { protect: false }), expect: /protect is not set/ },
    ]);
    spec("deletion-protection", "docker, a volume of uploads", () => [resource(T.volume, { name: "api-config", labels: [{ ...UPLOADS_VOLUME }] })], [
        {
            change: "its label's value is not uploads",
            apply: ([v]) => (v.inputs.labels = [{ ...UPLOADS_VOLUME, value: "data" }]),
            expect: /protect is not set/,
        },
        { change: "it has no labels", apply: ([v]) => delete v.inputs.labels, expect: /protect is not set/ },
    ]);
    spec("deletion-protection", "aws", () => [happy.rds(), resource(T.rdsCluster, { deletionProtection: true }), happy.bucket()], [
        change("deletionProtection is false", (i) => (i.deletionProtection = false), /RDS instances must have deletion protection/),
        change("deletionProtection is unset", (i) => delete i.deletionProtection, /RDS instances must have deletion protection/),
        { change: "the cluster's deletionProtection is unset", apply: ([, c]) => delete c.inputs.deletionProtection, expect: /RDS clusters/ },
        { change: "the bucket sets forceDestroy", apply: ([, , b]) => (b.inputs.forceDestroy = true), expect: /forceDestroy is true/ },
    ]);

    spec("no-plaintext-secrets", "docker", () => [happy.container()], [
        change("POSTGRES_PASSWORD holds a value", (i) => (i.envs = ["POSTGRES_PASSWORD=hunter2"]), /POSTGRES_PASSWORD holds a literal value/),
        change("an API key holds a value", (i) => (i.envs = ["OPENAI_API_KEY=sk-123"]), /OPENAI_API_KEY/),
        change("an entry is a whole secret", (i) => (i.envs = ["[secret]"]), /not NAME=value/),
    ]);
    spec("no-plaintext-secrets", "aws", () => [happy.task()], [
        ecs(
            "a container's environment holds DB_PASSWORD",
            (c) => (c.environment = [{ name: "DB_PASSWORD", value: "hunter2" }]),
            /container backend: DB_PASSWORD holds a literal value/,
        ),
        ecs("a container's environment holds a TOKEN", (c) => (c.environment = [{ name: "GITHUB_TOKEN", value: "ghp_x" }]), /GITHUB_TOKEN/),
    ]);

    spec(
        "image-pinned",
        "docker",
        () => [
            happy.container(),
            resource(T.remoteImage, { name: "redis:7.4-alpine" }),
            resource(T.image, { imageName: "osint-platform/backend:0.1.0", build: { context: "." } }),
        ],
        [
            change("the container's image is latest", (i) => (i.image = "postgres:latest"), /latest tag/),
            change("the container's image has no tag", (i) => (i.image = "postgres"), /has no tag/),
            { change: "a remote image is latest", apply: ([, image]) => (image.inputs.name = "redis:latest"), expect: /latest tag/ },
            { change: "a built image has no tag", apply: ([, , image]) => (image.inputs.imageName = "osint-platform/backend"), expect: /has no tag/ },
        ],
    );
    spec("image-pinned", "aws", () => [happy.task()], [
        ecs("a container's image is latest", (c) => (c.image = "ghcr.io/osint-platform/backend:latest"), /container backend: .*latest tag/),
        ecs("a container's image has no tag", (c) => (c.image = "ghcr.io/osint-platform/backend"), /has no tag/),
        ecs("a container names no image", (c) => delete c.image, /no image is named/),
    ]);

    spec("log-retention", "docker", () => [happy.container()], [
        change("max-file is unset", (i) => (i.logOpts = { "max-size": "10m" }), /must rotate/),
        change("logOpts are unset", (i) => delete i.logOpts, /must rotate/),
        change("the driver keeps no rotation", (i) => (i.logDriver = "journald"), /must rotate/),
    ]);
    spec(
        "log-retention",
        "aws",
        () => [resource(T.logGroup, { name: "/osint/prod/backend", kmsKeyId: "arn", retentionInDays: 90 })],
        [
            change("retentionInDays is 60 under a 90-day minimum", (i) => (i.retentionInDays = 60), /at least 90: retentionInDays is 60/),
            change("retentionInDays is unset (kept forever)", (i) => delete i.retentionInDays, /retentionInDays is undefined/),
        ],
        { minimumDays: 90 },
    );

    spec("health-checks", "docker", () => [happy.container()], [
        change("healthcheck is unset", (i) => delete i.healthcheck, /health check/),
        change("healthcheck is NONE", (i) => (i.healthcheck = { tests: ["NONE"] }), /health check/),
    ]);
    spec(
        "health-checks",
        "docker, one-shot job",
        () => [resource(T.container, { ...happy.container().inputs, attach: true, restart: "no", healthcheck: { tests: ["NONE"] } })],
        [change("the job becomes a service (not attached)", (i) => delete i.attach, /health check/)],
    );
    // An upload seed (components/docker/container.ts): created with `start: false`, never run, so no
    // health check and a writable root; the same container started is judged as any other.
    const seed = () => {
        const inputs: Inputs = { ...happy.container().inputs, start: false, mustRun: false, readOnly: false };
        delete inputs.healthcheck;
        delete inputs.tmpfs;
        return [resource(T.container, inputs)];
    };
    spec("health-checks", "docker, never-started upload seed", seed, [
        change("it is started (start unset)", (i) => delete i.start, /health check/),
        change("it is started (start true)", (i) => (i.start = true), /health check/),
    ]);
    spec("container-read-only-root", "docker, never-started upload seed", seed, [
        change("the writable container is started (start unset)", (i) => delete i.start, /readOnly is false, not true/),
        change("the writable container is started (start true)", (i) => (i.start = true), /readOnly is false, not true/),
    ]);
    // The service runs the task by its ARN (the fixture's outputs carry the mock id; ARN or family both link).
    const service = (taskDefinition: string) => resource(T.ecsService, { taskDefinition, desiredCount: 2 });
    spec(
        "health-checks",
        "aws",
        () => [
            happy.task(),
            resource(T.targetGroup, { port: 8000, protocol: "HTTP", targetType: "ip", healthCheck: { enabled: true, path: "/healthz", matcher: "200-399" } }),
            service("osint-prod-backend"),
        ],
        [
            ecs("a served container has no healthCheck", (c) => delete c.healthCheck, /container backend has healthCheck.command undefined/),
            ecs("a served container's healthCheck has no command", (c) => (c.healthCheck = { interval: 30 }), /container backend/),
            {
                change: "the target group's health check is disabled",
                apply: ([, tg]) => (tg.inputs.healthCheck = { enabled: false, path: "/healthz" }),
                expect: /Target groups/,
            },
            { change: "the target group has no health check path", apply: ([, tg]) => (tg.inputs.healthCheck = { enabled: true }), expect: /Target groups/ },
        ],
    );
    it("health-checks (aws): a one-off task no service runs needs none; one a service runs by ARN does", async () => {
        const task = happy.task();
        editContainer(task, (c) => delete c.healthCheck);
        assert.deepEqual(await messages("health-checks", [task, service("osint-prod-frontend")]), []);
        const arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/osint-prod-backend:1";
        Object.defineProperty(task, "outputs", { value: { ...task.inputs, arn } });
        assert.equal((await messages("health-checks", [task, service(arn)])).length, 1);
    });
});
