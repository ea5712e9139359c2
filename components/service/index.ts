import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { Credential, LoadBalancerTarget } from "../aws/platform";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsService } from "./aws";
import type { ApplicationService, ServiceDefinition } from "./catalog";
import { dockerService } from "./docker";
import type { ImageSource } from "./image";

export interface ServiceArgs {
    readonly target: Target;
    readonly service: ApplicationService;
    readonly definition: ServiceDefinition;
    readonly image: ImageSource;
    /** docker: the image's content id to run (ApplicationImages.id); aws pulls `image` itself. */
    readonly imageId?: pulumi.Input<string>;
    readonly size: Size;
    readonly network: NetworkAttachment;
    /** Plain settings; credentials go through `secretFiles`. */
    readonly env: Readonly<Record<string, pulumi.Input<string>>>;
    readonly secretFiles: readonly Credential[];
    /** Resources, or outputs that resolve to one once it is ready (a migration job's `completed`). */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** The ECS service (aws only). */
    readonly aws?: {
        readonly desiredCount: number;
        /** Auto-scales between desiredCount and maxCount when set. */
        readonly maxCount?: number;
        readonly deploymentStrategy: "rolling" | "blue-green";
        readonly loadBalancer?: LoadBalancerTarget;
        /** A one-off task run (after a snapshot of databaseInstance) before each service update. */
        readonly migration?: {
            readonly command: readonly string[];
            readonly env: Readonly<Record<string, pulumi.Input<string>>>;
            readonly secretFiles: readonly Credential[];
            /** The RDS instance snapshotted first (aws). */
            readonly databaseInstance?: pulumi.Input<string>;
            /** Seed files run after the migration by `command` (psql over <scratch dir>/<file>), as `user` with `password`. */
            readonly seed?: {
                readonly files: readonly { readonly name: string; readonly content: string }[];
                readonly command: readonly string[];
                readonly host: pulumi.Input<string>;
                readonly port: number;
                readonly database: string;
                readonly user: string;
                readonly password: Credential;
                /** The RDS CA bundle (PEM) psql verifies the server with. */
                readonly caBundle?: pulumi.Input<string>;
            };
        };
    };
}

export interface ServiceEndpoint {
    readonly host: pulumi.Output<string>;
    readonly port: number;
}

const implementations: Implementations<ServiceArgs, ServiceEndpoint> = { docker: dockerService, aws: awsService };

/** One of the platform's application services (backend, frontend, playwright, ai-processor). */
export class Service extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: number;

    constructor(name: string, args: ServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:app:Service", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.registerOutputs({ host: this.host, port: this.port });
    }
}
