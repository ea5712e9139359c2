// Issue 13, items 1-14: what would stop the first real `pulumi up` of staging or prod, or a later
// deploy, and what would misbehave in production, each asserted on the stacks' plans (and the
// deployment's shell steps run against a stand-in `aws` CLI).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { REGISTRY_CREDENTIALS_WAIT_MINUTES } from "../../components/cluster";
// The database component first: its index and its aws module import each other.
import "../../components/database";
import { FREE_STORAGE_ALARM_FRACTION, STORAGE_AUTOSCALING_FACTOR } from "../../components/database/aws";
import { BODY_SIZE_RULE, LARGE_BODY_PATH_PREFIX, MANAGED_RULE_GROUPS } from "../../components/proxy/aws";
import { BLUE_GREEN_BAKE_MINUTES } from "../../components/service/aws";
import { applicationServices, serviceDefinitions } from "../../components/service/catalog";
import {
    ONE_OFF_TASK_TIMEOUT_MINUTES,
    POLL_SECONDS,
    PRE_MIGRATION_SNAPSHOT_INFIX,
    PRE_MIGRATION_SNAPSHOTS_KEPT,
    SNAPSHOT_WAIT_MINUTES,
} from "../../components/aws/migration";
import { SECRET_RECOVERY_WINDOW_DAYS } from "../../components/aws/platform";
import { PSQL_SCRATCH_DIR } from "../../components/aws/psql";
import { APPLICATION_SCRATCH_VOLUME, thirdPartyImages } from "../../components/shared/images";
import { DEPLOY_BUDGET_MINUTES, sessionDuration } from "../../deployments/settings";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { ofType, projectDir, stackPlan } from "../helpers/plan";
import { awsStacks, containerOf, dependsOn, one, runWithAws, TYPES } from "./helpers";

const environmentOf = (r: PlanResource) => r.inputs.environment as Record<string, string>;
const regionOf = (stack: string) => readStackConfig(projectDir, stack).config["aws:region"];

// Answers for the migration: snapshots listed for pruning, a task RUNNING twice then STOPPED with $EXIT_CODE.
const MIGRATION_ANSWERS = `case "$1 $2" in
  "rds describe-db-snapshots") printf 'old-a\\told-b\\n' ;;
  "ecs run-task") echo arn:aws:ecs:task/1 ;;
  "ecs describe-tasks")
    if [[ "$*" == *lastStatus* ]]; then n=$(cat "$HOME/polls" 2>/dev/null || echo 0); echo $((n + 1)) > "$HOME/polls"
      if [ "$n" -ge 2 ]; then echo STOPPED; else echo RUNNING; fi
    else echo "$EXIT_CODE"; fi ;;
esac`;

for (const stack of awsStacks) {
    describe(`first up and every deploy (${stack})`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });
        const taskDefinitions = () => ofType(plan, TYPES.taskDefinition);
        const reaches = (from: PlanResource, to: string): boolean => dependsOn(plan, from, to);

        it("1: the psql tasks write only under the client image's declared volume, which its user owns", () => {
            for (const name of ["database-access", "backend-seed"]) {
                const container = containerOf(one(plan, TYPES.taskDefinition, name)) as ReturnType<typeof containerOf> & {
                    mountPoints: { containerPath: string }[];
                };
                assert.equal(container.user, thirdPartyImages.postgres.user);
                assert.equal(container.readonlyRootFilesystem, true);
                assert.deepEqual(
                    container.mountPoints.map((m) => m.containerPath),
                    [thirdPartyImages.postgres.writableVolume],
                );
                const written = [...container.command![2].matchAll(/> (\S+)/g)].map((m) => m[1]);
                assert.ok(written.length > 0, `${name} writes its scripts`);
                for (const file of written) assert.ok(file.startsWith(`${PSQL_SCRATCH_DIR}/`), `${name} writes ${file}`);
            }
            for (const service of applicationServices) {
                const container = containerOf(one(plan, TYPES.taskDefinition, service)) as ReturnType<typeof containerOf> & {
                    mountPoints: { containerPath: string }[];
                };
                assert.deepEqual(
                    container.mountPoints.map((m) => m.containerPath),
                    [APPLICATION_SCRATCH_VOLUME],
                    `${service}: the image contract's volume`,
                );
            }
        });

        it("2: each service behind the load balancer waits for the listener rule forwarding to its target group", () => {
            for (const service of ["frontend", "backend"]) {
                const rule = one(plan, "aws:lb/listenerRule:ListenerRule", `proxy-${service}`);
                assert.ok(reaches(one(plan, TYPES.service, service), rule.urn), `${service} → ${rule.name}`);
            }
        });

        it(`3: nothing pulls a GHCR image before its credentials hold a value (polled ${REGISTRY_CREDENTIALS_WAIT_MINUTES} minutes)`, () => {
            const gate = one(plan, TYPES.command, "network-cluster-ghcr-credentials-stored");
            assert.equal(environmentOf(gate).WAIT_MINUTES, String(REGISTRY_CREDENTIALS_WAIT_MINUTES));
            for (const service of applicationServices) assert.ok(reaches(one(plan, TYPES.service, service), gate.urn), service);
            assert.ok(one(plan, TYPES.command, "backend-migrate").options.dependsOn.includes(gate.urn), "the migration pulls the backend image");
            const script = String(gate.inputs.create);
            assert.ok(script.includes("describe-secret"), "waits for a version first");

            // Issue 21, fix 3: the value must have ECR's keys; only key names are ever printed.
            const env = { ...environmentOf(gate), POLL_SECONDS: "0" };
            const answers = `case "$1 $2" in
  "secretsmanager describe-secret") n=$(cat "$HOME/n" 2>/dev/null || echo 0); echo $((n + 1)) > "$HOME/n"; [ "$n" -ge 1 ] && printf 'v1\\tAWSCURRENT\\n' || echo None ;;
  "secretsmanager get-secret-value") printf '%s\\n' "$VALUE" ;;
esac`;
            const token = "ghp_MOCKTOKEN";
            const stored = runWithAws(script, { ...env, VALUE: JSON.stringify({ username: "octocat", accessToken: token }) }, answers);
            assert.equal(stored.status, 0, stored.stderr);
            assert.equal(stored.calls.filter((c) => c.includes("describe-secret")).length, 2, "polls until a version is AWSCURRENT");
            assert.ok(!`${stored.stdout}${stored.stderr}`.includes(token), "never prints the value");
            for (const [value, problem] of [
                [JSON.stringify({ username: "octocat", password: token }), "lack accessToken (ECR reads the keys username and accessToken)"],
                [JSON.stringify({ accessToken: token, username: "" }), "lack username (ECR reads the keys username and accessToken)"],
                [`{"username":"octocat","accessToken":"${token}"`, "hold no JSON object"],
            ]) {
                const wrong = runWithAws(script, { ...env, WAIT_MINUTES: "0", VALUE: value }, answers.replace('[ "$n" -ge 1 ]', "true"));
                assert.equal(wrong.status, 1, value);
                assert.ok(wrong.stderr.includes(`network-cluster-ghcr-credentials ${problem} after 0 minutes`), wrong.stderr);
                assert.ok(!`${wrong.stdout}${wrong.stderr}`.includes(token), "never prints the value, nor a parser's quote of it");
            }
            const empty = runWithAws(script, { ...env, WAIT_MINUTES: "0" }, "echo None");
            assert.equal(empty.status, 1);
            assert.match(empty.stderr, /hold no value after 0 minutes/);
            assert.match(empty.stderr, /aws secretsmanager put-secret-value --region us-east-1 --secret-id arn:aws:secretsmanager:/);
            assert.match(empty.stderr, /"username":"<github user>","accessToken":"<read:packages token>"/);
        });

        it("4: every aws CLI call of the deployment runs in the stack's region", () => {
            const commands = ofType(plan, TYPES.command).filter((c) => /(^|\s|\()aws /m.test(String(c.inputs.create)));
            assert.ok(commands.length >= 4, "the GHCR gate, access model, migration and seed");
            for (const c of commands) assert.equal(environmentOf(c).AWS_REGION, regionOf(stack), c.name);
            const migrate = one(plan, TYPES.command, "backend-migrate");
            const run = runWithAws(String(migrate.inputs.create), { ...environmentOf(migrate), POLL_SECONDS: "0", EXIT_CODE: "0" }, MIGRATION_ANSWERS);
            assert.equal(run.status, 0, run.stderr);
            for (const call of run.calls) assert.ok(call.startsWith(`${regionOf(stack)}|`), call);
        });

        it(`5: the migration snapshots first and keeps the newest ${PRE_MIGRATION_SNAPSHOTS_KEPT} pre-migration snapshots`, () => {
            const migrate = one(plan, TYPES.command, "backend-migrate");
            const env = environmentOf(migrate);
            assert.equal(env.SNAPSHOTS_KEPT, String(PRE_MIGRATION_SNAPSHOTS_KEPT));
            const run = runWithAws(String(migrate.inputs.create), { ...env, POLL_SECONDS: "0", EXIT_CODE: "0" }, MIGRATION_ANSWERS);
            assert.equal(run.status, 0, run.stderr);
            const verbs = run.calls.map((c) => c.split("|")[1].split(" ").slice(0, 2).join(" "));
            assert.equal(verbs[0], "rds create-db-snapshot");
            const list = run.calls.find((c) => c.includes("describe-db-snapshots"))!;
            assert.ok(list.includes(`starts_with(DBSnapshotIdentifier, '${env.DB_INSTANCE}${PRE_MIGRATION_SNAPSHOT_INFIX}')`), list);
            assert.ok(list.includes(`[${PRE_MIGRATION_SNAPSHOTS_KEPT}:]`), "all but the newest N, newest first");
            assert.deepEqual(
                run.calls.filter((c) => c.includes("delete-db-snapshot")).map((c) => c.split(" ").at(-1)),
                ["old-a", "old-b"],
            );
            assert.ok(verbs.indexOf("ecs run-task") > verbs.lastIndexOf("rds delete-db-snapshot"), "prunes before migrating");
        });

        it(`7: polls a one-off task until it stops, for at most ${ONE_OFF_TASK_TIMEOUT_MINUTES} minutes, then stops it and fails`, () => {
            const migrate = one(plan, TYPES.command, "backend-migrate");
            const env = { ...environmentOf(migrate), POLL_SECONDS: "0" };
            assert.equal(environmentOf(migrate).TIMEOUT_MINUTES, String(ONE_OFF_TASK_TIMEOUT_MINUTES));
            assert.equal(environmentOf(migrate).POLL_SECONDS, String(POLL_SECONDS));
            const ok = runWithAws(String(migrate.inputs.create), { ...env, EXIT_CODE: "0" }, MIGRATION_ANSWERS);
            assert.equal(ok.status, 0, ok.stderr);
            assert.equal(ok.calls.filter((c) => c.includes("lastStatus")).length, 3, "RUNNING, RUNNING, STOPPED");
            const failed = runWithAws(String(migrate.inputs.create), { ...env, EXIT_CODE: "3" }, MIGRATION_ANSWERS);
            assert.equal(failed.status, 1);
            assert.match(failed.stderr, /exited with 3; snapshot .*-pre-migration-\d{14} holds the database/);
            const late = runWithAws(String(migrate.inputs.create), { ...env, TIMEOUT_MINUTES: "0", EXIT_CODE: "0" }, MIGRATION_ANSWERS);
            assert.equal(late.status, 1);
            assert.ok(
                late.calls.some((c) => c.includes("ecs stop-task")),
                "stops the task so a rerun never races it",
            );
            assert.match(late.stderr, /still RUNNING after 0 minutes/);
        });

        it("8: secrets are named with a random suffix and kept recoverable for the environment's window", () => {
            const environment = stack === "prod" ? "production" : "staging";
            const secrets = ofType(plan, "aws:secretsmanager/secret:Secret");
            assert.ok(secrets.length >= 5, "role passwords, Redis token, GHCR credentials");
            for (const s of secrets) {
                assert.equal(s.inputs.name, undefined, `${s.name}: no fixed name`);
                // ECR's pull-through cache reads upstream credentials only under its own name prefix.
                assert.match(String(s.inputs.namePrefix), new RegExp(`^(ecr-pullthroughcache/)?osint-platform-${stack}/.+-$`), s.name);
                assert.equal(s.inputs.recoveryWindowInDays, SECRET_RECOVERY_WINDOW_DAYS[environment], s.name);
            }
        });

        it("11: services holding Redis credentials are told to use TLS", () => {
            for (const service of applicationServices) {
                const env = Object.fromEntries(containerOf(one(plan, TYPES.taskDefinition, service)).environment.map((e) => [e.name, e.value]));
                assert.equal(env.REDIS_TLS, serviceDefinitions[service].dataAccess ? "true" : undefined, service);
            }
            assert.equal(one(plan, TYPES.redis, "cache-redis").inputs.transitEncryptionEnabled, true);
        });

        it("12: failed AWS Backup jobs notify the alarm topic, which lets EventBridge publish", () => {
            const rule = one(plan, "aws:cloudwatch/eventRule:EventRule", "backups-failed-jobs");
            const pattern = JSON.parse(String(rule.inputs.eventPattern)) as { source: string[]; "detail-type": string[]; detail: { state: string[] } };
            assert.deepEqual(pattern.source, ["aws.backup"]);
            assert.deepEqual(pattern["detail-type"], ["Backup Job State Change", "Copy Job State Change"]);
            assert.deepEqual(pattern.detail.state, ["FAILED", "ABORTED", "EXPIRED"]);
            const target = one(plan, "aws:cloudwatch/eventTarget:EventTarget", "backups-failed-jobs");
            const topic = one(plan, "aws:sns/topic:Topic", "network-telemetry-alarms");
            assert.ok(target.dependencies.includes(topic.urn), "targets the alarm topic");
            const policy = JSON.parse(String(one(plan, "aws:sns/topicPolicy:TopicPolicy", "network-telemetry-alarms").inputs.policy)) as {
                Statement: { Principal: { Service: string[] }; Action: string }[];
            };
            assert.ok(policy.Statement.some((s) => s.Action === "sns:Publish" && s.Principal.Service.includes("events.amazonaws.com")));
        });

        it("12: a worker with fewer running tasks than desired raises an alarm; free storage is judged against the autoscaling ceiling", () => {
            for (const service of applicationServices) {
                const alarm = one(plan, TYPES.alarm, `${service}-tasks-below-desired`);
                const queries = alarm.inputs.metricQueries as { id: string; expression?: string; metric?: { metricName: string; namespace: string } }[];
                assert.equal(queries.find((q) => q.expression)!.expression, "desired - FILL(running, 0)");
                assert.deepEqual(
                    queries.filter((q) => q.metric).map((q) => `${q.metric!.namespace}:${q.metric!.metricName}`),
                    ["ECS/ContainerInsights:RunningTaskCount", "ECS/ContainerInsights:DesiredTaskCount"],
                );
                assert.equal(alarm.inputs.threshold, 0);
            }
            const storage = one(plan, TYPES.rds, "database-postgres").inputs;
            assert.equal(storage.maxAllocatedStorage, Number(storage.allocatedStorage) * STORAGE_AUTOSCALING_FACTOR);
            assert.equal(
                one(plan, TYPES.alarm, "database-free-storage").inputs.threshold,
                Number(storage.maxAllocatedStorage) * FREE_STORAGE_ALARM_FRACTION * 1024 ** 3,
            );
        });

        it(`13: WAF counts the Common rule set's body-size rule and blocks its label outside ${LARGE_BODY_PATH_PREFIX}`, () => {
            type Rule = { name: string; priority: number; statement: Record<string, unknown>; action?: unknown };
            const rules = one(plan, TYPES.webAcl, "proxy-waf").inputs.rules as Rule[];
            const common = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet")!;
            assert.deepEqual((common.statement.managedRuleGroupStatement as { ruleActionOverrides: unknown }).ruleActionOverrides, [
                { name: BODY_SIZE_RULE.name, actionToUse: { count: {} } },
            ]);
            const body = rules.find((r) => r.name === "body-size-outside-api")!;
            assert.ok(body.priority > common.priority, "labels reach only later rules");
            assert.equal(body.priority, MANAGED_RULE_GROUPS.length + 1);
            assert.deepEqual(body.action, { block: {} });
            const [label, not] = (body.statement.andStatement as { statements: Record<string, unknown>[] }).statements;
            assert.deepEqual(label, { labelMatchStatement: { scope: "LABEL", key: BODY_SIZE_RULE.label } });
            assert.equal(
                (not.notStatement as { statement: { byteMatchStatement: { searchString: string; positionalConstraint: string } } }).statement.byteMatchStatement
                    .searchString,
                LARGE_BODY_PATH_PREFIX,
            );
        });

        it("14: health checks run what each image ships (its python, or wget on alpine), never curl", () => {
            for (const td of taskDefinitions()) {
                const check = containerOf(td).healthCheck;
                if (!check) continue;
                assert.ok(!check.command.includes("curl"), td.name);
                const service = td.name as (typeof applicationServices)[number];
                assert.equal(check.command[1], serviceDefinitions[service].probe, td.name);
            }
        });
    });
}

describe("7: a first prod up fits the CI job, its AWS session and the Deployments session", () => {
    it(`budgets ${DEPLOY_BUDGET_MINUTES} minutes, more than the first up's critical path`, () => {
        // RDS Multi-AZ creation (allowance), the snapshot and migration bounds, blue/green bake plus steady state (allowance).
        const criticalPath = 60 + SNAPSHOT_WAIT_MINUTES + ONE_OFF_TASK_TIMEOUT_MINUTES + BLUE_GREEN_BAKE_MINUTES + 30;
        assert.ok(DEPLOY_BUDGET_MINUTES >= criticalPath, `${DEPLOY_BUDGET_MINUTES} < ${criticalPath}`);
        const read = (file: string) => fs.readFileSync(path.join(projectDir, file), "utf8");
        const workflow = read(".github/workflows/ci-cd.yml");
        for (const job of ["deploy-staging", "deploy-production", "rollback-staging", "rollback-production"]) {
            const block = workflow.slice(workflow.indexOf(`\n  ${job}:\n`) + 1).split(/\n {2}\S/)[0];
            assert.match(block, new RegExp(`timeout-minutes: ${DEPLOY_BUDGET_MINUTES}\\b`), job);
            assert.match(block, new RegExp(`role-duration-seconds: ${DEPLOY_BUDGET_MINUTES * 60}\\b`), job);
        }
        assert.match(read(".github/actions/pulumi-stack/action.yml"), /role-duration-seconds: \$\{\{ inputs\.role-duration-seconds \}\}/);
        assert.equal(sessionDuration(DEPLOY_BUDGET_MINUTES), "4h0m0s");
    });
});
