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

/** The keys ECR reads from upstream credentials (ECR user guide, "Storing your upstream repository credentials in an AWS Secrets Manager secret"). */
export const REGISTRY_CREDENTIAL_KEYS = ["username", "accessToken"] as const;

// Reads the stored value from stdin and prints what is wrong with its shape, or nothing: only key
// names ever leave it, never the value (nor a JSON parser's message, which may quote it).
const CHECK_KEYS = `let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  let v; try { v = JSON.parse(s); } catch { v = undefined; }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return console.log("hold no JSON object");
  const missing = ${JSON.stringify(REGISTRY_CREDENTIAL_KEYS)}.filter((k) => typeof v[k] !== "string" || v[k] === "");
  if (missing.length > 0) console.log("lack " + missing.join(" and ") + " (ECR reads the keys ${REGISTRY_CREDENTIAL_KEYS.join(" and ")})");
});`;

// Polls until the secret's current version holds a JSON object with ECR's keys: ECR's pull-through
// cache cannot pull from GHCR without it (and creating the GHCR rule reads it), and each service would
// only fail after its own steady-state wait. The value is read only to check its key names, by node
// (which runs the Pulumi program, so it is on PATH), and never printed; while it is wrong the operator
// can fix it within the wait.
export const REGISTRY_CREDENTIALS_SCRIPT = `set -euo pipefail
deadline=$(( $(date +%s) + WAIT_MINUTES * 60 ))
while :; do
  stages=$(aws secretsmanager describe-secret --secret-id "$SECRET" --query 'VersionIdsToStages' --output text)
  problem="hold no value"
  if [[ "$stages" == *AWSCURRENT* ]]; then
    problem=$(aws secretsmanager get-secret-value --secret-id "$SECRET" --query SecretString --output text | node -e '${CHECK_KEYS}')
    [ -z "$problem" ] && break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    cat >&2 <<MESSAGE
the GHCR pull credentials $SECRET $problem after $WAIT_MINUTES minutes; store them, then run pulumi up again:
  aws secretsmanager put-secret-value --region $AWS_REGION --secret-id $SECRET --secret-string '{"username":"<github user>","accessToken":"<read:packages token>"}'
MESSAGE
    exit 1
  fi
  echo "waiting for the GHCR pull credentials in $SECRET: they $problem (aws secretsmanager put-secret-value, docs/aws-stacks.md)"
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
    /** Done once the GHCR credentials hold a value with ECR's keys: whatever pulls a GHCR image waits for it. */
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
