// Issue 21, the runbooks tried as a new operator would: a real path to the private database with no
// standing bastion (the stack's on-demand psql task), counts restored as they were, and no waiter that
// gives up while a task still runs. The commands are checked against the plans they operate on.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
// The database component first: its index and its aws module import each other.
import "../../components/database";
import { QUERY_ROLE, QUERY_TASK } from "../../components/database/aws";
import { DATABASE_PORT } from "../../components/service/catalog";
import { RUN_SECURITY_GROUPS_TAG, RUN_SUBNETS_TAG } from "../../lib/on-demand-placement";
import type { Plan } from "../../lib/plan-engine";
import { ofType, projectDir, stackPlan, stackPlanWith } from "../helpers/plan";
import { awsStacks, containerOf, one, TYPES } from "./helpers";

const runbook = (file: string) => fs.readFileSync(path.join(projectDir, "docs", "runbooks", file), "utf8");
/** The shell in a Markdown file's fenced blocks, a backslash-newline joining a command's lines. */
const shell = (text: string) => [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, "")).join("\n");

describe("runbooks: the operator's path to the private database (issue 21)", () => {
    const pitr = runbook("rds-point-in-time-recovery.md");
    const commands = shell(pitr);

    for (const stack of awsStacks)
        it(`${stack}: the PITR check runs the stack's on-demand psql task, in a group the database admits`, async () => {
            const plan: Plan = await stackPlanWith(stack, { databaseQueryTask: "true" });
            assert.deepEqual(
                ofType(await stackPlan(stack), TYPES.taskDefinition).filter((t) => t.name === QUERY_TASK),
                [],
                "declared only with databaseQueryTask",
            );
            const task = one(plan, TYPES.taskDefinition, QUERY_TASK);
            const family = String(task.inputs.family);
            assert.ok(commands.includes(`--task-definition ${family.replace(`-${stack}-`, "-$STACK-")}`), `runs ${family}`);
            const container = containerOf(task);
            assert.ok(commands.includes(`\\"name\\":\\"${container.name}\\"`), "overrides the task's container by its name");
            for (const variable of ["PGHOST", "QUERY"])
                assert.ok(container.environment.some((e) => e.name === variable) && commands.includes(`\\"name\\":\\"${variable}\\"`), variable);
            assert.equal(container.environment.find((e) => e.name === "PGUSER")?.value, QUERY_ROLE);
            assert.deepEqual(
                container.secrets.map((s) => s.valueFrom),
                [`arn:aws:secretsmanager:us-east-1:123456789012:database-${QUERY_ROLE}-password`],
            );
            assert.ok(
                !ofType(plan, TYPES.command).some((c) => (c.inputs.environment as Record<string, string>).TASK_DEFINITION === task.inputs.family),
                "never run by the deployment",
            );

            // Where the runbook runs it is what the task definition declares (the placement the
            // reachability model checks): the database-admin group, which reaches PostgreSQL, and the
            // private subnets.
            const tags = task.inputs.tags as Record<string, string>;
            for (const [key, variable] of [
                [RUN_SUBNETS_TAG, "SUBNETS"],
                [RUN_SECURITY_GROUPS_TAG, "SG"],
            ])
                assert.ok(
                    commands.includes(
                        `${variable}=$(aws ecs describe-task-definition --region $REGION --task-definition ${family.replace(`-${stack}-`, "-$STACK-")} ` +
                            `--include TAGS --query "tags[?key=='${key}'].value | [0]" --output text | tr ' ' ',')`,
                    ),
                    `reads ${variable} from the tag ${key}`,
                );
            assert.match(commands, /subnets=\[\$SUBNETS\],securityGroups=\[\$SG\],assignPublicIp=DISABLED/);
            const group = ofType(plan, TYPES.securityGroup).find((g) => `${g.name}-id` === tags[RUN_SECURITY_GROUPS_TAG]);
            assert.equal((group?.inputs.tags as Record<string, string> | undefined)?.Name, `osint-platform-${stack}-database-admin`);
            const database = one(plan, TYPES.securityGroup, "network-database");
            const sg = `${group!.name}-id`;
            assert.ok(
                ofType(plan, TYPES.egress).some(
                    (r) =>
                        r.inputs.securityGroupId === sg && r.inputs.fromPort === DATABASE_PORT && r.inputs.referencedSecurityGroupId === `${database.name}-id`,
                ),
                "its egress to PostgreSQL",
            );
            assert.ok(
                ofType(plan, TYPES.ingress).some(
                    (r) =>
                        r.inputs.securityGroupId === `${database.name}-id` && r.inputs.fromPort === DATABASE_PORT && r.inputs.referencedSecurityGroupId === sg,
                ),
                "the database admits it",
            );
            const subnetIds = tags[RUN_SUBNETS_TAG].split(" ");
            assert.deepEqual(
                subnetIds.map((id) => (ofType(plan, TYPES.subnet).find((s) => `${s.name}-id` === id)?.inputs.tags as Record<string, string> | undefined)?.tier),
                ofType(plan, TYPES.subnet)
                    .filter((s) => (s.inputs.tags as Record<string, string>).tier === "private")
                    .map(() => "private"),
                "every private subnet, and only those",
            );
            assert.equal(subnetIds.length, stack === "prod" ? 3 : 2);
            assert.ok(commands.includes(`aws logs tail --region $REGION /osint-platform-$STACK/${QUERY_TASK}`), "reads the output from its log group");
        });

    it("names no bastion and no SSM session the stacks do not have", () => {
        assert.doesNotMatch(pitr, /through the bastion|bastion\/SSM|SSM session/i);
    });

    it("restores each writer's own desired count, noted before scaling to zero", () => {
        assert.doesNotMatch(commands, /--desired-count [1-9]/, "no count written in for every service");
        assert.match(commands, /COUNT\[\$svc\]=\$\(aws ecs describe-services .*--query 'services\[0\]\.desiredCount'/);
        assert.match(commands, /--desired-count \$\{COUNT\[\$svc\]\} --force-new-deployment/);
    });
});

describe("runbooks: no waiter that gives up while the task runs (issue 21)", () => {
    it("the migration rollback polls the downgrade task to its end instead of aws ecs wait tasks-stopped", () => {
        for (const file of fs.readdirSync(path.join(projectDir, "docs", "runbooks"))) {
            const commands = shell(runbook(file));
            assert.doesNotMatch(commands, /aws ecs wait tasks-stopped/, file);
        }
        const rollback = shell(runbook("database-migration-rollback.md"));
        assert.match(rollback, /until \[ "\$\(aws ecs describe-tasks .*lastStatus/);
        assert.match(rollback, /deadline=/);
    });
});
