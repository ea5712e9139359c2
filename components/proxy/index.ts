import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { LoadBalancerTarget } from "../aws/platform";
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
    /** The host address the ports are published on (docker). */
    readonly publishAddress: string;
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
    readonly frontend: Upstream;
    readonly backend: Upstream;
    readonly grafana?: Upstream;
    readonly dependsOn?: pulumi.Resource[];
    /** The load balancer (aws only). */
    readonly aws?: { readonly deploymentStrategy: "rolling" | "blue-green"; readonly logRetentionDays: number };
}

export interface ProxyEndpoint {
    readonly url: pulumi.Output<string>;
    /** Where ECS registers frontend and backend tasks (aws only). */
    readonly targets?: Readonly<Record<"frontend" | "backend", LoadBalancerTarget>>;
    /** DNS records the operator publishes: certificate validation and the domain's alias (aws only). */
    readonly dnsRecords?: pulumi.Output<{ name: string; type: string; value: string }[]>;
}

const implementations: Implementations<ProxyArgs, ProxyEndpoint> = { docker: dockerProxy, aws: awsProxy };

/** The only way in: TLS, HTTP→HTTPS redirect, rate limiting, routes to frontend and backend. */
export class ReverseProxy extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    public readonly targets?: ProxyEndpoint["targets"];
    public readonly dnsRecords?: ProxyEndpoint["dnsRecords"];

    constructor(name: string, args: ProxyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:edge:ReverseProxy", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.url = endpoint.url;
        this.targets = endpoint.targets;
        this.dnsRecords = endpoint.dnsRecords;
        this.registerOutputs({ url: this.url });
    }
}
