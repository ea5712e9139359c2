import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { NetworkAttachment } from "../network";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { awsBackups } from "./aws";
import { dockerBackups } from "./docker";

export interface BackupsArgs {
    readonly target: Target;
    readonly network: NetworkAttachment;
    readonly size: Size;
    /** The exporter publishing the job's success time (docker; on aws, AWS Backup reports to CloudWatch). */
    readonly metricsSize: Size;
    readonly retentionDays: number;
    readonly database: {
        readonly host: pulumi.Input<string>;
        readonly port: number;
        readonly name: string;
        readonly user: string;
        readonly password: pulumi.Output<string>;
        /** The RDS instance the backup plan selects (aws only). */
        readonly instanceArn?: pulumi.Input<string>;
    };
    readonly dependsOn?: pulumi.Resource[];
}

export interface BackupsEndpoint {
    readonly location: pulumi.Output<string>;
}

const implementations: Implementations<BackupsArgs, BackupsEndpoint> = { docker: dockerBackups, aws: awsBackups };

/** Scheduled database backups with the design's retention. */
export class Backups extends pulumi.ComponentResource {
    public readonly location: pulumi.Output<string>;

    constructor(name: string, args: BackupsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:data:Backups", name, {}, opts);
        this.location = implementations[args.target](name, args, this).location;
        this.registerOutputs({ location: this.location });
    }
}
