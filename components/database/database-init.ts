// The access model rendered for the official postgres image's init contract: the entrypoint runs
// /docker-entrypoint-initdb.d/* in name order on first start, `.sql` through psql as POSTGRES_USER
// on POSTGRES_DB, `.sh` sourced (executed when executable). Every statement is safe to re-run.
// The committed files under database/init/ are written by `npm run render-db-init`.
import { accessModel, type AccessModel, type GrantSpec } from "./roles";

export interface InitScript {
    readonly name: string;
    readonly content: string;
}

const HEADER = "Rendered from components/database/roles.ts by `npm run render-db-init`. Do not edit.";

function ident(name: string): string {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
    return name;
}

function grantee(spec: GrantSpec): string {
    return spec.grantee === "public" ? "PUBLIC" : ident(spec.grantee);
}

function target(model: AccessModel, spec: GrantSpec): string {
    switch (spec.objectType) {
        case "database":
            return `DATABASE ${ident(model.database)}`;
        case "schema":
            return `SCHEMA ${ident(spec.schema ?? "")}`;
        case "table":
            return `ALL TABLES IN SCHEMA ${ident(spec.schema ?? "")}`;
        case "sequence":
            return `ALL SEQUENCES IN SCHEMA ${ident(spec.schema ?? "")}`;
    }
}

// Revoke, then grant: the grantee ends with exactly the model's privileges, however often it runs.
function grantStatements(model: AccessModel, spec: GrantSpec): string[] {
    const on = target(model, spec);
    const statements = [`REVOKE ALL ON ${on} FROM ${grantee(spec)};`];
    if (spec.privileges.length > 0) statements.push(`GRANT ${spec.privileges.join(", ")} ON ${on} TO ${grantee(spec)};`);
    return statements;
}

function defaultPrivilegeStatements(model: AccessModel, spec: GrantSpec): string[] {
    const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(model.owner)} IN SCHEMA ${ident(spec.schema ?? "")}`;
    const objects = spec.objectType === "table" ? "TABLES" : "SEQUENCES";
    return [`${prefix} REVOKE ALL ON ${objects} FROM ${grantee(spec)};`, `${prefix} GRANT ${spec.privileges.join(", ")} ON ${objects} TO ${grantee(spec)};`];
}

function roleStatements(model: AccessModel): string[] {
    return Object.entries(model.roles).flatMap(([name, spec]) => [
        `-- ${name}: ${spec.purpose}`,
        `SELECT format('CREATE ROLE %I', '${ident(name)}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') \\gexec`,
        // SUPERUSER, REPLICATION and BYPASSRLS stay at CREATE ROLE's "no": naming them needs a
        // true superuser, which RDS's master user is not.
        `ALTER ROLE ${name} WITH LOGIN NOCREATEDB NOCREATEROLE CONNECTION LIMIT ${spec.connectionLimit};`,
        `ALTER ROLE ${name} SET search_path = ${ident(model.schema)}, public;`,
    ]);
}

export function renderAccessSql(model: AccessModel = accessModel): string {
    return [
        `-- ${HEADER}`,
        `-- Roles, schema, privileges and extensions of database ${model.database}.`,
        "\\set ON_ERROR_STOP on",
        `SELECT current_database() = '${model.database}' AS osint_right_database \\gset`,
        "\\if :osint_right_database",
        "\\else",
        `  \\echo 'these scripts must run on database ${model.database} (POSTGRES_DB)'`,
        "  SELECT 1/0 AS wrong_database;",
        "\\endif",
        "BEGIN;",
        ...roleStatements(model),
        "",
        "-- A runner that is not a superuser (RDS's master user) must be a member of the owner to give",
        "-- it the schema and set its default privileges.",
        `SELECT format('GRANT %I TO %I', '${ident(model.owner)}', current_user) WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, '${model.owner}', 'MEMBER') \\gexec`,
        `CREATE SCHEMA IF NOT EXISTS ${ident(model.schema)} AUTHORIZATION ${ident(model.owner)};`,
        `ALTER SCHEMA ${ident(model.schema)} OWNER TO ${ident(model.owner)};`,
        ...model.extensions.map((e) => `CREATE EXTENSION IF NOT EXISTS ${ident(e)} WITH SCHEMA public;`),
        "",
        ...model.grants.flatMap((g) => grantStatements(model, g)),
        "",
        ...model.defaultPrivileges.flatMap((g) => defaultPrivilegeStatements(model, g)),
        "COMMIT;",
        "",
    ].join("\n");
}

/** Sets each role's password from the file its `<ROLE>_PASSWORD_FILE` variable names. */
export function renderPasswordScript(model: AccessModel = accessModel): string {
    const roles = Object.keys(model.roles).map(ident);
    return `#!/bin/sh
# ${HEADER}
# Sourced by the postgres image's entrypoint (or run by hand): sets each role's password from the
# file named by ${roles.map((r) => `${r.toUpperCase()}_PASSWORD_FILE`).join(", ")}.
# The password never reaches a command line, the server log or pg_stat_statements: it travels as
# a SELECT parameter (not logged as DDL, normalised by pg_stat_statements) and the ALTER ROLE runs
# nested in a DO block, which neither logs. Works as a superuser and as RDS's master user.
for osint_role in ${roles.join(" ")}; do
    osint_variable="$(echo "$osint_role" | tr '[:lower:]' '[:upper:]')_PASSWORD_FILE"
    eval "osint_file=\\\${$osint_variable:-}"
    if [ -z "$osint_file" ] || [ ! -r "$osint_file" ] || [ ! -s "$osint_file" ]; then
        echo "database init: $osint_variable must name a readable, non-empty password file (got '$osint_file')" >&2
        exit 1
    fi
    OSINT_PASSWORD_FILE="$osint_file" psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password \\
        --username "\${POSTGRES_USER:-postgres}" --dbname "\${POSTGRES_DB:-${model.database}}" \\
        --set=role="$osint_role" --quiet <<'SQL' || exit 1
\\set password \`cat "$OSINT_PASSWORD_FILE"\`
SELECT set_config('osint.role', :'role', false), set_config('osint.password', :'password', false) \\gset osint_ignored_
DO $$ BEGIN EXECUTE format('ALTER ROLE %I WITH PASSWORD %L', current_setting('osint.role'), current_setting('osint.password')); END $$;
SELECT set_config('osint.password', '', false) \\gset osint_ignored_
SQL
done
unset osint_role osint_variable osint_file
`;
}

/** The files of database/init/, in the order the entrypoint runs them. */
export function initScripts(model: AccessModel = accessModel): InitScript[] {
    return [
        { name: "10-access-model.sql", content: renderAccessSql(model) },
        { name: "20-role-passwords.sh", content: renderPasswordScript(model) },
    ];
}
