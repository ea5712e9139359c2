// One application service on ECS Fargate: a task definition with the design's size inside a valid
// Fargate task size, non-root and (where the service allows) read-only, credentials injected from
// Secrets Manager, logs to an encrypted log group; a service in the private subnets behind the load
// balancer, deployed rolling with the circuit breaker or ECS native blue/green, both rolling back
// automatically; the backend scales on CPU and requests per target and migrates the database first.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import type { input } from "@pulumi/aws/types";
import { plainEnvironment } from "../shared/plain-environment";
import { mathAlarm, metricAlarm } from "../aws/alarms";
import { fargateTaskSize } from "../aws/fargate";
import { oneOffTask } from "../aws/migration";
import { psqlTask, scriptFiles } from "../aws/psql";
import { awsArgs, type AwsAttachment, awsAttachment, awsPrefix, type Credential, ecsTaskTrustPolicy, secretArnOf, taskExecutionRole } from "../aws/platform";
import { awsName } from "../aws/names";
import { APPLICATION_SCRATCH_VOLUME } from "../shared/images";
import { encryptedLogGroup } from "../telemetry";
import { healthcheckCommand, serviceUser, type ApplicationService } from "./catalog";
import type { ServiceArgs, ServiceEndpoint } from "./index";

/** The dev containers' health check timing (components/docker/container.ts), in ECS's seconds. */
export const HEALTH_CHECK_SECONDS = { interval: 30, timeout: 10, retries: 3, startPeriod: 30 } as const;
/** Services whose root filesystem must stay writable, and why. */
export const WRITABLE_ROOT: Partial<Record<ApplicationService, string>> = {
    playwright: "Chromium writes its profile, font cache and crash reports under HOME and /dev/shm",
};
/** The only writable path on a read-only root: the image's declared volume (a bind mount elsewhere is root-owned). */
export const SCRATCH_PATH = APPLICATION_SCRATCH_VOLUME;
export const CPU_TARGET_PERCENT = 60;
export const REQUESTS_PER_TARGET = 500;
export const BLUE_GREEN_BAKE_MINUTES = 10;
export const RESOURCE_ALARM_PERCENT = 80;
/** Running below desired for this many periods raises the task-count alarm (a task starts in 1-2 minutes). */
export const TASK_COUNT_ALARM_PERIOD_SECONDS = 300;
export const TASK_COUNT_ALARM_PERIODS = 2;

type Environment = Readonly<Record<string, pulumi.Input<string>>>;

/** ECS `environment` entries; a secret there stops the program (secrets go in `secrets`). */
export function taskEnvironment(service: string, env: Environment): pulumi.Output<{ name: string; value: string }[]> {
    return plainEnvironment(service, env, () => "pass it as a credential");
}

function valueFromOf(service: string, credential: Credential): pulumi.Output<string> {
    if (!credential.valueFrom) throw new Error(`${service}: credential ${credential.name} has no Secrets Manager secret on aws`);
    return credential.valueFrom;
}

interface ContainerSpec {
    readonly service: ApplicationService;
    readonly image: pulumi.Output<string>;
    readonly env: Environment;
    readonly credentials: readonly Credential[];
    readonly logGroup: pulumi.Output<string>;
    readonly streamPrefix: string;
    readonly command?: readonly string[];
    readonly port?: number;
    readonly healthCheck?: readonly string[];
}

function containerDefinitions(spec: ContainerSpec, args: ServiceArgs, platform: AwsAttachment): pulumi.Output<string> {
    const secrets = spec.credentials.map((c) => ({ name: c.name.toUpperCase(), valueFrom: valueFromOf(spec.service, c) }));
    return pulumi.jsonStringify([
        {
            name: spec.service,
            image: spec.image,
            essential: true,
            user: serviceUser(spec.service),
            // The design's limits hold inside the (possibly larger) Fargate task size.
            cpu: Math.round(args.size.cpus * 1024),
            memory: args.size.memoryMb,
            readonlyRootFilesystem: WRITABLE_ROOT[spec.service] === undefined,
            mountPoints: [{ sourceVolume: "scratch", containerPath: SCRATCH_PATH, readOnly: false }],
            linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
            command: spec.command ? [...spec.command] : undefined,
            portMappings: spec.port ? [{ containerPort: spec.port, protocol: "tcp" }] : [],
            environment: taskEnvironment(spec.service, spec.env),
            secrets,
            healthCheck: spec.healthCheck ? { command: [...spec.healthCheck], ...HEALTH_CHECK_SECONDS } : undefined,
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": spec.logGroup, "awslogs-region": platform.region, "awslogs-stream-prefix": spec.streamPrefix },
            },
            stopTimeout: 30,
        },
    ]);
}

type Tracking = input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration;

export function awsService(name: string, args: ServiceArgs, parent: pulumi.ComponentResource): ServiceEndpoint {
    const platform = awsAttachment(args.network, "osint:app:Service");
    if (args.image.kind !== "registry") throw new Error(`${args.service}: on aws images come from the registry by pinned tag, not a local build`);
    const image = platform.cluster.images.pullReference(args.image.reference);
    const prefix = awsPrefix();
    const service = args.service;
    const family = `${prefix}-${service}`;
    const taskSize = fargateTaskSize(args.size);
    const logGroup = encryptedLogGroup(`${name}-logs`, `/${prefix}/${service}`, platform.telemetry, parent);
    const settings = awsArgs(args.aws, "osint:app:Service");
    const migration = settings.migration;

    // Execution role of one task definition: pull through the image cache, read exactly that
    // task's secrets, write its logs. The migration task gets its own, so only it reads the migrator's
    // (DDL) password and the service's role cannot.
    const executionRoleFor = (id: string, credentials: readonly Credential[]) =>
        taskExecutionRole(
            id,
            credentials.map((c) => secretArnOf(valueFromOf(service, c))),
            logGroup.arn,
            platform,
            parent,
        );
    // The application calls no AWS API, so its task role grants nothing.
    const taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: ecsTaskTrustPolicy(platform) }, { parent });

    const taskDefinition = (id: string, spec: Omit<ContainerSpec, "service" | "image" | "logGroup">) =>
        new aws.ecs.TaskDefinition(
            id,
            {
                family: awsName("aws:ecs/taskDefinition:TaskDefinition", "family", id === name ? family : `${family}-${spec.streamPrefix}`),
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(taskSize.cpuUnits),
                memory: String(taskSize.memoryMb),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                executionRoleArn: executionRoleFor(`${id}-execution`, spec.credentials).arn,
                taskRoleArn: taskRole.arn,
                volumes: [{ name: "scratch" }],
                containerDefinitions: containerDefinitions({ service, image, logGroup: logGroup.name, ...spec }, args, platform),
            },
            { parent },
        );
    const serviceTask = taskDefinition(name, {
        env: { ...args.env, PORT: String(args.definition.port) },
        credentials: args.secretFiles,
        streamPrefix: service,
        port: args.definition.port,
        healthCheck: healthcheckCommand(args.definition),
    });

    const network = { subnets: platform.subnetIds.private, securityGroups: [platform.securityGroupIds.services[service]], assignPublicIp: false };
    // Nothing pulls the service's image before the registry credentials hold a value, nor starts
    // before the endpoints and security-group rules its traffic needs exist.
    const pullsImage = [...(args.dependsOn ?? []), platform.cluster.registryReady, ...platform.taskNetwork];
    const target = settings.loadBalancer;
    // CreateService refuses a target group that no listener forwards to yet (aws-cdk#1160), and the
    // HTTPS listener may still wait for ACM validation: the service waits for its listener rule.
    const dependsOn: pulumi.Input<pulumi.Resource>[] = [...pullsImage, ...(target ? [target.listenerRule] : [])];
    if (migration) {
        if (migration.databaseInstance === undefined)
            throw new Error(`${service}: migrations on aws snapshot the database first; pass migration.databaseInstance`);
        const migrationTask = taskDefinition(`${name}-migrate`, {
            env: migration.env,
            credentials: migration.secretFiles,
            streamPrefix: "migrate",
            command: migration.command,
        });
        const migrated = oneOffTask(
            `${name}-migrate`,
            {
                region: platform.region,
                cluster: platform.cluster.name,
                taskDefinitionArn: migrationTask.arn,
                subnetIds: network.subnets,
                securityGroupId: network.securityGroups[0],
                snapshotOf: migration.databaseInstance,
            },
            { parent, dependsOn: pullsImage },
        );
        dependsOn.push(migrated);
        // The seed data needs the tables the migrations create, and the service needs the seed data.
        const seed = migration.seed;
        if (seed) {
            if (seed.caBundle === undefined) throw new Error(`${service}: seeding on aws verifies the server; pass migration.seed.caBundle`);
            dependsOn.push(
                psqlTask(
                    `${name}-seed`,
                    {
                        platform,
                        prefix,
                        purpose: `${service}-seed`,
                        host: seed.host,
                        port: seed.port,
                        database: seed.database,
                        user: seed.user,
                        secrets: { PGPASSWORD: valueFromOf(service, seed.password) },
                        files: seed.files,
                        caBundle: seed.caBundle,
                        script: `set -eu\n${scriptFiles(seed.files)}\n${seed.command.join(" ")}\n`,
                    },
                    { parent, dependsOn: [migrated] },
                ),
            );
        }
    }

    const blueGreen = settings.deploymentStrategy === "blue-green" && target?.blueGreen !== undefined;
    const ecsService = new aws.ecs.Service(
        name,
        {
            name: service,
            cluster: platform.cluster.arn,
            taskDefinition: serviceTask.arn,
            desiredCount: settings.desiredCount,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            networkConfiguration: network,
            loadBalancers: target
                ? [
                      {
                          containerName: service,
                          containerPort: target.port,
                          targetGroupArn: target.targetGroupArn,
                          advancedConfiguration: blueGreen ? target.blueGreen : undefined,
                      },
                  ]
                : [],
            healthCheckGracePeriodSeconds: target ? 60 : undefined,
            deploymentConfiguration: blueGreen ? { strategy: "BLUE_GREEN", bakeTimeInMinutes: String(BLUE_GREEN_BAKE_MINUTES) } : { strategy: "ROLLING" },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            // Behind the load balancer, its error and health alarms also roll a deployment back.
            alarms: target ? { alarmNames: target.rollbackAlarmNames, enable: true, rollback: true } : undefined,
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            enableExecuteCommand: false,
            propagateTags: "SERVICE",
            waitForSteadyState: true,
        },
        // With auto-scaling, the scaler owns the task count. With blue/green, ECS owns which target
        // group is production: each deployment swaps loadBalancers' targetGroupArn and
        // alternateTargetGroupArn, and terraform-provider-aws re-sends the program's loadBalancers
        // whenever its state differs (hashicorp/terraform-provider-aws#45678), which stops the
        // alternation from about the third deploy. A change the program makes to them takes a replace.
        {
            parent,
            dependsOn,
            ignoreChanges: [...(settings.maxCount !== undefined ? ["desiredCount"] : []), ...(blueGreen ? ["loadBalancers"] : [])],
        },
    );

    if (settings.maxCount !== undefined) {
        const scaling = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${platform.cluster.name}/${ecsService.name}`,
                minCapacity: settings.desiredCount,
                maxCapacity: settings.maxCount,
            },
            { parent },
        );
        const track = (id: string, targetValue: number, metric: Partial<Pick<Tracking, "predefinedMetricSpecification" | "customizedMetricSpecification">>) =>
            new aws.appautoscaling.Policy(
                `${name}-${id}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: scaling.serviceNamespace,
                    scalableDimension: scaling.scalableDimension,
                    resourceId: scaling.resourceId,
                    targetTrackingScalingPolicyConfiguration: { targetValue, ...metric, scaleInCooldown: 300, scaleOutCooldown: 60 },
                },
                { parent },
            );
        track("cpu-scaling", CPU_TARGET_PERCENT, { predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } });
        // Requests per target over every target group traffic may reach: after a blue/green shift
        // the traffic is on green, and blue's count alone would let the service scale in under load
        // (the predefined ALBRequestCountPerTarget names one group; ECS: not supported with blue/green).
        // FILL: the idle group has no datapoint. During a shift the sum overstates the load, which
        // errs towards scaling out.
        if (target) {
            const groups = target.targetGroupArnSuffixes.map((suffix, i) => ({ id: `requests${i}`, suffix }));
            track("requests-scaling", REQUESTS_PER_TARGET, {
                customizedMetricSpecification: {
                    metrics: [
                        { id: "perTarget", expression: groups.map((g) => `FILL(${g.id}, 0)`).join(" + "), label: "requests per target", returnData: true },
                        ...groups.map((g) => ({
                            id: g.id,
                            returnData: false,
                            metricStat: {
                                metric: {
                                    namespace: "AWS/ApplicationELB",
                                    metricName: "RequestCountPerTarget",
                                    dimensions: [{ name: "TargetGroup", value: g.suffix }],
                                },
                                stat: "Sum",
                            },
                        })),
                    ],
                },
            });
        }
    }

    const dimensions = { ClusterName: platform.cluster.name, ServiceName: ecsService.name };
    for (const metricName of ["CPUUtilization", "MemoryUtilization"] as const) {
        metricAlarm(
            `${name}-${metricName === "CPUUtilization" ? "cpu" : "memory"}`,
            {
                description: `${service}: ${metricName} above ${RESOURCE_ALARM_PERCENT}%`,
                namespace: "AWS/ECS",
                metricName,
                dimensions,
                statistic: "Average",
                threshold: RESOURCE_ALARM_PERCENT,
                comparison: "GreaterThanThreshold",
            },
            platform.telemetry.alarmTopicArn,
            parent,
        );
    }
    // Fewer tasks running than desired (crash-looping, or none at all): the only signal for the
    // workers, which no load balancer health-checks. Container Insights (enabled on the cluster)
    // publishes both counts; a missing running count is read as none running.
    const insights = (metricName: string) => ({
        namespace: "ECS/ContainerInsights",
        metricName,
        dimensions,
        period: TASK_COUNT_ALARM_PERIOD_SECONDS,
        stat: "Minimum",
    });
    mathAlarm(
        `${name}-tasks-below-desired`,
        {
            description: `${service}: fewer tasks running than desired for ${TASK_COUNT_ALARM_PERIODS * (TASK_COUNT_ALARM_PERIOD_SECONDS / 60)} minutes`,
            comparison: "GreaterThanThreshold",
            threshold: 0,
            evaluationPeriods: TASK_COUNT_ALARM_PERIODS,
            queries: [
                { id: "missing", expression: "desired - FILL(running, 0)", label: "tasks missing", returnData: true },
                { id: "running", metric: insights("RunningTaskCount") },
                { id: "desired", metric: { ...insights("DesiredTaskCount"), stat: "Maximum" } },
            ],
        },
        platform.telemetry.alarmTopicArn,
        parent,
    );
    return { host: pulumi.output(service), port: args.definition.port };
}
