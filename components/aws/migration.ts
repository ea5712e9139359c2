// One-off ECS tasks run by the deployment itself, before what depends on them: the database's
// access model (roles, grants, passwords) and the backend's migrations. Contract with the
// application image (docs/migrations.md): the migration command runs `alembic upgrade head` as
// osint_migrator and exits 0 on success, non-zero on failure.
//
// Every `aws` call runs with AWS_REGION set to the stack's region, which the CLI prefers to the
// shell's profile (AWS CLI v2, "Configuration and credential file settings": command line, then
// environment, then profile), so a laptop or a Deployments runner with another default region
// calls the stack's region.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export const MIGRATION_COMMAND = ["alembic", "upgrade", "head"] as const;

/** How often the deployment asks AWS whether a one-off task has stopped, or a secret has a value. */
export const POLL_SECONDS = 15;
/**
 * How long a one-off task (a long migration) may run before the deployment stops it and fails.
 * `aws ecs wait tasks-stopped` gives up after 100 polls of 6 s (10 minutes) while the task keeps
 * running (the ECS API's TasksStopped waiter), so the deployment polls on its own.
 */
export const ONE_OFF_TASK_TIMEOUT_MINUTES = 60;
/** `aws rds wait db-snapshot-available` polls 60 times 30 s apart (the RDS API's DBSnapshotAvailable waiter). */
export const SNAPSHOT_WAIT_MINUTES = 30;
/**
 * Pre-migration snapshots kept: the rollback points of the last few migrations (PITR and AWS Backup
 * cover the rest). Manual snapshots count against a regional quota (100 by default), so the step
 * that creates one deletes the older ones.
 */
export const PRE_MIGRATION_SNAPSHOTS_KEPT = 5;
/** The manual snapshots the deployment creates, and prunes: `<instance>-pre-migration-<UTC time>`. */
export const PRE_MIGRATION_SNAPSHOT_INFIX = "-pre-migration-";

// A snapshot first (the design's "create database backup before migration"), then the older
// pre-migration snapshots beyond the newest SNAPSHOTS_KEPT are deleted.
export const SNAPSHOT_SCRIPT = `snapshot="$DB_INSTANCE${PRE_MIGRATION_SNAPSHOT_INFIX}$(date -u +%Y%m%d%H%M%S)"
aws rds create-db-snapshot --db-instance-identifier "$DB_INSTANCE" --db-snapshot-identifier "$snapshot" >/dev/null
aws rds wait db-snapshot-available --db-snapshot-identifier "$snapshot"
aws rds describe-db-snapshots --db-instance-identifier "$DB_INSTANCE" --snapshot-type manual \\
  --query "reverse(sort_by(DBSnapshots[?starts_with(DBSnapshotIdentifier, '$DB_INSTANCE${PRE_MIGRATION_SNAPSHOT_INFIX}')], &SnapshotCreateTime))[$SNAPSHOTS_KEPT:].DBSnapshotIdentifier" \\
  --output text | tr '\\t' '\\n' | while read -r old; do
  if [ -n "$old" ] && [ "$old" != None ]; then
    aws rds delete-db-snapshot --db-snapshot-identifier "$old" >/dev/null
    echo "deleted pre-migration snapshot $old (keeping the newest $SNAPSHOTS_KEPT)"
  fi
done
`;

// Runs the task in the private subnets, polls until it stops (stopping it past the bound, so a
// rerun never races it), and fails unless it exited 0.
export const RUN_TASK_SCRIPT = `task=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" --launch-type FARGATE \\
  --network-configuration "awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP],assignPublicIp=DISABLED}" \\
  --started-by pulumi --query 'tasks[0].taskArn' --output text)
deadline=$(( $(date +%s) + TIMEOUT_MINUTES * 60 ))
while :; do
  status=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --query 'tasks[0].lastStatus' --output text)
  [ "$status" = STOPPED ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    aws ecs stop-task --cluster "$CLUSTER" --task "$task" --reason "deployment waited $TIMEOUT_MINUTES minutes" >/dev/null
    echo "one-off task $task still $status after $TIMEOUT_MINUTES minutes: stopped it\${snapshot:+; snapshot $snapshot holds the database as it was before}" >&2
    exit 1
  fi
  sleep "$POLL_SECONDS"
done
code=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --query 'tasks[0].containers[0].exitCode' --output text)
if [ "$code" != "0" ]; then
  echo "one-off task $task exited with $code\${snapshot:+; snapshot $snapshot holds the database as it was before}" >&2
  exit 1
fi
echo "one-off task $task exited 0"
`;

export interface OneOffTaskArgs {
    /** The stack's region (aws:region): every aws call is made there. */
    readonly region: pulumi.Input<string>;
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
            create: `set -euo pipefail\n${args.snapshotOf === undefined ? "" : SNAPSHOT_SCRIPT}${RUN_TASK_SCRIPT}`,
            interpreter: ["/bin/bash", "-c"],
            environment: {
                AWS_REGION: args.region,
                CLUSTER: args.cluster,
                TASK_DEFINITION: args.taskDefinitionArn,
                SUBNETS: pulumi.output(args.subnetIds).apply((s) => s.join(",")),
                SECURITY_GROUP: args.securityGroupId,
                TIMEOUT_MINUTES: String(ONE_OFF_TASK_TIMEOUT_MINUTES),
                POLL_SECONDS: String(POLL_SECONDS),
                ...(args.snapshotOf === undefined ? {} : { DB_INSTANCE: args.snapshotOf, SNAPSHOTS_KEPT: String(PRE_MIGRATION_SNAPSHOTS_KEPT) }),
            },
            triggers: [args.taskDefinitionArn, ...(args.triggers ?? [])],
        },
        opts,
    );
}
