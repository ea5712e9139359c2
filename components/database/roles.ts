// The one role and privilege model of the platform's database. Two renderings read it: the dev
// container's init scripts (database-init.ts) and the RDS stacks' @pulumi/postgresql resources
// (postgres-roles.ts); tests prove both grant the same privileges on a real PostgreSQL 15.

export const DATABASE_NAME = "osint_platform";
export const SUPERUSER = "postgres";
/**
 * RDS's master user (aws; SUPERUSER is the docker image's): not the engine's default `postgres` (Security Hub RDS.25), so a guess at the
 * administrator's name fails. Fixed at creation: changing it replaces the instance.
 */
export const MASTER_USERNAME = "osint_admin";
/** Application roles (their privileges are the database issue's model). */
export const roles = ["osint_migrator", "osint_app", "osint_readonly"] as const;
export type Role = (typeof roles)[number];

/** Who a grant is for: one of the platform's roles, or every role (PostgreSQL's PUBLIC). */
export type Grantee = Role | "public";

export type ObjectType = "database" | "schema" | "table" | "sequence";

export interface GrantSpec {
    readonly grantee: Grantee;
    readonly objectType: ObjectType;
    /** The schema granted on (objectType schema), or holding the tables and sequences granted on. */
    readonly schema?: string;
    /** Exactly the privileges the grantee holds afterwards; empty revokes everything. */
    readonly privileges: readonly string[];
}

export interface RoleSpec {
    /** Concurrent sessions the role may open. */
    readonly connectionLimit: number;
    readonly purpose: string;
}

export interface AccessModel {
    readonly database: typeof DATABASE_NAME;
    readonly schema: string;
    /** Owns the schema and every object migrations create in it. */
    readonly owner: Role;
    readonly roles: Readonly<Record<Role, RoleSpec>>;
    /** Privileges on the database and schemas, and on the tables and sequences that exist now. */
    readonly grants: readonly GrantSpec[];
    /** Privileges on tables and sequences the owner creates later (ALTER DEFAULT PRIVILEGES). */
    readonly defaultPrivileges: readonly GrantSpec[];
    /** Installed in schema public, whose USAGE every role keeps. */
    readonly extensions: readonly string[];
}

const SCHEMA = "osint";
const DML = ["SELECT", "INSERT", "UPDATE", "DELETE"];
const objectPrivileges: GrantSpec[] = [
    { grantee: "osint_app", objectType: "table", schema: SCHEMA, privileges: DML },
    { grantee: "osint_app", objectType: "sequence", schema: SCHEMA, privileges: ["SELECT", "USAGE"] },
    { grantee: "osint_readonly", objectType: "table", schema: SCHEMA, privileges: ["SELECT"] },
    { grantee: "osint_readonly", objectType: "sequence", schema: SCHEMA, privileges: ["SELECT"] },
];

export const accessModel: AccessModel = {
    database: "osint_platform",
    schema: SCHEMA,
    owner: "osint_migrator",
    // 5 + 60 + 10 = 75 of dev's 100 connections: the rest is for the superuser (backups, the
    // metrics exporter, an operator) and PostgreSQL's 3 reserved superuser slots.
    roles: {
        osint_migrator: { connectionLimit: 5, purpose: "owns schema osint and runs migrations (DDL)" },
        osint_app: { connectionLimit: 60, purpose: "the application services: reads and writes data, no DDL" },
        osint_readonly: { connectionLimit: 10, purpose: "analysts and reporting: SELECT only" },
    },
    grants: [
        // Nobody connects without a grant; nobody but the migrator creates objects.
        { grantee: "public", objectType: "database", privileges: [] },
        { grantee: "public", objectType: "schema", schema: "public", privileges: ["USAGE"] },
        { grantee: "osint_migrator", objectType: "database", privileges: ["CONNECT"] },
        { grantee: "osint_app", objectType: "database", privileges: ["CONNECT"] },
        { grantee: "osint_readonly", objectType: "database", privileges: ["CONNECT"] },
        { grantee: "osint_app", objectType: "schema", schema: SCHEMA, privileges: ["USAGE"] },
        { grantee: "osint_readonly", objectType: "schema", schema: SCHEMA, privileges: ["USAGE"] },
        ...objectPrivileges,
    ],
    defaultPrivileges: objectPrivileges,
    extensions: ["pgcrypto", "pg_stat_statements"],
};
