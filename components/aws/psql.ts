// A one-off ECS task that runs psql inside the VPC (where the isolated database is reachable):
// the database's access model as the master user, and the seed data after the migrations.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import { CA_BUNDLE_FILE, CA_BUNDLE_VARIABLE } from "../database/rds-ca";
import { oneOffTask } from "./migration";
import { type AwsAttachment, secretArnOf, taskExecutionRole } from "./platform";
import { awsName } from "./names";
import { thirdPartyImages } from "../shared/images";
import { RUN_SECURITY_GROUPS_TAG, RUN_SUBNETS_TAG } from "../../lib/on-demand-placement";
import { encryptedLogGroup } from "../telemetry";

/** psql from the dev image's release line, from ECR Public (no Docker Hub pull limits). */
export const DATABASE_CLIENT_IMAGE = `public.ecr.aws/docker/library/${thirdPartyImages.postgres.reference}`;
/** Where the psql tasks write their scripts: the client image's declared volume, which its user owns. */
export const PSQL_SCRATCH_DIR = thirdPartyImages.postgres.writableVolume;
// The client image's root is read-only and its /tmp root-owned: the bundle goes where its user writes.
const PSQL_CA_BUNDLE = `${PSQL_SCRATCH_DIR}/${CA_BUNDLE_FILE}`;
/** psql running a few kB of SQL: Fargate's smallest task. */
export const PSQL_TASK_SIZE = { cpuUnits: 256, memoryMb: 512 } as const;

/** The environment variable carrying a script file's text: `10-access-model.sql` → SCRIPT_10_ACCESS_MODEL_SQL. */
export function scriptVariable(file: string): string {
    return `SCRIPT_${file.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
}

/** Shell lines that write each file from its variable to PSQL_SCRATCH_DIR, each followed by `run` when given. */
export function scriptFiles(files: readonly { readonly name: string }[], run?: (path: string, name: string) => string): string {
    return files
        .map((f) => {
            const file = `${PSQL_SCRATCH_DIR}/${f.name}`;
            return `printf '%s' "$${scriptVariable(f.name)}" > ${file}${run ? `\n${run(file, f.name)}` : ""}`;
        })
        .join("\n");
}

export interface PsqlTaskArgs {
    readonly platform: AwsAttachment;
    readonly prefix: string;
    /** Names the task family, its log group and its log stream (`database-access`, `database-seed`). */
    readonly purpose: string;
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    /** Environment variable → Secrets Manager reference (PGPASSWORD at least). */
    readonly secrets: Readonly<Record<string, pulumi.Output<string>>>;
    /** The files the shell script writes out and runs, passed as plain variables. */
    readonly files: readonly { readonly name: string; readonly content: string }[];
    readonly script: string;
    /** The RDS CA bundle (PEM): psql verifies the server's certificate and name (verify-full). */
    readonly caBundle: pulumi.Input<string>;
    readonly environment?: Readonly<Record<string, string>>;
    /** Run again when any of these change (a new task definition revision always does). */
    readonly triggers?: pulumi.Input<string>[];
}

/** Where every psql task runs: the private subnets, with the group the database admits. */
function psqlPlacement(platform: AwsAttachment) {
    return { subnetIds: platform.subnetIds.private, securityGroupId: platform.securityGroupIds.databaseAdmin };
}

/**
 * A psql task the deployment never runs, that an operator runs on demand (the database-query task):
 * its definition declares where it runs in its tags (lib/on-demand-placement.ts), which the
 * reachability model checks and the runbook reads back.
 */
export function onDemandPsqlTaskDefinition(name: string, args: PsqlTaskArgs, parent: pulumi.Resource): aws.ecs.TaskDefinition {
    const placement = psqlPlacement(args.platform);
    return psqlTaskDefinition(name, args, parent, {
        [RUN_SUBNETS_TAG]: pulumi.all(placement.subnetIds).apply((ids) => ids.join(" ")),
        [RUN_SECURITY_GROUPS_TAG]: placement.securityGroupId,
    });
}

function psqlTaskDefinition(name: string, args: PsqlTaskArgs, parent: pulumi.Resource, tags?: Record<string, pulumi.Input<string>>): aws.ecs.TaskDefinition {
    const { platform, prefix, purpose } = args;
    const logs = encryptedLogGroup(`${name}-logs`, `/${prefix}/${purpose}`, platform.telemetry, parent);
    return new aws.ecs.TaskDefinition(
        name,
        {
            family: awsName("aws:ecs/taskDefinition:TaskDefinition", "family", `${prefix}-${purpose}`),
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(PSQL_TASK_SIZE.cpuUnits),
            memory: String(PSQL_TASK_SIZE.memoryMb),
            executionRoleArn: taskExecutionRole(`${name}-execution`, Object.values(args.secrets).map(secretArnOf), logs.arn, platform, parent).arn,
            volumes: [{ name: "scratch" }],
            containerDefinitions: pulumi.jsonStringify([
                {
                    name: purpose,
                    image: platform.cluster.images.pullReference(DATABASE_CLIENT_IMAGE),
                    essential: true,
                    user: thirdPartyImages.postgres.user,
                    cpu: PSQL_TASK_SIZE.cpuUnits,
                    memory: PSQL_TASK_SIZE.memoryMb,
                    readonlyRootFilesystem: true,
                    mountPoints: [{ sourceVolume: "scratch", containerPath: PSQL_SCRATCH_DIR, readOnly: false }],
                    linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
                    command: ["sh", "-c", `set -eu\nprintf '%s' "$${CA_BUNDLE_VARIABLE}" > ${PSQL_CA_BUNDLE}\n${args.script}`],
                    environment: Object.entries({
                        PGHOST: args.host,
                        PGPORT: String(args.port),
                        PGDATABASE: args.database,
                        PGUSER: args.user,
                        PGSSLMODE: "verify-full",
                        PGSSLROOTCERT: PSQL_CA_BUNDLE,
                        [CA_BUNDLE_VARIABLE]: args.caBundle,
                        ...args.environment,
                        ...Object.fromEntries(args.files.map((f) => [scriptVariable(f.name), f.content])),
                    }).map(([envName, value]) => ({ name: envName, value })),
                    secrets: Object.entries(args.secrets).map(([secretName, from]) => ({ name: secretName, valueFrom: from })),
                    logConfiguration: {
                        logDriver: "awslogs",
                        options: { "awslogs-group": logs.name, "awslogs-region": platform.region, "awslogs-stream-prefix": purpose },
                    },
                },
            ]),
            tags,
        },
        { parent },
    );
}

/** A psql task the deployment runs once (again when its definition or `triggers` change), in the private subnets. */
export function psqlTask(
    name: string,
    args: PsqlTaskArgs,
    opts: { readonly parent: pulumi.Resource; readonly dependsOn: readonly pulumi.Resource[] },
): pulumi.Resource {
    const { platform } = args;
    const task = psqlTaskDefinition(name, args, opts.parent);
    return oneOffTask(
        name,
        {
            region: platform.region,
            cluster: platform.cluster.name,
            taskDefinitionArn: task.arn,
            ...psqlPlacement(platform),
            triggers: args.triggers,
        },
        // The task's endpoints and security-group rules exist before it runs.
        { ...opts, dependsOn: [...opts.dependsOn, ...platform.taskNetwork] },
    );
}
