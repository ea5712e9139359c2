import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import type { AwsAttachment } from "../aws/platform";
import type { DockerNetworks } from "../docker/container";
import type { Implementations } from "../shared/platform";
import { awsNetwork } from "./aws";
import { dockerNetwork } from "./docker";

export interface NetworkArgs {
    readonly target: Target;
    /** The VPC and landing zone (aws only: docker's networks have no addresses, zones or logs). */
    readonly aws?: {
        readonly vpcCidr: string;
        readonly availabilityZoneCount: number;
        readonly multiAz: boolean;
        /** Interface and gateway endpoints for the AWS APIs tasks call; tasks' HTTPS egress limited to them. */
        readonly vpcEndpoints: boolean;
        readonly logRetentionDays: number;
        readonly alarmEmail: string;
        /** Region for backup copies; empty for none. */
        readonly drRegion: string;
        readonly protectData: boolean;
        /** Days a deleted Secrets Manager secret stays recoverable (7 to 30). */
        readonly secretRecoveryWindowDays: number;
    };
}

/** What other components attach to; one variant per platform. */
export type NetworkAttachment = { readonly platform: "docker"; readonly docker: DockerNetworks } | AwsAttachment;

const implementations: Implementations<NetworkArgs, NetworkAttachment> = { docker: dockerNetwork, aws: awsNetwork };

/** Service-to-service networking: an internal network for every service, an edge for the proxy. */
export class Network extends pulumi.ComponentResource {
    public readonly attachment: NetworkAttachment;

    constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:network:Network", name, {}, opts);
        this.attachment = implementations[args.target](name, args, this);
        this.registerOutputs({ platform: this.attachment.platform });
    }
}

export function dockerAttachment(attachment: NetworkAttachment, component: string): DockerNetworks {
    if (attachment.platform !== "docker") throw new Error(`${component}: the docker implementation needs a docker network, got ${attachment.platform}`);
    return attachment.docker;
}
