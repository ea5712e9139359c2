// Database migrations on AWS: a one-off ECS task run by the deployment before the backend service
// is updated. Contract with the application image (README, "Migrations on AWS"): the command runs
// `alembic upgrade head` as osint_migrator and exits 0 on success, non-zero on failure.
export const MIGRATION_COMMAND = ["alembic", "upgrade", "head"] as const;

// Runs where `pulumi up` runs (needs the AWS CLI v2 and the deployment's credentials). A snapshot
// first (the design's "create database backup before migration"), then the task; any non-zero
// exit stops the deployment before the backend service changes.
export const MIGRATION_SCRIPT = `set -euo pipefail
snapshot="$DB_INSTANCE-pre-migration-$(date -u +%Y%m%d%H%M%S)"
aws rds create-db-snapshot --db-instance-identifier "$DB_INSTANCE" --db-snapshot-identifier "$snapshot" >/dev/null
aws rds wait db-snapshot-available --db-snapshot-identifier "$snapshot"
task=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" --launch-type FARGATE \\
  --network-configuration "awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUP],assignPublicIp=DISABLED}" \\
  --started-by pulumi-migration --query 'tasks[0].taskArn' --output text)
aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"
code=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" --query 'tasks[0].containers[0].exitCode' --output text)
if [ "$code" != "0" ]; then
  echo "migration task $task exited with $code; snapshot $snapshot holds the database as it was before" >&2
  exit 1
fi
echo "migrations applied by $task (snapshot $snapshot taken before)"
`;
