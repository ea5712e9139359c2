// The access model reaches RDS one of two ways, chosen by `databaseAccess`: the rendered init
// scripts in a one-off ECS task (default), or @pulumi/postgresql resources (pulumi inside the VPC).
import { strict as assert } from "node:assert";
import { MASTER_USERNAME } from "../../components/database/roles";
import { seedCommand, seedFiles } from "../../components/database/seeds";
import { PSQL_SCRATCH_DIR, scriptVariable } from "../../components/aws/psql";
import type { Plan } from "../../lib/plan-engine";
import { secretReadConsumed } from "../semantics/rules/secret-read-consumed";
import { ofType, stackPlan, stackPlanWith } from "../helpers/plan";

const POSTGRESQL_PROVIDER = "pulumi:providers:postgresql";
const ACCESS_TASK = "aws:ecs/taskDefinition:TaskDefinition";

describe("database access model on RDS", () => {
    let task: Plan;
    let provider: Plan;
    before(async () => {
        task = await stackPlan("prod");
        provider = await stackPlanWith("prod", { databaseAccess: "provider" });
    });

    // Item 6: the master secret's value is read (an invoke, made by previews too) only where it is used.
    it("reads the RDS master secret's value only with databaseAccess=provider, which consumes it", () => {
        const reads = (plan: Plan) => plan.invokes.filter((i) => i.token === "aws:secretsmanager/getSecretVersion:getSecretVersion");
        assert.deepEqual(reads(task), [], "the task path passes the secret to ECS by ARN");
        assert.equal(reads(provider).length, 1);
        // The semantics rule accepts the read where the PostgreSQL provider consumes it.
        assert.deepEqual(secretReadConsumed.check(provider), []);
    });

    it("by default runs the rendered init scripts in a one-off task and declares no postgresql resources", () => {
        assert.equal(ofType(task, ACCESS_TASK).filter((r) => r.name === "database-access").length, 1);
        assert.deepEqual(
            task.resources.filter((r) => r.type.startsWith("postgresql:") || r.type === POSTGRESQL_PROVIDER),
            [],
        );
    });

    it("with databaseAccess=provider declares the model through @pulumi/postgresql over TLS instead", () => {
        assert.deepEqual(
            ofType(provider, ACCESS_TASK).filter((r) => r.name === "database-access"),
            [],
        );
        const [connection] = ofType(provider, POSTGRESQL_PROVIDER);
        assert.ok(connection, "a postgresql provider");
        assert.equal(connection.inputs.sslmode, "require");
        assert.equal(connection.inputs.username, MASTER_USERNAME);
        assert.equal(connection.inputs.database, "osint_platform");
        assert.equal(connection.inputs.password, "[secret]");
        const roles = Object.fromEntries(ofType(provider, "postgresql:index/role:Role").map((r) => [r.inputs.name, r.inputs.connectionLimit]));
        assert.deepEqual(roles, { osint_migrator: 5, osint_app: 60, osint_readonly: 10 });
        for (const r of provider.resources.filter((r) => r.type.startsWith("postgresql:"))) {
            assert.match(r.parent ?? "", /osint:data:Database::database$/, `${r.name} belongs to the database component`);
        }
        assert.ok(ofType(provider, "postgresql:index/grant:Grant").length > 0);
        assert.ok(ofType(provider, "postgresql:index/defaultPrivileges:DefaultPrivileges").length > 0);
    });
});

describe("seed data on RDS", () => {
    for (const stack of ["staging", "prod"]) {
        it(`${stack}: seeds the minimal initialisation data after the migrations, as osint_migrator over TLS, before the backend`, async () => {
            const plan = await stackPlan(stack);
            const byName = (type: string, name: string) => {
                const found = ofType(plan, type).filter((r) => r.name === name);
                assert.equal(found.length, 1, `${type} ${name}`);
                return found[0];
            };
            const run = byName("command:local:Command", "backend-seed");
            // The migration, then the network its task needs (issue 21, fix 6; tests/aws/task-start.test.ts).
            assert.equal(run.options.dependsOn[0], byName("command:local:Command", "backend-migrate").urn);
            assert.ok(run.options.dependsOn.slice(1).every((urn) => /aws:(ec2\/vpcEndpoint|vpc\/securityGroup(In|E)gressRule):/.test(urn)));
            assert.ok(byName("aws:ecs/service:Service", "backend").options.dependsOn.includes(run.urn), "the backend waits for the seed data");

            const [container] = JSON.parse(byName(ACCESS_TASK, "backend-seed").inputs.containerDefinitions as string);
            const env = Object.fromEntries((container.environment as { name: string; value: string }[]).map((e) => [e.name, e.value]));
            assert.equal(env.PGUSER, "osint_migrator");
            assert.equal(env.PGSSLMODE, "verify-full");
            const files = seedFiles(stack === "prod" ? "production" : "staging");
            assert.deepEqual(
                files.map((f) => f.name),
                ["00-contract.sql", "10-reference.sql"],
                "initialisation data only, never the dev samples",
            );
            for (const file of files) assert.equal(env[scriptVariable(file.name)], file.content, file.name);
            assert.ok(container.command[2].endsWith(`${seedCommand("production", PSQL_SCRATCH_DIR).join(" ")}\n`), container.command[2]);
            assert.deepEqual(
                (container.secrets as { name: string; valueFrom: string }[]).map((s) => s.name),
                ["PGPASSWORD"],
            );
            assert.match(container.secrets[0].valueFrom, /osint_migrator-password/);
        });
    }
});
