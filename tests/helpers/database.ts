// Shared by the database tests: the postgres image's init contract emulated on a local cluster, and
// the effective privileges read back from the catalog.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalPostgres, PG_BIN, removeWorkDir, runAsService, serviceWorkDir, type ClusterOptions } from "../../tools/local-postgres";
import { roles, type Role } from "../../components/database/roles";
import { projectDir } from "./plan";

export const INIT_DIR = path.join(projectDir, "database", "init");

const copies = new Map<string, string>();
/**
 * A copy of a project directory that the unprivileged service user can read: a clone may sit under
 * a directory only root can enter (CI's clean clone, a 0700 home).
 */
export function readableByService(dir: string): string {
    let copy = copies.get(dir);
    if (!copy) {
        copy = fs.mkdtempSync(path.join(os.tmpdir(), "osint-project-"));
        fs.chmodSync(copy, 0o755);
        fs.cpSync(dir, copy, { recursive: true });
        if (copies.size === 0) process.once("exit", () => copies.forEach((c) => fs.rmSync(c, { recursive: true, force: true })));
        copies.set(dir, copy);
    }
    return copy;
}

/**
 * One cluster for a describe block: created in `before`, then `setup` runs; always stopped and
 * removed in `after`, even when setup failed. Returns the accessor the tests use.
 */
export function sharedCluster(prefix: string, options: ClusterOptions, setup: (cluster: LocalPostgres) => void | Promise<void>): () => LocalPostgres {
    let workDir = "";
    let cluster: LocalPostgres | undefined;
    before(async () => {
        workDir = serviceWorkDir(prefix);
        cluster = await LocalPostgres.create(workDir, "data", options);
        await setup(cluster);
    });
    after(() => {
        cluster?.stop();
        if (workDir) removeWorkDir(workDir);
    });
    return () => {
        if (!cluster) throw new Error(`${prefix}: the server did not start`);
        return cluster;
    };
}

export const TEST_PASSWORDS: Readonly<Record<Role, string>> = {
    osint_migrator: "migrator-pw-7d1f",
    osint_app: "app-pw-52ac9e",
    osint_readonly: "readonly-pw-0b3e",
};

/** Writes `content` to `file` as the service user, readable by it alone (as the container's secret files). */
export function writeServiceFile(file: string, content: string): void {
    runAsService("/bin/sh", ["-c", 'umask 177 && cat > "$0"', file], { input: content });
}

/**
 * The dev container's first start on a running cluster: POSTGRES_DB created, the role password
 * files in place, database/init/ run. Returns the container environment the scripts saw.
 */
export function initializeAsContainer(cluster: LocalPostgres, runner = "postgres", passwords = TEST_PASSWORDS): Record<string, string> {
    cluster.psql(`SELECT 'CREATE DATABASE osint_platform OWNER ${runner}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'osint_platform') \\gexec`);
    const env: Record<string, string> = {};
    for (const role of roles) {
        const file = path.join(cluster.workDir, `${role}_password`);
        writeServiceFile(file, passwords[role]);
        env[`${role.toUpperCase()}_PASSWORD_FILE`] = file;
    }
    runInitScripts(cluster, { ...env, POSTGRES_USER: runner });
    return env;
}

/**
 * Runs `initDir` as docker-entrypoint.sh would on first start: files in name order, `.sql` through
 * `psql -v ON_ERROR_STOP=1` as POSTGRES_USER on POSTGRES_DB, `.sh` executed when executable and
 * sourced otherwise (by bash, as the entrypoint), all with the container's environment.
 */
export function runInitScripts(
    cluster: LocalPostgres,
    env: Readonly<Record<string, string>>,
    initDir = readableByService(INIT_DIR),
    database = "osint_platform",
): void {
    const containerEnv = { ...cluster.clientEnv, POSTGRES_USER: "postgres", POSTGRES_DB: database, ...env };
    const user = containerEnv.POSTGRES_USER;
    for (const file of fs.readdirSync(initDir).sort()) {
        const full = path.join(initDir, file);
        if (file.endsWith(".sql")) {
            runAsService(
                path.join(PG_BIN, "psql"),
                ["-v", "ON_ERROR_STOP=1", "--username", user, "--no-password", "--no-psqlrc", "--dbname", database, "-f", full],
                { env: containerEnv },
            );
        } else if (file.endsWith(".sh")) {
            const executable = (fs.statSync(full).mode & 0o111) !== 0;
            // docker-entrypoint.sh is bash with `set -Eeo pipefail`; it sources a non-executable .sh.
            runAsService("/bin/bash", executable ? [full] : ["-c", 'set -Eeo pipefail; . "$0"', full], {
                env: { ...containerEnv, PATH: `${PG_BIN}:${process.env.PATH}` },
            });
        }
    }
}

/**
 * Every ACL entry on the model's database, its schemas, the migrator's default privileges and one
 * table and sequence the migrator created, as "object:grantee:PRIVILEGE" (owners left out).
 */
export function effectivePrivileges(cluster: LocalPostgres, database: string, objects: { table: string; sequence: string }): string[] {
    const grantee = "CASE WHEN a.grantee = 0 THEN 'public' ELSE a.grantee::regrole::text END";
    const sql = `
SELECT 'database:' || ${grantee} || ':' || a.privilege_type FROM pg_database d, aclexplode(d.datacl) a
 WHERE d.datname = current_database() AND a.grantee <> d.datdba
UNION ALL
SELECT 'schema ' || n.nspname || ':' || ${grantee} || ':' || a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a
 WHERE n.nspname IN ('osint', 'public') AND a.grantee <> n.nspowner
UNION ALL
SELECT 'default ' || CASE d.defaclobjtype WHEN 'r' THEN 'table' WHEN 'S' THEN 'sequence' END || ':' || ${grantee} || ':' || a.privilege_type
  FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclrole = 'osint_migrator'::regrole
UNION ALL
SELECT CASE c.relkind WHEN 'r' THEN 'table:' ELSE 'sequence:' END || ${grantee} || ':' || a.privilege_type
  FROM pg_class c, aclexplode(c.relacl) a
 WHERE c.oid IN ('${objects.table}'::regclass, '${objects.sequence}'::regclass) AND a.grantee <> c.relowner
ORDER BY 1;`;
    return cluster.psql(sql, database).split("\n").filter(Boolean);
}
