// One-off ECS tasks run by the deployment itself, before what depends on them: the database's
// access model (roles, grants, passwords) and the backend's migrations. Contract with the
// application image (docs/migrations.md): the migration command runs `alembic upgrade head` as
// osint_migrator and exits 0 on success, non-zero on failure.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export const MIGRATION_COMMAND = ["alembic", "upgrade", "head"] as const;

// A snapshot first (the design's "create database backup before migration").
const SNAPSHOT = `snapshot="$DB_INSTANCE-pre-migration-$(date -u +%Y%m%d%H%M%S)"
aws rds create-db-snapshot --db-instance-identifier "$DB_INSTANCE" --db-snapshot-identifier "$snapshot" >/dev/null
aws rds wait db-snapshot-available --db-snapshot-identifier "$snapshot"
`;

// Runs the task in the private subnets, waits for it to stop, and fails unless it exited 0.
const RUN_TASK = `task=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" --launch-type FARGATE \\
  --network-configuration "awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP],assignPublicIp=DISABLED}" \\
  --started-by pulumi --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"
code=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --query 'tasks[0].containers[0].exitCode' --output text)
if [ "$code" != "0" ]; then
  echo "one-off task $task exited with $code\${snapshot:+; snapshot $snapshot holds the database as it was before}" >&2
  exit 1
fi
echo "one-off task $task exited 0"
`;

export interface OneOffTaskArgs {
    readonly cluster: pulumi.Input<string>;
    readonly taskDefinitionArn: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    /** Snapshot this RDS instance before the task runs (migrations). */
    readonly snapshotOf?: pulumi.Input<string>;
    /** Run again when any of these change (a new task definition revision always does). */
    readonly triggers?: pulumi.Input<string>[];
}

/** Runs the task where `pulumi up` runs (needs the AWS CLI v2); a non-zero exit stops the deployment. */
export function oneOffTask(name: string, args: OneOffTaskArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
    return new command.local.Command(
        name,
        {
            create: `set -euo pipefail\n${args.snapshotOf === undefined ? "" : SNAPSHOT}${RUN_TASK}`,
            interpreter: ["/bin/bash", "-c"],
            environment: {
                CLUSTER: args.cluster,
                TASK_DEFINITION: args.taskDefinitionArn,
                SUBNETS: pulumi.output(args.subnetIds).apply((s) => s.join(",")),
                SECURITY_GROUP: args.securityGroupId,
                ...(args.snapshotOf === undefined ? {} : { DB_INSTANCE: args.snapshotOf }),
            },
            triggers: [args.taskDefinitionArn, ...(args.triggers ?? [])],
        },
        opts,
    );
}
