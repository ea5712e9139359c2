// The ECS cluster every Fargate service runs in, and the registry credentials its tasks pull with.
import * as aws from "../shared/aws-sdk";
import * as pulumi from "@pulumi/pulumi";
import { awsPrefix } from "../shared/aws-platform";
import { encryptedLogGroup } from "../telemetry";

export interface ClusterArgs {
    readonly telemetry: { readonly logKeyArn: pulumi.Input<string>; readonly logRetentionDays: number };
}

export class Cluster extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    /** Secrets Manager secret holding `{"username","password"}` for GHCR; its value is set out of band. */
    public readonly registryCredentialsArn: pulumi.Output<string>;

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
        // once with `aws secretsmanager put-secret-value` (README, "pulumi up --stack prod").
        const registry = new aws.secretsmanager.Secret(
            `${name}-ghcr-credentials`,
            { name: `${awsPrefix()}/ghcr-credentials`, description: "GitHub Container Registry read token for ECS image pulls" },
            { parent: this },
        );
        this.arn = cluster.arn;
        this.name = cluster.name;
        this.registryCredentialsArn = registry.arn;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
