import * as pulumi from "@pulumi/pulumi";
import type { Environment, Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { SecretFile } from "../docker/container";
import type { Implementations } from "../shared/platform";
import type { Size, SizedWorkload } from "../shared/sizing";
import { awsMonitoring } from "./aws";
import { dockerMonitoring } from "./docker";
import type { ScrapeTarget } from "./prometheus";

export interface MonitoringArgs {
    readonly target: Target;
    readonly environment: Environment;
    readonly network: NetworkAttachment;
    readonly sizes: Readonly<Record<SizedWorkload, Size>>;
    /** Metrics retention, kept as long as logs (design: 30 days dev, 90 prod). */
    readonly retentionDays: number;
    readonly grafana: boolean;
    /** Application endpoints that expose /metrics. */
    readonly applicationTargets: readonly ScrapeTarget[];
    readonly database: {
        readonly host: pulumi.Input<string>;
        readonly port: number;
        readonly name: string;
        readonly user: string;
        readonly passwordFile: SecretFile;
    };
    readonly cache: { readonly host: pulumi.Input<string>; readonly port: number; readonly password: pulumi.Output<string> };
}

export interface MonitoringEndpoint {
    readonly grafanaAdminPassword?: pulumi.Output<string>;
    readonly grafanaUpstream?: { readonly host: string; readonly port: number };
}

const implementations: Implementations<MonitoringArgs, MonitoringEndpoint> = { docker: dockerMonitoring, aws: awsMonitoring };

/** Metrics collection: Prometheus, the PostgreSQL and Redis exporters, and Grafana. */
export class Monitoring extends pulumi.ComponentResource {
    public readonly grafanaAdminPassword?: pulumi.Output<string>;
    public readonly grafanaUpstream?: { readonly host: string; readonly port: number };

    constructor(name: string, args: MonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:observability:Monitoring", name, {}, opts);
        const endpoint = implementations[args.target](name, args, this);
        this.grafanaAdminPassword = endpoint.grafanaAdminPassword;
        this.grafanaUpstream = endpoint.grafanaUpstream;
        this.registerOutputs({ grafanaAdminPassword: this.grafanaAdminPassword });
    }
}
