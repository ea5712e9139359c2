// The access model (roles.ts) rendered to @pulumi/postgresql resources for the RDS stacks: the
// same roles, schema, extensions, grants and default privileges the dev init scripts create.
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { Role } from "./roles";
import { accessModel, type AccessModel, type GrantSpec } from "./roles";

export interface DatabaseAccessArgs {
    /** Connected to the RDS instance as its master user (rds_superuser). */
    readonly provider: postgresql.Provider;
    readonly passwords: Readonly<Record<Role, pulumi.Input<string>>>;
    readonly model?: AccessModel;
}

export interface DatabaseAccess {
    readonly roles: Readonly<Record<Role, postgresql.Role>>;
    readonly schema: postgresql.Schema;
}

/** Creates the model's roles and privileges on the server `args.provider` reaches, as children of `parent`. */
export function databaseAccess(name: string, args: DatabaseAccessArgs, parent: pulumi.Resource): DatabaseAccess {
    const model = args.model ?? accessModel;
    const opts = { parent, provider: args.provider };
    const roles = Object.fromEntries(
        Object.entries(model.roles).map(([role, spec]) => [
            role,
            new postgresql.Role(
                `${name}-${role}`,
                {
                    name: role,
                    login: true,
                    connectionLimit: spec.connectionLimit,
                    password: pulumi.secret(args.passwords[role as Role]),
                    searchPaths: [model.schema, "public"],
                },
                opts,
            ),
        ]),
    ) as Record<Role, postgresql.Role>;

    const schema = new postgresql.Schema(`${name}-schema`, { name: model.schema, database: model.database, owner: roles[model.owner].name }, opts);
    const extensions = model.extensions.map(
        (extension) => new postgresql.Extension(`${name}-${extension}`, { name: extension, database: model.database, schema: "public" }, opts),
    );

    const granteeName = (spec: GrantSpec): pulumi.Input<string> => (spec.grantee === "public" ? "public" : roles[spec.grantee].name);
    const schemaName = (spec: GrantSpec): pulumi.Input<string> | undefined => (spec.schema === model.schema ? schema.name : spec.schema);
    const label = (spec: GrantSpec) => `${spec.grantee}-${spec.objectType}${spec.schema ? `-${spec.schema}` : ""}`;

    // Grants on the schema and its objects wait for the extensions too: extension objects in
    // schema public are created before PUBLIC's privileges there are pinned.
    const after = { ...opts, dependsOn: [schema, ...extensions] };
    for (const spec of model.grants) {
        new postgresql.Grant(
            `${name}-grant-${label(spec)}`,
            {
                database: model.database,
                role: granteeName(spec),
                objectType: spec.objectType,
                schema: spec.objectType === "database" ? undefined : schemaName(spec),
                privileges: [...spec.privileges],
            },
            after,
        );
    }
    for (const spec of model.defaultPrivileges) {
        new postgresql.DefaultPrivileges(
            `${name}-default-${label(spec)}`,
            {
                database: model.database,
                role: granteeName(spec),
                owner: roles[model.owner].name,
                schema: schemaName(spec),
                objectType: spec.objectType,
                privileges: [...spec.privileges],
            },
            after,
        );
    }
    return { roles, schema };
}
