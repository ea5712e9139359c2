// The ECS cluster every Fargate service runs in, and where its tasks pull images: ECR pull-through
// caches of the upstream registries, warmed by the deployment, so a task reaches only ECR (through
// the VPC endpoints where the stack has them) and never the internet to start.
import * as command from "@pulumi/command";
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import { POLL_SECONDS } from "../aws/migration";
import { sharedNames } from "../aws/names";
import { AWS_MANAGED_SECRETS_KEY, awsPrefix, prefixedSecret } from "../aws/platform";
import { encryptedLogGroup } from "../telemetry";
import { ImageMirror } from "./image-mirror";

/**
 * How long the first `pulumi up` waits for the operator to store the GHCR credentials (while RDS
 * and ElastiCache are still being created) before it fails, naming the command that stores them.
 */
export const REGISTRY_CREDENTIALS_WAIT_MINUTES = 30;

// Polls the secret's metadata (secretsmanager:DescribeSecret, never its value) until a version is
// AWSCURRENT: ECR's pull-through cache cannot pull from GHCR with an empty credentials secret, and
// each service would only fail after its own steady-state wait.
export const REGISTRY_CREDENTIALS_SCRIPT = `set -euo pipefail
deadline=$(( $(date +%s) + WAIT_MINUTES * 60 ))
while :; do
  stages=$(aws secretsmanager describe-secret --secret-id "$SECRET" --query 'VersionIdsToStages' --output text)
  [[ "$stages" == *AWSCURRENT* ]] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    cat >&2 <<MESSAGE
the GHCR pull credentials $SECRET hold no value after $WAIT_MINUTES minutes; store them, then run pulumi up again:
  aws secretsmanager put-secret-value --region $AWS_REGION --secret-id $SECRET --secret-string '{"username":"<github user>","accessToken":"<read:packages token>"}'
MESSAGE
    exit 1
  fi
  echo "waiting for the GHCR pull credentials in $SECRET (aws secretsmanager put-secret-value, docs/aws-stacks.md)"
  sleep "$POLL_SECONDS"
done
`;

export interface ClusterArgs {
    /** The stack's region (aws:region), where the registry check calls Secrets Manager. */
    readonly region: pulumi.Input<string>;
    readonly telemetry: { readonly logKeyArn: pulumi.Input<string>; readonly logRetentionDays: number };
    readonly accountId: pulumi.Input<string>;
    readonly secretRecoveryWindowDays: number;
}

export class Cluster extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    public readonly images: ImageMirror;
    /** Done once the GHCR credentials hold a value: whatever pulls a GHCR image waits for it. */
    public readonly registryReady: pulumi.Resource;

    constructor(name: string, args: ClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:compute:Cluster", name, {}, opts);
        const clusterName = sharedNames().cluster;
        // Container Insights writes here; created first so the stack's key and retention apply.
        const insights = encryptedLogGroup(`${name}-insights`, `/aws/ecs/containerinsights/${clusterName}/performance`, args.telemetry, this);
        const cluster = new aws.ecs.Cluster(
            `${name}-ecs`,
            { name: clusterName, settings: [{ name: "containerInsights", value: "enabled" }] },
            { parent: this, dependsOn: [insights] },
        );
        // No version here: the token never enters the program or its state. The operator stores it
        // once with `aws secretsmanager put-secret-value` (docs/aws-security.md). ECR reads it for the
        // GHCR pull-through cache, which requires the `ecr-pullthroughcache/` name prefix and the
        // AWS-managed key (waived in policies/config/<stack>.json); the generated suffix lets a
        // destroyed stack be recreated within the recovery window.
        const registry = prefixedSecret(
            `${name}-ghcr-credentials`,
            `ecr-pullthroughcache/${awsPrefix()}/ghcr`,
            "GitHub Container Registry read token for ECR's pull-through cache",
            args.secretRecoveryWindowDays,
            AWS_MANAGED_SECRETS_KEY,
            this,
        );
        this.arn = cluster.arn;
        this.name = cluster.name;
        this.registryReady = new command.local.Command(
            `${name}-ghcr-credentials-stored`,
            {
                create: REGISTRY_CREDENTIALS_SCRIPT,
                interpreter: ["/bin/bash", "-c"],
                environment: {
                    AWS_REGION: args.region,
                    SECRET: registry.arn,
                    WAIT_MINUTES: String(REGISTRY_CREDENTIALS_WAIT_MINUTES),
                    POLL_SECONDS: String(POLL_SECONDS),
                },
            },
            { parent: this },
        );
        this.images = new ImageMirror(
            `${name}-images`,
            { region: args.region, accountId: args.accountId, ghcrCredentialsArn: registry.arn, ghcrCredentialsStored: this.registryReady },
            { parent: this },
        );
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
