// Issue 13, items 15-22: Security Hub's foundational controls and least privilege on staging and prod,
// read from the offline plan. Each block names the item and the control it closes.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ImageMirror, UPSTREAMS } from "../../components/cluster/image-mirror";
import { MASTER_USERNAME, SUPERUSER } from "../../components/database/roles";
import { CA_BUNDLE_FILE, CA_BUNDLE_PATH, CA_BUNDLE_VARIABLE, verifyFullEnvironment } from "../../components/database/rds-ca";
import { PSQL_SCRATCH_DIR } from "../../components/aws/psql";
import { FLOW_LOG_ACTIONS, INTERFACE_ENDPOINTS } from "../../components/network/aws";
import { WAF_LOG_GROUP_PREFIX, WAF_REDACTED_HEADERS } from "../../components/proxy/aws";
import { applicationServices, serviceDefinitions } from "../../components/service/catalog";
import { parseConfig } from "../../config";
import { MOCK_ACCOUNT_ID, MOCK_REGION, mockCommandStdout } from "../../lib/mocks";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { ofType, planOf, projectDir, stackPlan, stackPlanWith } from "../helpers/plan";
import { awsStacks, containerOf, one, TYPES } from "./helpers";

interface Statement {
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: { Service?: string };
    Condition?: Record<string, Record<string, string>>;
}
const statements = (json: unknown) => (JSON.parse(String(json)) as { Statement: Statement[] }).Statement;
const list = (v: string | string[] | undefined) => [v ?? []].flat();
const env = (task: PlanResource) => Object.fromEntries(containerOf(task).environment.map((e) => [e.name, e.value]));

const ROLE = "aws:iam/role:Role";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

for (const stack of awsStacks) {
    describe(`${stack}: Security Hub and least privilege (issue 13, items 15-22)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });
        const trust = (role: string) => statements(one(plan, ROLE, role).inputs.assumeRolePolicy);

        it("15: adopts the VPC's default security group with no rule at all (EC2.2)", () => {
            const [closed, ...others] = ofType(plan, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            assert.equal(others.length, 0);
            assert.equal(closed.inputs.vpcId, "network-vpc-id");
            assert.deepEqual([closed.inputs.ingress, closed.inputs.egress], [[], []]);
        });

        it("16: lets the flow-log role do every action AWS lists, DescribeLogGroups included, on its own log group only", () => {
            const [policy] = statements(one(plan, TYPES.rolePolicy, "network-flow-logs").inputs.policy);
            assert.ok(FLOW_LOG_ACTIONS.includes("logs:DescribeLogGroups"));
            assert.deepEqual(list(policy.Action), [...FLOW_LOG_ACTIONS]);
            const group = "arn:aws:cloudwatch:us-east-1:123456789012:network-flow-logs";
            assert.deepEqual(list(policy.Resource), [group, `${group}:*`]);
        });

        describe("17: service trust policies name the account and source (confused deputy)", () => {
            const confined = (role: string, sourceArn: string) => {
                const [statement] = trust(role);
                assert.deepEqual(
                    statement.Condition,
                    { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID }, ArnLike: { "aws:SourceArn": sourceArn } },
                    role,
                );
            };
            it("flow logs: this account's flow logs", () => confined("network-flow-logs", `arn:aws:ec2:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:vpc-flow-log/*`));
            it("RDS enhanced monitoring: this stack's instance", () =>
                confined("database-monitoring", `arn:aws:rds:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:db:osint-platform-${stack}`));
            it("every ECS task and execution role: this account's tasks in the stack's region", () => {
                const ecsRoles = ofType(plan, ROLE).filter((r) => statements(r.inputs.assumeRolePolicy)[0].Principal?.Service === "ecs-tasks.amazonaws.com");
                const used = new Set(
                    ofType(plan, TYPES.taskDefinition).flatMap((t) => [t.inputs.executionRoleArn, t.inputs.taskRoleArn].filter((arn) => arn !== undefined)),
                );
                assert.deepEqual(new Set(ecsRoles.map((r) => `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${r.name}`)), used, "the roles the task definitions use");
                for (const role of ecsRoles) confined(role.name, `arn:aws:ecs:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:*`);
            });
            it("AWS Backup: none, as AWS documents the keys for its resource policies only", () => {
                assert.equal(trust("backups-role")[0].Condition, undefined);
            });
        });

        it("18: logs WAF to an encrypted aws-waf-logs-* group with retention, Authorization and Cookie redacted (WAF.11)", () => {
            const logging = one(plan, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "proxy-waf");
            one(plan, TYPES.webAcl, "proxy-waf");
            assert.equal(logging.inputs.resourceArn, "arn:aws:wafv2:us-east-1:123456789012:proxy-waf");
            const group = one(plan, TYPES.logGroup, "proxy-waf-logs");
            assert.deepEqual(logging.inputs.logDestinationConfigs, ["arn:aws:cloudwatch:us-east-1:123456789012:proxy-waf-logs"]);
            assert.equal(group.inputs.name, `${WAF_LOG_GROUP_PREFIX}osint-platform-${stack}`);
            assert.match(String(group.inputs.name), /^aws-waf-logs-/, "WAF accepts only log groups named aws-waf-logs-*");
            assert.equal(group.inputs.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:network-telemetry-key");
            assert.equal(group.inputs.retentionInDays, parseConfig(stack, readStackConfig(projectDir, stack).config).logRetentionDays);
            assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }]);
            assert.deepEqual(WAF_REDACTED_HEADERS, ["authorization", "cookie"]);
        });

        it("19: gives the migration task its own execution role, the only one of the backend's that reads osint_migrator's password", () => {
            const roleOf = (task: string) => String(one(plan, TYPES.taskDefinition, task).inputs.executionRoleArn);
            assert.notEqual(roleOf("backend"), roleOf("backend-migrate"));
            const reads = (policy: string) =>
                statements(one(plan, TYPES.rolePolicy, policy).inputs.policy)
                    .filter((s) => s.Action === "secretsmanager:GetSecretValue")
                    .flatMap((s) => list(s.Resource));
            const migrator = "arn:aws:secretsmanager:us-east-1:123456789012:database-osint_migrator-password";
            assert.ok(reads("backend-migrate-execution").includes(migrator));
            assert.ok(!reads("backend-execution").includes(migrator), "the service's role cannot read the DDL password");
            assert.match(roleOf("backend-migrate"), /role\/backend-migrate-execution$/);
        });

        describe("20: VPC endpoints, and internet egress for playwright only", () => {
            it(`interface endpoints for ${INTERFACE_ENDPOINTS.join(", ")} in every private subnet, and an S3 gateway on the private routes`, () => {
                const zones = stack === "prod" ? 3 : 2;
                const endpoints = ofType(plan, ENDPOINT);
                const interfaces = endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface");
                assert.deepEqual(
                    interfaces.map((e) => e.inputs.serviceName),
                    INTERFACE_ENDPOINTS.map((s) => `com.amazonaws.${MOCK_REGION}.${s}`),
                );
                for (const e of interfaces) {
                    assert.equal((e.inputs.subnetIds as string[]).length, zones);
                    assert.equal(e.inputs.privateDnsEnabled, true, "the SDKs' default names resolve to the endpoint");
                    assert.deepEqual(e.inputs.securityGroupIds, ["network-endpoints-id"]);
                }
                const [s3] = endpoints.filter((e) => e.inputs.vpcEndpointType === "Gateway");
                assert.equal(s3.inputs.serviceName, `com.amazonaws.${MOCK_REGION}.s3`);
                assert.deepEqual(
                    s3.inputs.routeTableIds,
                    Array.from({ length: zones }, (_, i) => `network-private-${i}-id`),
                );
            });

            it("lets only the services that research the internet reach 0.0.0.0/0; NAT stays for them", () => {
                const open = ofType(plan, TYPES.egress)
                    .filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")
                    .map((r) => r.name);
                const researchers = Object.entries(serviceDefinitions)
                    .filter(([, d]) => d.egress)
                    .map(([s]) => s);
                assert.deepEqual(researchers, ["playwright"]);
                assert.deepEqual(open.sort(), researchers.flatMap((s) => [`network-${s}-http-out`, `network-${s}-https-out`]).sort());
                assert.ok(ofType(plan, TYPES.nat).length > 0);
            });

            it("pulls every task's image through the stack's ECR pull-through cache, GHCR with its credentials", () => {
                const rules = ofType(plan, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule");
                assert.deepEqual(rules.map((r) => r.inputs.upstreamRegistryUrl).sort(), Object.keys(UPSTREAMS).sort());
                const ghcr = rules.find((r) => r.inputs.upstreamRegistryUrl === "ghcr.io")!;
                const secret = one(plan, "aws:secretsmanager/secret:Secret", "network-cluster-ghcr-credentials");
                assert.match(String(secret.inputs.namePrefix), /^ecr-pullthroughcache\//, "ECR reads upstream credentials only under this prefix");
                assert.equal(ghcr.inputs.credentialArn, "arn:aws:secretsmanager:us-east-1:123456789012:network-cluster-ghcr-credentials");
                const registry = `${MOCK_ACCOUNT_ID}.dkr.ecr.${MOCK_REGION}.amazonaws.com/`;
                for (const task of ofType(plan, TYPES.taskDefinition)) assert.ok(containerOf(task).image.startsWith(registry), `${task.name} pulls from ECR`);
            });

            it("with vpcEndpoints=false: no endpoint, every task's HTTPS through NAT", async () => {
                const natOnly = await stackPlanWith(stack, { vpcEndpoints: "false" });
                assert.deepEqual(ofType(natOnly, ENDPOINT), []);
                const https = ofType(natOnly, TYPES.egress).filter((r) => r.inputs.fromPort === 443);
                assert.ok(https.every((r) => r.inputs.cidrIpv4 === "0.0.0.0/0"));
                assert.equal(https.length, applicationServices.length + 1, "each service's and the database-admin tasks'");
            });
        });

        describe("21: database clients verify the server against the RDS CA bundle (verify-full)", () => {
            it("fetches the region's bundle at deploy time from AWS's documented address", () => {
                const fetch = one(plan, TYPES.command, "database-ca-bundle");
                assert.match(String(fetch.inputs.create), /https:\/\/truststore\.pki\.rds\.amazonaws\.com\/\$REGION\/\$REGION-bundle\.pem/);
                assert.deepEqual(fetch.inputs.environment, { REGION: MOCK_REGION });
            });
            it("hands it to the services that hold database credentials", () => {
                for (const task of ["backend", "backend-migrate", "ai-processor"]) {
                    const vars = env(one(plan, TYPES.taskDefinition, task));
                    assert.equal(vars.DB_SSLMODE, "verify-full", task);
                    assert.equal(vars.DB_SSLROOTCERT, CA_BUNDLE_PATH, task);
                    assert.equal(vars[CA_BUNDLE_VARIABLE], mockCommandStdout("database-ca-bundle"), task);
                }
            });
            it("has the psql tasks write it before they connect", () => {
                for (const task of ["database-access", "backend-seed"]) {
                    const definition = one(plan, TYPES.taskDefinition, task);
                    const vars = env(definition);
                    // Where the client image's user can write (its declared volume), not the read-only root.
                    const bundle = `${PSQL_SCRATCH_DIR}/${CA_BUNDLE_FILE}`;
                    assert.deepEqual([vars.PGSSLMODE, vars.PGSSLROOTCERT], ["verify-full", bundle], task);
                    assert.equal(vars[CA_BUNDLE_VARIABLE], mockCommandStdout("database-ca-bundle"), task);
                    const script = containerOf(definition).command?.[2] ?? "";
                    const written = script.indexOf(`> ${bundle}`);
                    assert.ok(written >= 0 && written < script.indexOf("psql"), `${task} writes the bundle before psql runs`);
                }
            });
        });

        it(`22: ${stack === "prod" ? "locks both backup vaults for the retention" : "leaves staging's vault unlocked (destroyable)"}; the master user is not postgres (RDS.25)`, () => {
            const locks = ofType(plan, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
            if (stack === "prod") {
                assert.deepEqual(
                    locks.map((l) => [l.inputs.backupVaultName, l.inputs.minRetentionDays]),
                    [
                        ["osint-platform-prod", 30],
                        ["osint-platform-prod-us-west-2", 30],
                    ],
                );
                for (const l of locks) assert.equal(l.inputs.changeableForDays, undefined, "governance mode");
            } else assert.deepEqual(locks, []);
            const instance = one(plan, TYPES.rds, "database-postgres");
            assert.equal(instance.inputs.username, MASTER_USERNAME);
            assert.notEqual(MASTER_USERNAME, SUPERUSER);
            assert.ok(!["postgres", "admin"].includes(MASTER_USERNAME));
            assert.equal(env(one(plan, TYPES.taskDefinition, "database-access")).PGUSER, MASTER_USERNAME);
        });
    });
}

describe("docs/aws-security.md and the image contract", () => {
    const read = (file: string) => fs.readFileSync(path.join(projectDir, "docs", file), "utf8");

    it("state every variable a database client gets for verify-full, in both documents", () => {
        for (const doc of ["aws-security.md", "migrations.md"])
            for (const variable of Object.keys(verifyFullEnvironment("")).concat(CA_BUNDLE_PATH))
                assert.ok(read(doc).includes(`\`${variable}\``), `${doc}: ${variable}`);
    });

    it("state the vpcEndpoints key with its default, the endpoints and their cost per AZ-hour", () => {
        const text = read("aws-security.md");
        assert.match(text, /\*\*`vpcEndpoints`\*\* \(boolean, default \*\*`true`\*\*/);
        assert.match(text, /AZ-hour/);
        // One name per interface endpoint, and S3's gateway: an endpoint added to the source needs its name here and in the page.
        const named = ["Secrets Manager", "CloudWatch Logs", "ECR API", "ECR registry", "S3"];
        for (const name of named) assert.ok(text.includes(name), name);
        assert.equal(named.length, INTERFACE_ENDPOINTS.length + 1);
    });
});

describe("image mirror: bad input", () => {
    it("refuses an image from a registry it does not cache, naming the image and the registries it does", async () => {
        let message = "";
        await planOf(() => {
            const mirror = new ImageMirror("images", {
                region: MOCK_REGION,
                accountId: MOCK_ACCOUNT_ID,
                ghcrCredentialsArn: "arn:aws:secretsmanager:::ghcr",
                ghcrCredentialsStored: new pulumi.ComponentResource("test:gate:Stored", "stored"),
            });
            try {
                mirror.pullReference("docker.io/library/redis:7");
            } catch (error) {
                message = (error as Error).message;
            }
        }, "dev");
        assert.equal(message, "image docker.io/library/redis:7: tasks pull through ECR's cache of ghcr.io or public.ecr.aws; add its registry to UPSTREAMS");
    });

    it("refuses an image without a tag to cache, and a second tag of a repository it already caches", async () => {
        const messages: string[] = [];
        await planOf(() => {
            const mirror = new ImageMirror("images", {
                region: MOCK_REGION,
                accountId: MOCK_ACCOUNT_ID,
                ghcrCredentialsArn: "arn:aws:secretsmanager:::ghcr",
                ghcrCredentialsStored: new pulumi.ComponentResource("test:gate:Stored", "stored"),
            });
            mirror.pullReference("ghcr.io/org/backend:1.0");
            mirror.pullReference("ghcr.io/org/backend:1.0"); // the same reference again: one step
            for (const reference of ["ghcr.io/org/backend", "ghcr.io/org/backend@sha256:0123", "ghcr.io/org/backend:1.1"])
                try {
                    mirror.pullReference(reference);
                } catch (error) {
                    messages.push((error as Error).message);
                }
        }, "dev");
        assert.deepEqual(messages, [
            "image ghcr.io/org/backend: expected <registry>/<repository>:<tag>, a pinned tag the cache can be warmed with",
            "image ghcr.io/org/backend@sha256:0123: expected <registry>/<repository>:<tag>, a pinned tag the cache can be warmed with",
            "image ghcr.io/org/backend:1.1: the stack already runs ghcr.io/org/backend:1.0; one tag per repository is cached (images-ghcr-org-backend)",
        ]);
    });
});
