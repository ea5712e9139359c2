import * as pulumi from "@pulumi/pulumi";
import type { Environment, Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { Credential } from "../aws/platform";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsDatabase } from "./aws";
import { dockerDatabase } from "./docker";
import { type Role, SUPERUSER } from "./roles";

export interface DatabaseArgs {
    readonly target: Target;
    readonly environment: Environment;
    readonly network: NetworkAttachment;
    readonly size: Size;
    /** Host directory mounted as the image's /docker-entrypoint-initdb.d (docker only). */
    readonly initScriptsDir: string;
    /** The RDS server (aws only; docker's size is `size`). */
    readonly aws?: {
        readonly instanceClass: string;
        readonly allocatedStorageGb: number;
        readonly multiAz: boolean;
        readonly backupRetentionDays: number;
        /** `task`: a one-off ECS task applies the rendered init scripts; `provider`: @pulumi/postgresql resources. */
        readonly accessVia: "task" | "provider";
        /** Declare the operators' on-demand psql task (docs/runbooks/rds-point-in-time-recovery.md). */
        readonly queryTask: boolean;
    };
}

export interface DatabaseEndpoint {
    readonly host: pulumi.Output<string>;
    readonly port: number;
    /** Reads the superuser's password; on aws an API call (the RDS-managed secret), so made only when used. */
    readonly superuserPassword: () => pulumi.Output<string>;
    readonly rolePasswords: Readonly<Record<Role, pulumi.Output<string>>>;
    /** The RDS instance, and where ECS reads each credential from (Secrets Manager). */
    readonly aws?: {
        readonly instanceIdentifier: pulumi.Output<string>;
        readonly instanceArn: pulumi.Output<string>;
        readonly resourceId: pulumi.Output<string>;
        readonly valueFrom: Readonly<Partial<Record<Role | typeof SUPERUSER, pulumi.Output<string>>>>;
        /** The RDS CA bundle (PEM) clients verify the server with. */
        readonly caBundle: pulumi.Output<string>;
    };
    /** What a client's environment needs to reach the server as it requires (aws: TLS verify-full). */
    readonly clientEnvironment?: Readonly<Record<string, pulumi.Input<string>>>;
}

const implementations: Implementations<DatabaseArgs, DatabaseEndpoint> = { docker: dockerDatabase, aws: awsDatabase };

/** PostgreSQL 15 with the design's settings, its roles' credentials and its data volume. */
export class Database extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: number;
    private readonly readSuperuserPassword: () => pulumi.Output<string>;
    public readonly rolePasswords: Readonly<Record<Role, pulumi.Output<string>>>;
    public readonly aws?: DatabaseEndpoint["aws"];
    public readonly clientEnvironment: Readonly<Record<string, pulumi.Input<string>>>;

    constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:data:Database", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.readSuperuserPassword = endpoint.superuserPassword;
        this.rolePasswords = endpoint.rolePasswords;
        this.aws = endpoint.aws;
        this.clientEnvironment = endpoint.clientEnvironment ?? {};
        this.registerOutputs({ host: this.host, port: this.port });
    }

    /**
     * The superuser's password, read on first use: on aws a Secrets Manager read that previews would
     * make too, so only what consumes it (a docker container, the `provider` access path) asks.
     */
    get superuserPassword(): pulumi.Output<string> {
        return this.readSuperuserPassword();
    }

    /** The credential a client of `role` authenticates with, as the secret file `name` (its value read when used). */
    passwordFile(role: Role | typeof SUPERUSER, name = `${role}_password`): Credential {
        const read = () => (role === SUPERUSER ? this.superuserPassword : this.rolePasswords[role]);
        return {
            name,
            get content() {
                return read();
            },
            valueFrom: this.aws?.valueFrom[role],
        };
    }
}
