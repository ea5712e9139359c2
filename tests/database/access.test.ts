// The access model proved on a real PostgreSQL 15: the committed init scripts, run as the postgres
// image's entrypoint runs them, give each role exactly its privileges, and the @pulumi/postgresql
// rendering for RDS declares the very same privileges.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { Client } from "pg";
import { databaseAccess } from "../../components/database/postgres-roles";
import { accessModel, roles, type Role } from "../../components/database/roles";
import { commandLineArguments, settingsFor } from "../../components/database/settings";
import { LocalPostgres, PG_BIN, removeWorkDir, serviceWorkDir, spawnAsService } from "../../tools/local-postgres";
import { renderInitDir, RENDERED_MARK } from "../../tools/render-db-init";
import { effectivePrivileges, INIT_DIR, initializeAsContainer, readableByService, runInitScripts, sharedCluster, TEST_PASSWORDS } from "../helpers/database";
import { ofType, planOf } from "../helpers/plan";

const DB = "osint_platform";
const INSUFFICIENT_PRIVILEGE = "42501";
const TOO_MANY_CONNECTIONS = "53300";
// printf osint | sha256sum
const SHA256_OF_OSINT = "607b00503c7e5203980e2f657b7493e52faaf49c99c42ec541f3b36ee1bd67da";

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
    await assert.rejects(promise, (err: { code?: string; message: string }) => {
        assert.equal(err.code, code, err.message);
        if (message) assert.match(err.message, message);
        return true;
    });
}

describe("database access model", () => {
    it("the committed database/init/ files are the current rendering of roles.ts (npm run render-db-init)", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "osint-init-"));
        try {
            // A script an earlier run rendered from a model that had it.
            fs.writeFileSync(path.join(out, "99-removed-from-the-model.sql"), `-- Rendered ${RENDERED_MARK}\nSELECT 1;\n`);
            assert.deepEqual(renderInitDir(out).written, ["10-access-model.sql", "20-role-passwords.sh"]);
            const committed = fs
                .readdirSync(INIT_DIR)
                .filter((f) => !f.startsWith("."))
                .sort();
            assert.deepEqual(fs.readdirSync(out).sort(), committed, "the same files, none stale");
            for (const name of committed)
                assert.equal(fs.readFileSync(path.join(INIT_DIR, name), "utf8"), fs.readFileSync(path.join(out, name), "utf8"), `${name} is stale`);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("every role of the Database component is in the model, with limits that fit dev's max_connections", () => {
        assert.deepEqual(Object.keys(accessModel.roles).sort(), [...roles].sort());
        assert.deepEqual(Object.fromEntries(roles.map((r) => [r, accessModel.roles[r].connectionLimit])), {
            osint_migrator: 5,
            osint_app: 60,
            osint_readonly: 10,
        });
        const total = roles.reduce((sum, r) => sum + accessModel.roles[r].connectionLimit, 0);
        // 3 reserved superuser slots plus 10 for backups, the exporter and an operator.
        assert.ok(
            total + 3 + 10 <= settingsFor("development").max_connections,
            `${total} role connections leave too little of ${settingsFor("development").max_connections}`,
        );
    });
});

describe("database access on a real PostgreSQL 15 (dev init scripts)", function () {
    const clients: Client[] = [];
    const passwords = TEST_PASSWORDS;
    let containerEnv: Record<string, string> = {};
    let afterInit: string[] = [];

    // Registered before the cluster's own `after`, which stops the server: clients close first.
    after(async () => {
        await Promise.allSettled(clients.map((c) => c.end()));
    });
    const server = sharedCluster("osint-access-", { hba: ["host all all 127.0.0.1/32 scram-sha-256"] }, async (cluster) => {
        cluster.start(commandLineArguments(settingsFor("development")));
        containerEnv = initializeAsContainer(cluster);
        const migrator = await as("osint_migrator");
        await migrator.query("CREATE TABLE findings (id bigserial PRIMARY KEY, note text NOT NULL)");
        await migrator.query("INSERT INTO findings (note) VALUES ('seeded by the migrator')");
        afterInit = effectivePrivileges(cluster, DB, { table: "osint.findings", sequence: "osint.findings_id_seq" });
    });
    async function as(role: Role | "intruder", password = passwords[role as Role]): Promise<Client> {
        const client = await server().connect({ user: role, password, database: DB });
        clients.push(client);
        return client;
    }

    it("osint_migrator owns schema osint and its tables land there", async () => {
        assert.equal(server().psql("SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'osint'", DB), "osint_migrator");
        assert.equal(server().psql("SELECT relowner::regrole FROM pg_class WHERE oid = 'osint.findings'::regclass", DB), "osint_migrator");
    });

    it("osint_app reads and writes data but cannot CREATE, ALTER or DROP", async () => {
        const app = await as("osint_app");
        await app.query("INSERT INTO findings (note) VALUES ('by the app')");
        await app.query("UPDATE findings SET note = note || '!' WHERE note = 'by the app'");
        assert.equal((await app.query("SELECT count(*)::int AS n FROM findings")).rows[0].n, 2);
        await app.query("DELETE FROM findings WHERE note = 'by the app!'");
        await rejectsWith(app.query("CREATE TABLE osint.app_table (id int)"), INSUFFICIENT_PRIVILEGE, /permission denied for schema osint/);
        await rejectsWith(app.query("CREATE TABLE public.app_table (id int)"), INSUFFICIENT_PRIVILEGE, /permission denied for schema public/);
        await rejectsWith(app.query("ALTER TABLE findings ADD COLUMN extra text"), INSUFFICIENT_PRIVILEGE, /must be owner/);
        await rejectsWith(app.query("DROP TABLE findings"), INSUFFICIENT_PRIVILEGE, /must be owner/);
        await rejectsWith(app.query("TRUNCATE findings"), INSUFFICIENT_PRIVILEGE);
    });

    it("osint_readonly can SELECT and nothing else", async () => {
        const readonly = await as("osint_readonly");
        assert.equal((await readonly.query("SELECT count(*)::int AS n FROM findings")).rows[0].n, 1);
        await rejectsWith(readonly.query("INSERT INTO findings (note) VALUES ('x')"), INSUFFICIENT_PRIVILEGE, /permission denied for table findings/);
        await rejectsWith(readonly.query("UPDATE findings SET note = 'x'"), INSUFFICIENT_PRIVILEGE);
        await rejectsWith(readonly.query("DELETE FROM findings"), INSUFFICIENT_PRIVILEGE);
        await rejectsWith(readonly.query("SELECT nextval('findings_id_seq')"), INSUFFICIENT_PRIVILEGE);
        await rejectsWith(readonly.query("CREATE TABLE osint.mine (id int)"), INSUFFICIENT_PRIVILEGE);
    });

    it("a role without a grant cannot connect to the database", async () => {
        server().psql("CREATE ROLE intruder LOGIN PASSWORD 'intruder-pw'");
        await rejectsWith(as("intruder", "intruder-pw"), INSUFFICIENT_PRIVILEGE, /permission denied for database "osint_platform"/);
    });

    it("each role's connection limit (components/database/roles.ts) is enforced: osint_migrator's next session past it is refused", async () => {
        const limits = server().psql("SELECT rolname || '=' || rolconnlimit FROM pg_roles WHERE rolname LIKE 'osint%' ORDER BY 1", DB);
        assert.equal(
            limits,
            [...roles]
                .sort()
                .map((role) => `${role}=${accessModel.roles[role].connectionLimit}`)
                .join("\n"),
        );
        for (const c of clients.filter((c) => (c as unknown as { user: string }).user === "osint_migrator")) await c.end();
        const limit = accessModel.roles.osint_migrator.connectionLimit;
        const open = await Promise.all(Array.from({ length: limit }, () => as("osint_migrator")));
        assert.equal(open.length, limit);
        await rejectsWith(as("osint_migrator"), TOO_MANY_CONNECTIONS, /too many connections for role "osint_migrator"/);
    });

    it("connections and DDL are logged, role passwords never are", async () => {
        assert.equal(server().psql("SHOW log_connections"), "on");
        assert.equal(server().psql("SHOW log_disconnections"), "on");
        assert.equal(server().psql("SHOW log_statement"), "ddl");
        const log = server().log();
        assert.match(log, /connection authorized: user=osint_app database=osint_platform/);
        assert.match(log, /statement: CREATE TABLE findings/);
        for (const role of roles) assert.ok(!log.includes(passwords[role]), `${role}'s password is in the server log`);
        const statements = server().psql("SELECT query FROM pg_stat_statements", DB);
        assert.match(statements, /CREATE TABLE findings/, "pg_stat_statements records statements");
        for (const role of roles) assert.ok(!statements.includes(passwords[role]), `${role}'s password is in pg_stat_statements`);
    });

    it("the extensions are installed and usable by the application role", async () => {
        assert.equal(
            server().psql("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'", DB),
            "pg_stat_statements,pgcrypto",
        );
        const app = await as("osint_app");
        const { rows } = await app.query("SELECT encode(digest('osint', 'sha256'), 'hex') AS h");
        assert.equal(rows[0].h, SHA256_OF_OSINT);
    });

    it("re-running the init scripts succeeds and changes no privilege", () => {
        runInitScripts(server(), containerEnv);
        assert.deepEqual(effectivePrivileges(server(), DB, { table: "osint.findings", sequence: "osint.findings_id_seq" }), afterInit);
    });

    it("the scripts refuse the wrong database and a missing password file, naming what is wrong", () => {
        server().psql("CREATE DATABASE elsewhere");
        const wrongDb = spawnAsService(
            path.join(PG_BIN, "psql"),
            ["-X", "-v", "ON_ERROR_STOP=1", "-d", "elsewhere", "-f", path.join(readableByService(INIT_DIR), "10-access-model.sql")],
            { env: server().clientEnv },
        );
        assert.notEqual(wrongDb.status, 0);
        assert.match(wrongDb.stdout + wrongDb.stderr, /must run on database osint_platform/);
        const env = {
            ...server().clientEnv,
            POSTGRES_DB: DB,
            OSINT_MIGRATOR_PASSWORD_FILE: containerEnv.OSINT_MIGRATOR_PASSWORD_FILE,
            OSINT_APP_PASSWORD_FILE: path.join(server().workDir, "absent"),
            PATH: `${PG_BIN}:${process.env.PATH}`,
        };
        const missing = spawnAsService("/bin/sh", ["-c", '. "$0"', path.join(readableByService(INIT_DIR), "20-role-passwords.sh")], { env });
        assert.equal(missing.status, 1);
        assert.match(missing.stderr, /OSINT_APP_PASSWORD_FILE must name a readable, non-empty password file/);
    });

    it("the same scripts run as RDS's master user (CREATEROLE, owns the database, no superuser) and grant the same privileges", async () => {
        const rdsDir = serviceWorkDir("osint-access-rds-");
        const rds = await LocalPostgres.create(rdsDir, "data", { hba: ["local all master trust", "host all all 127.0.0.1/32 scram-sha-256"] });
        try {
            rds.start();
            rds.psql("CREATE ROLE master LOGIN CREATEROLE CREATEDB");
            rds.psql(`CREATE DATABASE ${DB} OWNER master`);
            // RDS lets its master (rds_superuser) create pg_stat_statements; here the superuser stands in.
            rds.psql("CREATE EXTENSION pg_stat_statements", DB);
            initializeAsContainer(rds, "master");
            const migrator = await rds.connect({ user: "osint_migrator", password: passwords.osint_migrator, database: DB });
            await migrator.query("CREATE TABLE findings (id bigserial PRIMARY KEY, note text NOT NULL)");
            await migrator.end();
            assert.deepEqual(effectivePrivileges(rds, DB, { table: "osint.findings", sequence: "osint.findings_id_seq" }), afterInit);
            assert.equal(
                rds.psql(
                    "SELECT string_agg(rolname || ':' || rolsuper || rolreplication || rolbypassrls, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'osint%'",
                ),
                "osint_app:falsefalsefalse,osint_migrator:falsefalsefalse,osint_readonly:falsefalsefalse",
            );
        } finally {
            rds.stop();
            removeWorkDir(rdsDir);
        }
    });

    it("the RDS rendering (@pulumi/postgresql) declares exactly the privileges the init scripts granted", async () => {
        const plan = await planOf(() => {
            const parent = new pulumi.ComponentResource("test:database:Access", "access");
            const provider = new postgresql.Provider("rds", { host: "db.internal", username: "master", superuser: false }, { parent });
            return databaseAccess(
                "access",
                { provider, passwords: { osint_migrator: pulumi.secret("a"), osint_app: pulumi.secret("b"), osint_readonly: pulumi.secret("c") } },
                parent,
            );
        }, "prod");
        const declared = [
            ...ofType(plan, "postgresql:index/grant:Grant").flatMap((g) => {
                const i = g.inputs as { role: string; objectType: string; schema?: string; privileges: string[]; database: string };
                assert.equal(i.database, DB);
                const object = i.objectType === "schema" ? `schema ${i.schema}` : i.objectType;
                return i.privileges.map((p) => `${object}:${i.role}:${p}`);
            }),
            ...ofType(plan, "postgresql:index/defaultPrivileges:DefaultPrivileges").flatMap((d) => {
                const i = d.inputs as { role: string; owner: string; objectType: string; schema: string; privileges: string[] };
                assert.deepEqual([i.owner, i.schema], ["osint_migrator", "osint"]);
                return i.privileges.map((p) => `default ${i.objectType}:${i.role}:${p}`);
            }),
        ].sort();
        assert.deepEqual(declared, [...afterInit].sort());
        // One per privilege the model grants, now and by default.
        assert.equal(
            declared.length,
            [...accessModel.grants, ...accessModel.defaultPrivileges].reduce((n, g) => n + g.privileges.length, 0),
        );

        const declaredRoles = ofType(plan, "postgresql:index/role:Role").map(
            (r) => `${r.inputs.name}:${r.inputs.login}:${r.inputs.connectionLimit}:${r.inputs.password}`,
        );
        assert.deepEqual(
            declaredRoles.sort(),
            [...roles].sort().map((role) => `${role}:true:${accessModel.roles[role].connectionLimit}:[secret]`),
        );
        const live = server().psql(
            "SELECT string_agg(rolname || ':' || rolcanlogin || ':' || rolconnlimit, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'osint%'",
            DB,
        );
        assert.equal(
            live,
            [...roles]
                .sort()
                .map((role) => `${role}:true:${accessModel.roles[role].connectionLimit}`)
                .join(","),
        );
        const [schema] = ofType(plan, "postgresql:index/schema:Schema");
        assert.deepEqual([schema.inputs.name, schema.inputs.owner], ["osint", "osint_migrator"]);
        assert.deepEqual(
            ofType(plan, "postgresql:index/extension:Extension")
                .map((e) => e.inputs.name)
                .sort(),
            ["pg_stat_statements", "pgcrypto"],
        );
    });
});
