import * as pulumi from "@pulumi/pulumi";
import type { Environment, Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { SecretFile } from "../shared/docker-container";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsDatabase } from "./aws";
import { dockerDatabase } from "./docker";

export const DATABASE_NAME = "osint_platform";
export const DATABASE_PORT = 5432;
export const SUPERUSER = "postgres";
/** Application roles (their privileges are the database issue's model). */
export const roles = ["osint_migrator", "osint_app", "osint_readonly"] as const;
export type Role = (typeof roles)[number];

export interface DatabaseArgs {
    readonly target: Target;
    readonly environment: Environment;
    readonly network: NetworkAttachment;
    readonly size: Size;
    /** Host directory mounted as the image's /docker-entrypoint-initdb.d (docker only). */
    readonly initScriptsDir: string;
}

export interface DatabaseEndpoint {
    readonly host: pulumi.Output<string>;
    readonly port: number;
    readonly superuserPassword: pulumi.Output<string>;
    readonly rolePasswords: Readonly<Record<Role, pulumi.Output<string>>>;
}

const implementations: Implementations<DatabaseArgs, DatabaseEndpoint> = { docker: dockerDatabase, aws: awsDatabase };

/** PostgreSQL 15 with the design's settings, its roles' credentials and its data volume. */
export class Database extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: number;
    public readonly superuserPassword: pulumi.Output<string>;
    public readonly rolePasswords: Readonly<Record<Role, pulumi.Output<string>>>;

    constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:data:Database", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.superuserPassword = endpoint.superuserPassword;
        this.rolePasswords = endpoint.rolePasswords;
        this.registerOutputs({ host: this.host, port: this.port });
    }

    /** The secret file a client of `role` mounts to authenticate. */
    passwordFile(role: Role | typeof SUPERUSER): SecretFile {
        const content = role === SUPERUSER ? this.superuserPassword : this.rolePasswords[role];
        return { name: `${role}_password`, content };
    }
}
