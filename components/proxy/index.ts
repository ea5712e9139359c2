import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsProxy } from "./aws";
import { dockerProxy } from "./docker";
import type { Upstream } from "./nginx-conf";

export interface ProxyArgs {
    readonly target: Target;
    readonly network: NetworkAttachment;
    readonly size: Size;
    readonly domainName: string;
    readonly httpPort: number;
    readonly httpsPort: number;
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
    readonly frontend: Upstream;
    readonly backend: Upstream;
    readonly grafana?: Upstream;
    readonly dependsOn?: pulumi.Resource[];
}

export interface ProxyEndpoint {
    readonly url: pulumi.Output<string>;
}

const implementations: Implementations<ProxyArgs, ProxyEndpoint> = { docker: dockerProxy, aws: awsProxy };

/** The only way in: TLS, HTTP→HTTPS redirect, rate limiting, routes to frontend and backend. */
export class ReverseProxy extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ProxyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:edge:ReverseProxy", name, {}, opts);
        this.url = implementations[args.target](name, args, this).url;
        this.registerOutputs({ url: this.url });
    }
}
