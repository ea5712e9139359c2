import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { Credential } from "../aws/platform";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsCache } from "./aws";
import { dockerCache } from "./docker";

export interface CacheArgs {
    readonly target: Target;
    readonly network: NetworkAttachment;
    readonly size: Size;
    /** The ElastiCache replication group (aws only; docker's size is `size`). */
    readonly aws?: { readonly nodeType: string; readonly multiAz: boolean; readonly snapshotRetentionDays: number };
}

export interface CacheEndpoint {
    readonly host: pulumi.Output<string>;
    readonly port: number;
    readonly password: pulumi.Output<string>;
    /** Clients must connect over TLS (ElastiCache with in-transit encryption); dev's Redis is plaintext. */
    readonly tls: boolean;
    /** Where ECS reads the password from (aws only). */
    readonly valueFrom?: pulumi.Output<string>;
}

const implementations: Implementations<CacheArgs, CacheEndpoint> = { docker: dockerCache, aws: awsCache };

/** Redis as cache and job queue, password protected and persistent. */
export class Cache extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: number;
    public readonly password: pulumi.Output<string>;
    public readonly tls: boolean;
    private readonly valueFrom?: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:data:Cache", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.password = endpoint.password;
        this.tls = endpoint.tls;
        this.valueFrom = endpoint.valueFrom;
        this.registerOutputs({ host: this.host, port: this.port });
    }

    /** The credential a client authenticates with, as the secret file redis_password. */
    passwordFile(): Credential {
        return { name: "redis_password", content: this.password, valueFrom: this.valueFrom };
    }
}
