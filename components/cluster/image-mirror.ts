// ECR pull-through cache rules for the registries the tasks' images come from (AWS ECR user guide,
// "Sync an upstream registry with an Amazon ECR private registry"): a task pulls
// `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<upstream path>:<tag>` and ECR fetches the image
// from the upstream on the first pull, then serves it from the private registry. Tasks hold no
// registry credentials of their own.
//
// The first pull of an image is the exception: over the VPC endpoints ECR redirects its blob
// downloads to the upstream (ECR user guide, "Amazon ECR interface VPC endpoints", Considerations:
// the first pull through a cache rule needs a route to the internet; aws/containers-roadmap#2304),
// and tasks may send 443 only to the endpoints. So the deployment makes that first pull itself,
// where `pulumi up` runs and the internet is reachable, once per image reference, and every task
// definition naming the image waits for it: a task only ever pulls an image ECR already holds.
import * as command from "@pulumi/command";
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import { POLL_SECONDS } from "../aws/migration";
import { awsName } from "../aws/names";

/** The upstream registries, by host, and the short name their cache prefix carries. */
export const UPSTREAMS = {
    "ghcr.io": "ghcr",
    "public.ecr.aws": "ecr-public",
} as const;
type UpstreamHost = keyof typeof UPSTREAMS;
/** Cached images kept per repository: the running version, rollbacks, and room for a deploy. */
export const CACHED_IMAGES_KEPT = 10;

/** ECR actions a task's execution role needs to pull through the cache (ECR user guide, "IAM permissions required to sync an upstream registry"). */
export const PULL_THROUGH_ACTIONS = [
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchImportUpstreamImage",
    "ecr:CreateRepository",
] as const;

/** How long the deployment waits for ECR to cache an image on its first pull before it fails, naming the image. */
export const IMAGE_CACHE_WAIT_MINUTES = 20;

// Warms the cache for one image, where `pulumi up` runs. The image is cached once ECR lists its tag in
// the cache repository: ECR stores an image's manifest only once it holds every layer the manifest
// names (PutImage refuses one with missing layers: LayersNotFoundException, ECR API reference), so a
// task's pull then gets every blob from ECR (S3, through the gateway endpoint). Until then each round
// makes a pull's first request, BatchGetImage for the manifest (AWS CLI, "batch-get-image": what a pull
// calls once), which starts ECR's import from the upstream; the import needs ecr:BatchImportUpstreamImage
// and, for a new repository, ecr:CreateRepository (ECR user guide, "IAM permissions required to sync an
// upstream registry"). Repeating it is harmless.
export const IMAGE_CACHE_SCRIPT = `set -euo pipefail
deadline=$(( $(date +%s) + WAIT_MINUTES * 60 ))
while :; do
  if aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$TAG" --query 'imageDetails[0].imageDigest' --output text >/dev/null 2>&1; then
    echo "$IMAGE is cached as $REPOSITORY:$TAG"
    exit 0
  fi
  failure=$(aws ecr batch-get-image --repository-name "$REPOSITORY" --image-ids "imageTag=$TAG" --query 'failures[0].failureReason' --output text 2>&1) || true
  [ "$failure" = None ] && failure=""
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "ECR has not cached $IMAGE as $REPOSITORY:$TAG after $WAIT_MINUTES minutes\${failure:+ ($failure)}; check the image exists upstream and the pull-through cache rule (aws ecr validate-pull-through-cache-rule), then run pulumi up again" >&2
    exit 1
  fi
  echo "waiting for ECR to cache $IMAGE\${failure:+ ($failure)}"
  sleep "$POLL_SECONDS"
done
`;

// Asks ECR to check GHCR's rule (ECR user guide, "Validating pull through cache rules": ECR reads the
// secret, checks its syntax and signs in to the upstream) once the rule exists, and fails with ECR's
// reason: a wrong token would otherwise surface as a cache step timing out.
export const RULE_VALIDATION_SCRIPT = `set -euo pipefail
result=$(aws ecr validate-pull-through-cache-rule --ecr-repository-prefix "$PREFIX" --query '[isValid, failure]' --output text)
read -r valid failure <<< "$result"
if [ "$valid" != True ]; then
  echo "ECR cannot pull through $PREFIX with the credentials in $SECRET: \${failure:-no reason given}; store a working token (aws secretsmanager put-secret-value --secret-id $SECRET), then run pulumi up again" >&2
  exit 1
fi
echo "ECR signs in to the upstream of $PREFIX with $SECRET"
`;

export interface ImageMirrorArgs {
    readonly region: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** Secret (name prefix `ecr-pullthroughcache/`) holding GHCR's `{"username","accessToken"}`. */
    readonly ghcrCredentialsArn: pulumi.Input<string>;
    /** Done once those credentials hold a value: nothing pulls from GHCR before. */
    readonly ghcrCredentialsStored: pulumi.Resource;
}

/** An upstream image reference split into its registry host, repository path and tag (`ghcr.io/org/backend:1.0`). */
export function parseReference(reference: string): { readonly host: UpstreamHost; readonly path: string; readonly tag: string } {
    const match = /^([^/]+)\/([^:@]+):([\w][\w.-]{0,127})$/.exec(reference);
    const host = match?.[1] ?? reference.split("/")[0];
    if (!(host in UPSTREAMS))
        throw new Error(`image ${reference}: tasks pull through ECR's cache of ${Object.keys(UPSTREAMS).join(" or ")}; add its registry to UPSTREAMS`);
    if (!match) throw new Error(`image ${reference}: expected <registry>/<repository>:<tag>, a pinned tag the cache can be warmed with`);
    return { host: host as UpstreamHost, path: match[2], tag: match[3] };
}

/** One stack's cache prefix for an upstream, short enough for ECR (shortened), distinct from other stacks'. */
export function mirrorPrefix(stack: string, upstream: string): string {
    return awsName("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "ecrRepositoryPrefix", `osint-${stack}-${upstream}`);
}

export class ImageMirror extends pulumi.ComponentResource {
    /** The ECR repositories the cache creates, for the execution roles' pull permissions. */
    public readonly repositoryArns: pulumi.Output<string>[];
    /** Each upstream's cache prefix, resolved once its rule and template exist. */
    private readonly prefixes: Readonly<Record<UpstreamHost, pulumi.Output<string>>>;
    private readonly registry: pulumi.Output<string>;
    /** Each image reference's pull reference, resolved once the deployment has cached it. */
    private readonly warmed = new Map<string, pulumi.Output<string>>();
    /** GHCR's rule validated against the registry: nothing is pulled from GHCR before. */
    private readonly valid: pulumi.Resource[] = [];

    constructor(
        private readonly name: string,
        private readonly args: ImageMirrorArgs,
        opts: pulumi.ComponentResourceOptions = {},
    ) {
        super("osint:compute:ImageMirror", name, {}, opts);
        const lifecyclePolicy = JSON.stringify({
            rules: [
                {
                    rulePriority: 1,
                    description: `keep the newest ${CACHED_IMAGES_KEPT}`,
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: CACHED_IMAGES_KEPT },
                    action: { type: "expire" },
                },
            ],
        });
        const cache = (host: UpstreamHost): pulumi.Output<string> => {
            const upstream = UPSTREAMS[host];
            const prefix = mirrorPrefix(pulumi.getStack(), upstream);
            // CreatePullThroughCacheRule reads the credentials secret (ECR API reference), so GHCR's rule
            // waits until they hold a value with ECR's keys, not only until the (empty) secret exists.
            const ghcr = host === "ghcr.io";
            const rule = new aws.ecr.PullThroughCacheRule(
                `${name}-${upstream}`,
                { ecrRepositoryPrefix: prefix, upstreamRegistryUrl: host, credentialArn: ghcr ? args.ghcrCredentialsArn : undefined },
                { parent: this, dependsOn: ghcr ? [args.ghcrCredentialsStored] : [] },
            );
            // The repositories the cache creates get a lifecycle policy (Security Hub ECR.3).
            const template = new aws.ecr.RepositoryCreationTemplate(
                `${name}-${upstream}`,
                { prefix, appliedFors: ["PULL_THROUGH_CACHE"], description: `${host} images cached for ${pulumi.getStack()}`, lifecyclePolicy },
                { parent: this },
            );
            if (ghcr)
                this.valid.push(
                    new command.local.Command(
                        `${name}-${upstream}-valid`,
                        {
                            create: RULE_VALIDATION_SCRIPT,
                            interpreter: ["/bin/bash", "-c"],
                            environment: { AWS_REGION: args.region, PREFIX: rule.ecrRepositoryPrefix, SECRET: args.ghcrCredentialsArn },
                        },
                        { parent: this },
                    ),
                );
            // Through the resources' outputs, so a task definition naming the image waits for both: a
            // first pull before the rule exists finds no repository.
            return pulumi.all([rule.ecrRepositoryPrefix, template.prefix]).apply(([rulePrefix]) => rulePrefix);
        };
        this.prefixes = { "ghcr.io": cache("ghcr.io"), "public.ecr.aws": cache("public.ecr.aws") };
        this.repositoryArns = Object.values(this.prefixes).map(
            (prefix) => pulumi.interpolate`arn:aws:ecr:${args.region}:${args.accountId}:repository/${prefix}/*`,
        );
        this.registry = pulumi.interpolate`${args.accountId}.dkr.ecr.${args.region}.amazonaws.com`;
        this.registerOutputs({ repositoryArns: this.repositoryArns });
    }

    /**
     * Where a task pulls `reference` (e.g. ghcr.io/org/backend:1.0) from: its pull-through cache,
     * resolved only once the deployment has cached the image there (a task definition naming it
     * depends on that step). One step per repository, keyed on the tag: a new tag runs it again.
     */
    public pullReference(reference: string): pulumi.Output<string> {
        const known = this.warmed.get(reference);
        if (known) return known;
        const { host, path, tag } = parseReference(reference);
        const id = `${this.name}-${UPSTREAMS[host]}-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;
        const other = [...this.warmed.keys()].find((r) => r !== reference && r.startsWith(`${host}/${path}:`));
        if (other) throw new Error(`image ${reference}: the stack already runs ${other}; one tag per repository is cached (${id})`);
        const repository = pulumi.interpolate`${this.prefixes[host]}/${path}`;
        const cached = new command.local.Command(
            id,
            {
                create: IMAGE_CACHE_SCRIPT,
                interpreter: ["/bin/bash", "-c"],
                environment: {
                    AWS_REGION: this.args.region,
                    IMAGE: reference,
                    REPOSITORY: repository,
                    TAG: tag,
                    WAIT_MINUTES: String(IMAGE_CACHE_WAIT_MINUTES),
                    POLL_SECONDS: String(POLL_SECONDS),
                },
            },
            { parent: this, dependsOn: host === "ghcr.io" ? this.valid : [] },
        );
        const pull = pulumi.all([this.registry, repository, cached.id]).apply(([registry, repo]) => `${registry}/${repo}:${tag}`);
        this.warmed.set(reference, pull);
        return pull;
    }
}
