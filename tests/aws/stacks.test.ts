// Staging and prod as the offline plan sees them: each stack's numbers and properties, read from
// their one source (the stack's config, the sizing table) or, where the design states them, as it
// states them; and the differences between the two (which come from stack config alone).
import { strict as assert } from "node:assert";
import { fargateTaskSize } from "../../components/aws/fargate";
import {
    ACCESS_TASK,
    CONNECTIONS_ALARM_FRACTION,
    ENHANCED_MONITORING_SECONDS,
    LOG_EXPORTS,
    QUERY_TASK,
    STORAGE_AUTOSCALING_FACTOR,
} from "../../components/database/aws";
import { ERROR_RATE_ALARM_PERCENT, WAF_LOG_GROUP_PREFIX, WAF_WINDOW_SECONDS } from "../../components/proxy/aws";
import {
    applicationServices,
    type ApplicationService,
    DATABASE_PORT,
    healthcheckCommand,
    HTTP_PORT,
    HTTPS_PORT,
    MIGRATION_SERVICE,
    REDIS_PORT,
    serviceDefinitions,
    serviceUser,
} from "../../components/service/catalog";
import { roles } from "../../components/database/roles";
import { sizes } from "../../components/shared/sizing";
import { parseConfig } from "../../config";
import { MOCK_SECRET_MARKER } from "../../lib/mocks";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { ofType, projectDir, stackPlan } from "../helpers/plan";
import { awsStacks, containerOf, one, only, TYPES, type AwsStack } from "./helpers";

/**
 * What each stack must be, from the one source of each number: the stack's config (Pulumi.<stack>.yaml)
 * for its shape and instance sizes, components/shared/sizing.ts for the tasks' sizes. Where the program
 * derives a number from them, the rule is written out. Numbers the design fixes are asserted as written
 * in ../shared/design/environment-architecture.md, each with its line, in the tests below.
 */
function expectedOf(stack: AwsStack) {
    const config = parseConfig(stack, readStackConfig(projectDir, stack).config);
    const production = config.environment === "production";
    const prefix = `osint-platform-${stack}`;
    return {
        environment: config.environment,
        zones: config.availabilityZoneCount,
        // One NAT gateway per zone when the data tier spans zones, else one (design: "High availability").
        natGateways: config.multiAz ? config.availabilityZoneCount : 1,
        vpcCidr: config.vpcCidr,
        sizes: sizes[config.environment],
        backendScaling: [config.backendMinTasks, config.backendMaxTasks],
        // The web tier runs backendMinTasks, the frontend included (index.ts).
        frontendTasks: config.backendMinTasks,
        webStrategy: config.deploymentStrategy === "blue-green" ? "BLUE_GREEN" : "ROLLING",
        dbClass: config.dbInstanceClass,
        storageGb: config.dbAllocatedStorageGb,
        multiAz: config.multiAz,
        backupDays: config.backupRetentionDays,
        logDays: config.logRetentionDays,
        rateLimitPerSecond: config.rateLimitPerSecond,
        // Every log group the program creates, from the lists and settings that drive them: the VPC's
        // flow logs and Container Insights (one each), the RDS exports, the WAF's, each application
        // service's, and the psql tasks' (the access model's when it runs as a task, the operators'
        // query task when declared, the backend's seed task: index.ts gives the backend the migrations).
        logGroups: [
            `/${prefix}/vpc-flow-logs`,
            `/aws/ecs/containerinsights/${prefix}/performance`,
            ...LOG_EXPORTS.map((log) => `/aws/rds/instance/${prefix}/${log}`),
            `${WAF_LOG_GROUP_PREFIX}${prefix}`,
            ...applicationServices.map((service) => `/${prefix}/${service}`),
            ...(config.databaseAccess === "task" ? [`/${prefix}/${ACCESS_TASK}`] : []),
            ...(config.databaseQueryTask ? [`/${prefix}/${QUERY_TASK}`] : []),
            `/${prefix}/backend-seed`,
        ],
        cacheNode: config.cacheNodeType,
        // A primary, and a replica in a second zone when Multi-AZ.
        cacheNodes: config.multiAz ? 2 : 1,
        // Production's stateful resources are protected; staging stays destroyable.
        protect: production,
        drRegion: config.drRegion || undefined,
    };
}

for (const stack of awsStacks) {
    const want = expectedOf(stack);
    describe(`${stack} stack (aws)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        describe("network", () => {
            it(`spans ${want.zones} zones with public, private and isolated /20 subnets inside ${want.vpcCidr}`, () => {
                const subnets = ofType(plan, TYPES.subnet);
                assert.equal(subnets.length, want.zones * 3);
                for (const tier of ["public", "private", "isolated"]) {
                    const tierSubnets = subnets.filter((s) => (s.inputs.tags as Record<string, string>).tier === tier);
                    assert.equal(tierSubnets.length, want.zones, tier);
                    assert.equal(new Set(tierSubnets.map((s) => s.inputs.availabilityZone)).size, want.zones, `${tier} subnets in distinct zones`);
                }
                const prefix = want.vpcCidr.split(".").slice(0, 2).join(".");
                for (const s of subnets) {
                    assert.match(String(s.inputs.cidrBlock), new RegExp(`^${prefix.replace(".", "\\.")}\\.\\d+\\.0/20$`));
                    assert.equal(s.inputs.mapPublicIpOnLaunch, false);
                }
                assert.equal(new Set(subnets.map((s) => s.inputs.cidrBlock)).size, subnets.length, "no overlapping subnets");
            });

            it(`routes private subnets through ${want.natGateways} NAT gateway(s); isolated subnets have no route out`, () => {
                assert.equal(ofType(plan, TYPES.nat).length, want.natGateways);
                const isolated = one(plan, "aws:ec2/routeTable:RouteTable", "network-isolated");
                assert.equal(isolated.inputs.routes, undefined);
            });

            it("logs all VPC traffic to an encrypted log group", () => {
                const flowLog = only(plan, "aws:ec2/flowLog:FlowLog");
                assert.equal(flowLog.inputs.trafficType, "ALL");
                const group = one(plan, TYPES.logGroup, "network-flow-logs");
                assert.match(String(group.inputs.kmsKeyId), /^arn:aws:kms:/);
            });

            it("allows exactly internet→ALB HTTPS/HTTP, ALB→frontend/backend, data-holding services→Postgres/Redis, tasks→HTTPS out", () => {
                const sgName = new Map(ofType(plan, TYPES.securityGroup).map((g) => [`${g.name}-id`, g.name.replace("network-", "")]));
                const describe = (r: PlanResource, direction: string) => {
                    const peer =
                        r.inputs.cidrIpv4 ?? sgName.get(String(r.inputs.referencedSecurityGroupId)) ?? (r.inputs.prefixListId ? "s3-prefix-list" : undefined);
                    assert.equal(r.inputs.fromPort, r.inputs.toPort);
                    assert.equal(r.inputs.ipProtocol, "tcp");
                    return `${sgName.get(String(r.inputs.securityGroupId))} ${direction} ${r.inputs.fromPort} ${peer}`;
                };
                const rules = [
                    ...ofType(plan, TYPES.ingress).map((r) => describe(r, "in")),
                    ...ofType(plan, TYPES.egress).map((r) => describe(r, "out")),
                ].sort();
                // Each service's rules from its catalog entry (port, data access, internet egress); the ports from the catalog.
                const definition = (service: ApplicationService) => serviceDefinitions[service];
                const web = ["frontend", "backend"] as const;
                const holdingData = applicationServices.filter((s) => definition(s).dataAccess);
                const toInternet = applicationServices.filter((s) => definition(s).egress);
                // HTTPS to the VPC endpoints and S3 only: the psql tasks and every service without internet egress.
                const throughEndpoints = ["database-admin", ...applicationServices.filter((s) => !definition(s).egress)];
                assert.deepEqual(
                    rules,
                    [
                        `alb in ${HTTPS_PORT} 0.0.0.0/0`,
                        `alb in ${HTTP_PORT} 0.0.0.0/0`,
                        ...web.flatMap((s) => [`alb out ${definition(s).port} ${s}`, `${s} in ${definition(s).port} alb`]),
                        `database in ${DATABASE_PORT} database-admin`,
                        `database-admin out ${DATABASE_PORT} database`,
                        ...holdingData.flatMap((s) => [
                            `database in ${DATABASE_PORT} ${s}`,
                            `cache in ${REDIS_PORT} ${s}`,
                            `${s} out ${DATABASE_PORT} database`,
                            `${s} out ${REDIS_PORT} cache`,
                        ]),
                        // The scraper to the internet; private DNS sends its ECR, Logs and Secrets Manager calls to the endpoints too.
                        ...toInternet.flatMap((s) => [
                            `${s} out ${HTTPS_PORT} 0.0.0.0/0`,
                            `${s} out ${HTTP_PORT} 0.0.0.0/0`,
                            `endpoints in ${HTTPS_PORT} ${s}`,
                        ]),
                        ...throughEndpoints.flatMap((task) => [
                            `${task} out ${HTTPS_PORT} endpoints`,
                            `${task} out ${HTTPS_PORT} s3-prefix-list`,
                            `endpoints in ${HTTPS_PORT} ${task}`,
                        ]),
                    ].sort(),
                );
                for (const g of ofType(plan, TYPES.securityGroup)) {
                    assert.equal(g.inputs.ingress, undefined, `${g.name}: no inline rules`);
                    assert.equal(g.inputs.egress, undefined, `${g.name}: no inline rules`);
                }
            });
        });

        describe("compute", () => {
            it("runs an ECS cluster with Container Insights", () => {
                assert.deepEqual(only(plan, TYPES.cluster).inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
            });

            // The numbers the design states are requirements, written as it writes them.
            if (want.environment === "production")
                it("gives backend and frontend the design's production sizes, and keeps backups and logs as long as it says", () => {
                    const container = (service: string) => containerOf(one(plan, TYPES.taskDefinition, service));
                    // environment-architecture.md line 225: "Backend: 2GB RAM, 1 CPU (auto-scaling)".
                    assert.deepEqual([container("backend").memory, container("backend").cpu], [2048, 1024]);
                    // Line 226: "Frontend: 512MB RAM, 0.5 CPU", in Fargate's smallest 0.5 vCPU task, 1 GB
                    // (ECS developer guide, "Amazon ECS task definition parameters for Fargate", Task size).
                    assert.deepEqual([container("frontend").memory, container("frontend").cpu], [512, 512]);
                    const frontendTask = one(plan, TYPES.taskDefinition, "frontend").inputs;
                    assert.deepEqual([frontendTask.cpu, frontendTask.memory], ["512", "1024"]);
                    // Line 125: "Daily full backups with 30-day retention"; line 274: "90 days for production" (logs).
                    assert.equal(only(plan, TYPES.rds).inputs.backupRetentionPeriod, 30);
                    const logGroups = ofType(plan, TYPES.logGroup);
                    assert.ok(logGroups.length > 0);
                    for (const g of logGroups) assert.equal(g.inputs.retentionInDays, 90, g.name);
                });

            for (const service of applicationServices) {
                const size = want.sizes[service];
                const task = fargateTaskSize(size);
                it(`${service}: ${size.memoryMb} MiB and ${size.cpus} vCPU (components/shared/sizing.ts, ${want.environment}) in a Fargate task of ${task.cpuUnits} CPU units and ${task.memoryMb} MiB`, () => {
                    const definition = one(plan, TYPES.taskDefinition, service);
                    assert.deepEqual([definition.inputs.cpu, definition.inputs.memory], [String(task.cpuUnits), String(task.memoryMb)]);
                    assert.deepEqual(definition.inputs.requiresCompatibilities, ["FARGATE"]);
                    assert.equal(definition.inputs.networkMode, "awsvpc");
                    // The container's hard limits are the size itself: 1024 CPU units are one vCPU (ECS developer guide, "Task definition parameters", cpu).
                    const container = containerOf(definition);
                    assert.deepEqual([container.cpu, container.memory], [size.cpus * 1024, size.memoryMb]);
                });
                it(`${service}: non-root, capabilities dropped, awslogs, image pinned and pulled through the stack's ECR cache`, () => {
                    const container = containerOf(one(plan, TYPES.taskDefinition, service));
                    assert.equal(container.user, serviceUser(service), "the service's own uid, as on dev");
                    assert.deepEqual(container.linuxParameters.capabilities.drop, ["ALL"]);
                    assert.equal(container.readonlyRootFilesystem, service !== "playwright", "read-only root except the browser");
                    assert.equal(container.image, `123456789012.dkr.ecr.us-east-1.amazonaws.com/osint-${stack}-ghcr/osint-platform/${service}:0.1.0`);
                    assert.equal(container.logConfiguration.logDriver, "awslogs");
                    assert.equal(container.logConfiguration.options["awslogs-group"], `/osint-platform-${stack}/${service}`);
                    assert.equal(container.repositoryCredentials, undefined, "ECR authenticates by the execution role: no registry secret in the task");
                    assert.ok(container.healthCheck, "health check");
                    // environment-architecture.md lines 211-213: "interval: 30s", "timeout: 10s", "retries: 3".
                    assert.deepEqual([container.healthCheck.interval, container.healthCheck.timeout, container.healthCheck.retries], [30, 10, 3]);
                });
            }

            it("checks the backend's health with GET /healthz", () => {
                const container = containerOf(one(plan, TYPES.taskDefinition, "backend"));
                // The image's own python (item 14: python:*-slim ships no curl); one source for dev and aws.
                assert.deepEqual(container.healthCheck?.command, healthcheckCommand(serviceDefinitions.backend));
                assert.deepEqual(container.healthCheck?.command.slice(0, 3), ["CMD", "python", "-c"]);
                // environment-architecture.md line 210: the backend answers "http://localhost:8000/healthz".
                assert.ok(container.healthCheck?.command[3].includes("http://127.0.0.1:8000/healthz"));
                assert.deepEqual(
                    container.portMappings.map((p) => p.containerPort),
                    [8000],
                );
            });

            it("names each service in its log lines (SERVICE_NAME, not the task's host name), and gives the Redis password to every task given REDIS_HOST", () => {
                const expected: Record<string, string> = {
                    ...Object.fromEntries(applicationServices.map((s) => [s, s])),
                    "backend-migrate": MIGRATION_SERVICE,
                };
                for (const [task, name] of Object.entries(expected)) {
                    const container = containerOf(one(plan, TYPES.taskDefinition, task));
                    const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
                    assert.equal(env.SERVICE_NAME, name, task);
                    for (const key of ["ENVIRONMENT", "DEBUG", "LOG_LEVEL", "LOG_FORMAT"]) assert.ok(env[key], `${task}: ${key}`);
                }
                const tasks = plan.resources.filter((r) => r.type === TYPES.taskDefinition);
                const withRedis = tasks.filter((t) => containerOf(t).environment.some((e) => e.name === "REDIS_HOST"));
                // The catalog's data-holding services, and the backend's migration task.
                const holdingData = applicationServices.filter((s) => serviceDefinitions[s].dataAccess);
                assert.deepEqual(withRedis.map((t) => t.name).sort(), [...holdingData, "backend-migrate"].sort());
                for (const task of withRedis)
                    assert.ok(
                        containerOf(task).secrets.some((s) => s.name === "REDIS_PASSWORD"),
                        `${task.name}: REDIS_PASSWORD`,
                    );
            });

            it("injects credentials through `secrets` from Secrets Manager, never `environment`", () => {
                for (const service of applicationServices.filter((s) => serviceDefinitions[s].dataAccess)) {
                    const container = containerOf(one(plan, TYPES.taskDefinition, service));
                    assert.deepEqual(container.secrets.map((s) => s.name).sort(), ["DB_PASSWORD", "REDIS_PASSWORD"]);
                    for (const s of container.secrets) assert.match(s.valueFrom, /^arn:aws:secretsmanager:/);
                    assert.match(container.secrets.find((s) => s.name === "DB_PASSWORD")!.valueFrom, /postgres\/osint_app|osint_app-password/);
                    const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
                    assert.equal(env.DB_USER, "osint_app");
                    assert.match(env.DB_HOST, /\.rds\.amazonaws\.com$/);
                    assert.ok(!Object.keys(env).some((k) => /PASSWORD|TOKEN|SECRET/.test(k)), "no credential in environment");
                }
                for (const service of ["frontend", "playwright"]) assert.deepEqual(containerOf(one(plan, TYPES.taskDefinition, service)).secrets, []);
            });

            it("lets each execution role read only its own service's secrets and write only its log group", () => {
                const policy = (service: string) =>
                    JSON.parse(String(one(plan, TYPES.rolePolicy, `${service}-execution`).inputs.policy)) as {
                        Statement: { Action: string | string[]; Resource: string | string[] }[];
                    };
                const secretsOf = (service: string) =>
                    policy(service)
                        .Statement.filter((s) => s.Action === "secretsmanager:GetSecretValue")
                        .flatMap((s) => [s.Resource].flat());
                assert.equal(secretsOf("frontend").length, 0, "frontend: no secret at all (images come through ECR)");
                assert.equal(secretsOf("backend").length, 2, "backend: osint_app, redis (the migration task has its own role)");
                assert.equal(secretsOf("backend-migrate").length, 2, "backend-migrate: osint_migrator, redis (the application's settings)");
                assert.equal(secretsOf("ai-processor").length, 2, "ai-processor: osint_app, redis");
                const logs = policy("backend").Statement.find((s) => Array.isArray(s.Action) && s.Action.includes("logs:PutLogEvents"))!;
                assert.match(String(logs.Resource), /log-stream:\*$/);
                // ecr:GetAuthorizationToken names no resource: IAM accepts only "*" for it, and it grants no image.
                for (const s of policy("backend").Statement.filter((s) => s.Action !== "ecr:GetAuthorizationToken"))
                    assert.notEqual(s.Resource, "*", "no other wildcard resource");
                const pulls = policy("backend").Statement.find((s) => Array.isArray(s.Action) && s.Action.includes("ecr:BatchGetImage"))!;
                assert.deepEqual(
                    [pulls.Resource].flat(),
                    ["ghcr", "ecr-public"].map((u) => `arn:aws:ecr:us-east-1:123456789012:repository/osint-${stack}-${u}/*`),
                );
            });

            it(`scales the backend from ${want.backendScaling[0]} to ${want.backendScaling[1]} tasks on CPU 60 % and 500 requests per target`, () => {
                const target = only(plan, TYPES.scalingTarget);
                assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], want.backendScaling);
                assert.equal(target.inputs.resourceId, `service/osint-platform-${stack}/backend`);
                type Tracking = {
                    targetValue: number;
                    predefinedMetricSpecification?: { predefinedMetricType: string };
                    customizedMetricSpecification?: {
                        metrics: { id: string; expression?: string; metricStat?: { metric: { metricName: string; dimensions: { value: string }[] } } }[];
                    };
                };
                const tracking = (name: string) => one(plan, TYPES.scalingPolicy, name).inputs.targetTrackingScalingPolicyConfiguration as Tracking;
                const cpu = tracking("backend-cpu-scaling");
                assert.equal(cpu.predefinedMetricSpecification?.predefinedMetricType, "ECSServiceAverageCPUUtilization");
                assert.equal(cpu.targetValue, 60);
                // Item 10: requests per target summed over every target group the traffic may reach.
                const requests = tracking("backend-requests-scaling");
                assert.equal(requests.targetValue, 500);
                const metrics = requests.customizedMetricSpecification!.metrics;
                const groups = metrics.filter((m) => m.metricStat).map((m) => m.metricStat!.metric.dimensions[0].value);
                const colors = want.webStrategy === "BLUE_GREEN" ? ["blue", "green"] : ["blue"];
                assert.deepEqual(
                    groups.map((g) => g.split("/")[1]),
                    colors.map((c) => `proxy-backend-${c}`),
                );
                assert.ok(metrics.every((m) => m.expression !== undefined || m.metricStat!.metric.metricName === "RequestCountPerTarget"));
                assert.equal(metrics.find((m) => m.expression)!.expression, colors.map((_, i) => `FILL(requests${i}, 0)`).join(" + "));
                assert.equal(one(plan, TYPES.service, "backend").inputs.desiredCount, want.backendScaling[0]);
                assert.equal(one(plan, TYPES.service, "frontend").inputs.desiredCount, want.frontendTasks);
            });

            it(`deploys the web tier ${want.webStrategy}, workers ROLLING, all with the circuit breaker's rollback`, () => {
                for (const service of applicationServices) {
                    const s = one(plan, TYPES.service, service);
                    const web = service === "backend" || service === "frontend";
                    assert.equal((s.inputs.deploymentConfiguration as { strategy: string }).strategy, web ? want.webStrategy : "ROLLING", service);
                    assert.deepEqual(s.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                    assert.equal(s.inputs.launchType, "FARGATE");
                    assert.deepEqual((s.inputs.networkConfiguration as { assignPublicIp: boolean }).assignPublicIp, false);
                    const lb = (s.inputs.loadBalancers as { advancedConfiguration?: unknown }[]) ?? [];
                    assert.equal(lb.length, web ? 1 : 0);
                    if (web) assert.equal(lb[0].advancedConfiguration !== undefined, want.webStrategy === "BLUE_GREEN", `${service}: blue/green target groups`);
                    const colors = want.webStrategy === "BLUE_GREEN" ? ["blue", "green"] : ["blue"];
                    const alarms = web
                        ? {
                              // Item 9: its own target groups' 5xx rate, not the whole load balancer's.
                              alarmNames: colors.flatMap((c) => [`proxy-${service}-${c}-5xx-rate`, `proxy-${service}-${c}-unhealthy`]),
                              enable: true,
                              rollback: true,
                          }
                        : undefined;
                    assert.deepEqual(s.inputs.alarms, alarms, `${service}: the load balancer's alarms roll a deployment back`);
                }
            });

            it("migrates the database in a one-off task (snapshot first) before the backend service updates", () => {
                const migrate = one(plan, TYPES.command, "backend-migrate");
                assert.equal(migrate.inputs.environment && (migrate.inputs.environment as Record<string, string>).DB_INSTANCE, `osint-platform-${stack}`);
                const script = String(migrate.inputs.create);
                for (const step of [
                    "aws rds create-db-snapshot",
                    "aws rds delete-db-snapshot",
                    "aws ecs run-task",
                    "lastStatus",
                    "aws ecs stop-task",
                    "exitCode",
                    "exit 1",
                ])
                    assert.ok(script.includes(step), step);
                // Item 7: no CLI waiter, which gives up after 10 minutes while the task runs on.
                assert.ok(!script.includes("tasks-stopped"));
                const task = one(plan, TYPES.taskDefinition, "backend-migrate");
                const container = containerOf(task);
                assert.deepEqual(container.command, ["alembic", "upgrade", "head"]);
                assert.equal(Object.fromEntries(container.environment.map((e) => [e.name, e.value])).DB_USER, "osint_migrator");
                assert.match(container.secrets.find((s) => s.name === "DB_PASSWORD")!.valueFrom, /osint_migrator/);
                assert.deepEqual(migrate.inputs.triggers, [`arn:aws:ecs:us-east-1:123456789012:task-definition/osint-platform-${stack}-backend-migrate:1`]);
                assert.ok(one(plan, TYPES.service, "backend").options.dependsOn.includes(migrate.urn), "backend service waits for the migration");
            });
        });

        describe("edge", () => {
            it("terminates TLS 1.2+ with the domain's ACM certificate and redirects HTTP to HTTPS", () => {
                const https = one(plan, TYPES.listener, "proxy-https");
                assert.equal(https.inputs.port, 443);
                assert.equal(https.inputs.protocol, "HTTPS");
                assert.equal(https.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
                assert.match(String(https.inputs.certificateArn), /^arn:aws:acm:/);
                const http = one(plan, TYPES.listener, "proxy-http");
                assert.equal(http.inputs.port, 80);
                assert.deepEqual(http.inputs.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
                const certificate = only(plan, "aws:acm/certificate:Certificate");
                assert.equal(certificate.inputs.domainName, stack === "prod" ? "osint.example.org" : "staging.osint.example.org");
                assert.equal(certificate.inputs.validationMethod, "DNS");
            });

            it("writes access logs to an encrypted, private, TLS-only bucket", () => {
                const alb = only(plan, TYPES.loadBalancer);
                assert.equal((alb.inputs.accessLogs as { enabled: boolean }).enabled, true);
                assert.equal(alb.inputs.dropInvalidHeaderFields, true);
                assert.deepEqual(
                    alb.inputs.subnets,
                    Array.from({ length: want.zones }, (_, i) => `network-public-${i}-id`),
                );
                const sse = only(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
                assert.equal(
                    (sse.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0].applyServerSideEncryptionByDefault.sseAlgorithm,
                    "AES256",
                );
                const block = only(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
                assert.deepEqual(
                    [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                    [true, true, true, true],
                );
                const policy = JSON.parse(String(only(plan, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy)) as {
                    Statement: { Effect: string; Condition?: unknown }[];
                };
                assert.ok(
                    policy.Statement.some(
                        (s) => s.Effect === "Deny" && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { "aws:SecureTransport": "false" } }),
                    ),
                );
            });

            it(`filters with WAF: ${want.rateLimitPerSecond * WAF_WINDOW_SECONDS} requests per client per ${WAF_WINDOW_SECONDS} s (rateLimitPerSecond ${want.rateLimitPerSecond}) and four AWS managed rule groups, on the ALB`, () => {
                const acl = only(plan, TYPES.webAcl);
                const rules = acl.inputs.rules as {
                    name: string;
                    statement: {
                        rateBasedStatement?: { limit: number; evaluationWindowSec: number; aggregateKeyType: string };
                        managedRuleGroupStatement?: { vendorName: string };
                    };
                }[];
                const rate = rules.find((r) => r.statement.rateBasedStatement)!.statement.rateBasedStatement!;
                assert.deepEqual(
                    [rate.limit, rate.evaluationWindowSec, rate.aggregateKeyType],
                    [want.rateLimitPerSecond * WAF_WINDOW_SECONDS, WAF_WINDOW_SECONDS, "IP"],
                );
                assert.deepEqual(
                    rules.filter((r) => r.statement.managedRuleGroupStatement).map((r) => r.name),
                    [
                        "AWSManagedRulesCommonRuleSet",
                        "AWSManagedRulesKnownBadInputsRuleSet",
                        "AWSManagedRulesAmazonIpReputationList",
                        "AWSManagedRulesSQLiRuleSet",
                    ],
                );
                const association = only(plan, "aws:wafv2/webAclAssociation:WebAclAssociation");
                assert.equal(association.inputs.resourceArn, "arn:aws:lb:us-east-1:123456789012:proxy-alb");
            });

            it("routes /healthz and /api/* to the backend, the rest to the frontend", () => {
                const paths = (name: string) =>
                    (one(plan, "aws:lb/listenerRule:ListenerRule", name).inputs.conditions as { pathPattern: { values: string[] } }[])[0].pathPattern.values;
                assert.deepEqual(paths("proxy-backend"), ["/healthz", "/api/*"]);
                assert.deepEqual(paths("proxy-frontend"), ["/*"]);
            });
        });

        describe("database", () => {
            it("applies the database layer's access model and role passwords in a one-off task before the migrations", () => {
                const task = one(plan, TYPES.taskDefinition, "database-access");
                const container = containerOf(task);
                assert.equal(container.image, `123456789012.dkr.ecr.us-east-1.amazonaws.com/osint-${stack}-ecr-public/docker/library/postgres:15-alpine`);
                assert.equal(container.user, "70:70");
                assert.equal(container.readonlyRootFilesystem, true);
                assert.deepEqual(
                    container.secrets.map((s) => s.name),
                    ["PGPASSWORD", "OSINT_MIGRATOR_PASSWORD", "OSINT_APP_PASSWORD", "OSINT_READONLY_PASSWORD"],
                );
                assert.match(container.secrets[0].valueFrom, /:password::$/, "the RDS-managed master secret's password");
                const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
                assert.equal(env.PGSSLMODE, "verify-full");
                assert.match(env.SCRIPT_10_ACCESS_MODEL_SQL, /CREATE SCHEMA IF NOT EXISTS osint AUTHORIZATION osint_migrator/);
                const script = container.command?.[2] ?? "";
                assert.ok(script.indexOf("10-access-model.sql") < script.indexOf("20-role-passwords.sh"), "init scripts in name order");
                const run = one(plan, TYPES.command, "database-access");
                assert.equal((run.inputs.environment as Record<string, string>).SECURITY_GROUP, "network-database-admin-id");
                assert.equal((run.inputs.triggers as string[]).length, 1 + roles.length, "the task definition and each role's password version");
                assert.ok(!String(run.inputs.create).includes("create-db-snapshot"));
                const migrate = one(plan, TYPES.command, "backend-migrate");
                assert.ok(migrate.options.dependsOn.includes(run.urn), "migrations wait for the access model");
            });

            it(`runs PostgreSQL 15 on ${want.dbClass}, ${want.multiAz ? "Multi-AZ" : "single-AZ"}, encrypted with its own key, private`, () => {
                const db = only(plan, TYPES.rds);
                const i = db.inputs;
                assert.deepEqual([i.engine, i.engineVersion, i.instanceClass, i.multiAz], ["postgres", "15", want.dbClass, want.multiAz]);
                assert.equal(i.storageEncrypted, true);
                assert.equal(i.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:database-key");
                assert.equal(i.publiclyAccessible, false);
                assert.equal(i.manageMasterUserPassword, true);
                assert.equal(i.password, undefined);
                assert.equal(i.iamDatabaseAuthenticationEnabled, true);
                assert.equal(i.performanceInsightsEnabled, true);
                assert.equal(i.deletionProtection, true);
                assert.equal(i.skipFinalSnapshot, false);
                assert.match(
                    String(i.finalSnapshotIdentifier),
                    new RegExp(`^osint-platform-${stack}-final-[0-9a-f]{8}$`),
                    "unique per instance (issue 21, fix 7)",
                );
                assert.equal(i.backupRetentionPeriod, want.backupDays);
                assert.deepEqual(
                    [i.allocatedStorage, i.maxAllocatedStorage, i.storageType],
                    [want.storageGb, want.storageGb * STORAGE_AUTOSCALING_FACTOR, "gp3"],
                );
                assert.equal(i.performanceInsightsKmsKeyId, i.kmsKeyId);
                assert.deepEqual(i.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                assert.equal(i.monitoringInterval, ENHANCED_MONITORING_SECONDS);
                assert.deepEqual(i.vpcSecurityGroupIds, ["network-database-id"]);
            });

            it("carries the design's prod settings in RDS units, TLS forced, access logging, static ones at reboot", () => {
                const group = only(plan, TYPES.rdsParameters);
                assert.equal(group.inputs.family, "postgres15");
                const parameters = Object.fromEntries(
                    (group.inputs.parameters as { name: string; value: string; applyMethod: string }[]).map((p) => [p.name, [p.value, p.applyMethod]]),
                );
                // environment-architecture.md lines 97-101 (production settings, staging's too): shared_buffers
                // 1GB in 8 kB pages, work_mem 16MB and maintenance_work_mem 256MB in kB (RDS units).
                assert.deepEqual(parameters, {
                    shared_buffers: ["131072", "pending-reboot"],
                    work_mem: ["16384", "immediate"],
                    maintenance_work_mem: ["262144", "immediate"],
                    max_connections: ["200", "pending-reboot"],
                    random_page_cost: ["1.1", "immediate"],
                    log_connections: ["1", "immediate"],
                    log_disconnections: ["1", "immediate"],
                    log_statement: ["ddl", "immediate"],
                    // The database layer's extension (issue #6), loaded at server start.
                    shared_preload_libraries: ["pg_stat_statements", "pending-reboot"],
                    "rds.force_ssl": ["1", "immediate"],
                });
            });

            it(want.drRegion ? `replicates automated backups to ${want.drRegion} under that region's own key` : "keeps backups in one region", () => {
                const replication = ofType(plan, TYPES.backupReplication);
                if (!want.drRegion) return assert.equal(replication.length, 0);
                assert.equal(replication.length, 1);
                assert.equal(replication[0].inputs.retentionPeriod, want.backupDays);
                // The key's ARN names the region of the provider that created it (the offline mocks do as AWS does).
                assert.equal(replication[0].inputs.kmsKeyId, `arn:aws:kms:${want.drRegion}:123456789012:database-dr-key`);
                const provider = only(plan, "pulumi:providers:aws");
                assert.equal(provider.inputs.region, want.drRegion);
                const drKey = one(plan, TYPES.kmsKey, "database-dr-key");
                assert.equal(drKey.options.protect, true);
            });

            it(`${want.protect ? "protects" : "does not protect"} the stateful resources`, () => {
                for (const [type, name] of [
                    [TYPES.rds, "database-postgres"],
                    [TYPES.kmsKey, "database-key"],
                    [TYPES.redis, "cache-redis"],
                    [TYPES.kmsKey, "cache-key"],
                    ["aws:backup/vault:Vault", "backups-vault"],
                ] as const) {
                    assert.equal(one(plan, type, name).options.protect, want.protect, name);
                }
            });

            it(`takes AWS Backup daily snapshots kept ${want.backupDays} days${want.drRegion ? " and copied to the second region" : ""}`, () => {
                const plan_ = only(plan, "aws:backup/plan:Plan");
                const rule = (plan_.inputs.rules as { schedule: string; lifecycle: { deleteAfter: number }; copyActions?: unknown[] }[])[0];
                assert.equal(rule.lifecycle.deleteAfter, want.backupDays);
                assert.equal((rule.copyActions ?? []).length, want.drRegion ? 1 : 0);
                assert.deepEqual(only(plan, "aws:backup/selection:Selection").inputs.resources, ["arn:aws:rds:us-east-1:123456789012:database-postgres"]);
            });
        });

        describe("redis", () => {
            it(`runs Redis 7 on ${want.cacheNodes} ${want.cacheNode} node(s), encrypted at rest and in transit, AUTH from Secrets Manager`, () => {
                const redis = only(plan, TYPES.redis).inputs;
                assert.equal(redis.engine, "redis");
                assert.match(String(redis.engineVersion), /^7\./);
                assert.equal(redis.nodeType, want.cacheNode);
                assert.equal(redis.numCacheClusters, want.cacheNodes);
                assert.equal(redis.automaticFailoverEnabled, want.multiAz);
                assert.equal(redis.multiAzEnabled, want.multiAz);
                assert.equal(redis.atRestEncryptionEnabled, true);
                assert.equal(redis.transitEncryptionEnabled, true);
                assert.equal(redis.authToken, "[secret]");
                assert.equal(redis.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:cache-key");
            });
        });

        describe("secrets and observability", () => {
            it("never shows a generated secret: no mock secret anywhere, secret versions marked secret", () => {
                assert.ok(!JSON.stringify(plan).includes(MOCK_SECRET_MARKER));
                const versions = ofType(plan, TYPES.secretVersion);
                assert.equal(versions.length, roles.length + 1, "each role's password and the Redis AUTH token");
                for (const v of versions) assert.equal(v.inputs.secretString, "[secret]");
            });

            it(`keeps every log group ${want.logDays} days under the customer-managed telemetry key`, () => {
                const groups = ofType(plan, TYPES.logGroup);
                const names = groups.map((g) => String(g.inputs.name));
                assert.deepEqual([...names].sort(), [...want.logGroups].sort());
                for (const serviceOwned of [
                    `/aws/rds/instance/osint-platform-${stack}/postgresql`,
                    `/aws/ecs/containerinsights/osint-platform-${stack}/performance`,
                ]) {
                    const group = groups.find((g) => g.inputs.name === serviceOwned);
                    assert.ok(group, `${serviceOwned} among ${names.join(", ")}`);
                    const writer = plan.resources.find((r) => r.options.dependsOn.includes(group.urn));
                    assert.ok(writer, `${serviceOwned} exists before the resource that writes to it`);
                }
                for (const g of groups) {
                    assert.equal(g.inputs.retentionInDays, want.logDays);
                    assert.equal(g.inputs.kmsKeyId, "arn:aws:kms:us-east-1:123456789012:network-telemetry-key");
                }
            });

            it("alarms on 5xx rate, p95 latency, ECS CPU and memory, RDS CPU, storage and connections, Redis memory, unhealthy hosts", () => {
                const alarms = ofType(plan, TYPES.alarm);
                const metrics = alarms.map((a) => `${a.inputs.namespace ?? "math"}:${a.inputs.metricName ?? "5xx-rate"}`).sort();
                const web = want.webStrategy === "BLUE_GREEN" ? 2 : 1;
                const count = (m: string) => metrics.filter((x) => x === m).length;
                // Item 9: the load balancer's, and one per target group; item 12: task count per service.
                assert.equal(alarms.filter((a) => a.name.endsWith("5xx-rate")).length, 1 + 2 * web);
                assert.equal(alarms.filter((a) => a.name.endsWith("-tasks-below-desired")).length, applicationServices.length);
                assert.equal(count("AWS/ApplicationELB:TargetResponseTime"), 1);
                assert.equal(count("AWS/ApplicationELB:UnHealthyHostCount"), 2 * web, "each target group");
                assert.equal(count("AWS/ECS:CPUUtilization"), applicationServices.length);
                assert.equal(count("AWS/ECS:MemoryUtilization"), applicationServices.length);
                assert.equal(count("AWS/RDS:CPUUtilization"), 1);
                assert.equal(count("AWS/RDS:FreeStorageSpace"), 1);
                assert.equal(count("AWS/RDS:DatabaseConnections"), 1);
                assert.equal(count("AWS/ElastiCache:DatabaseMemoryUsagePercentage"), want.cacheNodes);
                const topic = `arn:aws:sns:us-east-1:123456789012:network-telemetry-alarms`;
                for (const a of alarms) assert.deepEqual(a.inputs.alarmActions, [topic], `${a.name} notifies the topic`);
                // environment-architecture.md line 100: "max_connections = 200" (production's, staging's too).
                assert.equal(one(plan, TYPES.alarm, "database-connections").inputs.threshold, 200 * CONNECTIONS_ALARM_FRACTION);
                assert.equal(one(plan, TYPES.alarm, "proxy-p95-latency").inputs.extendedStatistic, "p95");
                assert.equal(one(plan, TYPES.alarm, "proxy-5xx-rate").inputs.threshold, ERROR_RATE_ALARM_PERCENT);
                assert.equal(only(plan, "aws:sns/topic:Topic").inputs.kmsMasterKeyId, "arn:aws:kms:us-east-1:123456789012:network-telemetry-key");
            });

            it("outputs the URL and the DNS records to publish (certificate validation, the domain's alias)", () => {
                assert.equal(plan.outputs.url, `https://${stack === "prod" ? "" : "staging."}osint.example.org`);
                const records = plan.outputs.dnsRecords as { name: string; type: string; value: string }[];
                assert.equal(records.length, 2);
                assert.match(records[0].value, /acm-validations\.aws\.$/);
                assert.match(records[1].value, /elb\.amazonaws\.com$/);
                assert.equal(plan.outputs.grafanaAdminPassword, undefined);
            });

            it("publishes a CloudWatch dashboard of the stack", () => {
                const dashboard = only(plan, "aws:cloudwatch/dashboard:Dashboard");
                assert.equal(dashboard.inputs.dashboardName, `osint-platform-${stack}`);
                const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as { widgets: { properties: { title: string } }[] };
                assert.equal(body.widgets.length, 9);
            });
        });
    });
}

describe("staging and prod differ by stack config alone", () => {
    it("build the same resource types from the same program", async () => {
        const [staging, prod] = await Promise.all(awsStacks.map((s) => stackPlan(s)));
        const types = (p: Plan) => [...new Set(p.resources.map((r) => r.type))].sort();
        const prodOnly = types(prod).filter((t) => !types(staging).includes(t));
        // Only prod's second region and its protected data add types: the provider, the backup replication, the vault locks.
        assert.deepEqual(prodOnly, [
            "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            "pulumi:providers:aws",
        ]);
        assert.deepEqual(
            types(staging).filter((t) => !types(prod).includes(t)),
            [],
        );
    });
});
