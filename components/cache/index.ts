import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { SecretFile } from "../shared/docker-container";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsCache } from "./aws";
import { dockerCache } from "./docker";

export const REDIS_PORT = 6379;

export interface CacheArgs {
    readonly target: Target;
    readonly network: NetworkAttachment;
    readonly size: Size;
}

export interface CacheEndpoint {
    readonly host: pulumi.Output<string>;
    readonly port: number;
    readonly password: pulumi.Output<string>;
}

const implementations: Implementations<CacheArgs, CacheEndpoint> = { docker: dockerCache, aws: awsCache };

/** Redis as cache and job queue, password protected and persistent. */
export class Cache extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: number;
    public readonly password: pulumi.Output<string>;

    constructor(name: string, args: CacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:data:Cache", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.password = endpoint.password;
        this.registerOutputs({ host: this.host, port: this.port });
    }

    /** The secret file a client mounts to authenticate. */
    passwordFile(): SecretFile {
        return { name: "redis_password", content: this.password };
    }
}
