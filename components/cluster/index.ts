// The ECS cluster every Fargate service runs in, and where its tasks pull images: ECR pull-through
// caches of the upstream registries, so a task reaches only ECR (through the VPC endpoints where the
// stack has them) and never the internet to start.
import * as aws from "../shared/aws-sdk";
import * as pulumi from "@pulumi/pulumi";
import { awsPrefix } from "../shared/aws-platform";
import { encryptedLogGroup } from "../telemetry";
import { ImageMirror } from "./image-mirror";

export interface ClusterArgs {
    readonly telemetry: { readonly logKeyArn: pulumi.Input<string>; readonly logRetentionDays: number };
    readonly region: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
}

export class Cluster extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    public readonly images: ImageMirror;

    constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:compute:Cluster", name, {}, opts);
        // Container Insights writes here; created first so the stack's key and retention apply.
        const insights = encryptedLogGroup(`${name}-insights`, `/aws/ecs/containerinsights/${awsPrefix()}/performance`, args.telemetry, this);
        const cluster = new aws.ecs.Cluster(
            `${name}-ecs`,
            { name: awsPrefix(), settings: [{ name: "containerInsights", value: "enabled" }] },
            { parent: this, dependsOn: [insights] },
        );
        // No version here: the token never enters the program or its state. The operator stores it
        // once with `aws secretsmanager put-secret-value` (docs/aws-security.md). ECR reads it for the
        // GHCR pull-through cache, which requires the `ecr-pullthroughcache/` name prefix.
        const registry = new aws.secretsmanager.Secret(
            `${name}-ghcr-credentials`,
            { name: `ecr-pullthroughcache/${awsPrefix()}/ghcr`, description: "GitHub Container Registry read token for ECR's pull-through cache" },
            { parent: this },
        );
        this.images = new ImageMirror(`${name}-images`, { region: args.region, accountId: args.accountId, ghcrCredentialsArn: registry.arn }, { parent: this });
        this.arn = cluster.arn;
        this.name = cluster.name;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
