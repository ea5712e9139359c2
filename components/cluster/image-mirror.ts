// ECR pull-through cache rules for the registries the tasks' images come from (AWS ECR user guide,
// "Sync an upstream registry with an Amazon ECR private registry"): a task pulls
// `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<upstream path>:<tag>` and ECR fetches the image
// from the upstream on the first pull, then serves it from the private registry. Tasks therefore need
// no route to ghcr.io or public.ecr.aws, and no registry credentials of their own.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
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

export interface ImageMirrorArgs {
    readonly region: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** Secret (name prefix `ecr-pullthroughcache/`) holding GHCR's `{"username","accessToken"}`. */
    readonly ghcrCredentialsArn: pulumi.Input<string>;
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

    constructor(name: string, args: ImageMirrorArgs, opts: pulumi.ComponentResourceOptions = {}) {
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
            const rule = new aws.ecr.PullThroughCacheRule(
                `${name}-${upstream}`,
                { ecrRepositoryPrefix: prefix, upstreamRegistryUrl: host, credentialArn: host === "ghcr.io" ? args.ghcrCredentialsArn : undefined },
                { parent: this },
            );
            // The repositories the cache creates get a lifecycle policy (Security Hub ECR.3).
            const template = new aws.ecr.RepositoryCreationTemplate(
                `${name}-${upstream}`,
                { prefix, appliedFors: ["PULL_THROUGH_CACHE"], description: `${host} images cached for ${pulumi.getStack()}`, lifecyclePolicy },
                { parent: this },
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

    /** Where a task pulls `reference` (e.g. ghcr.io/org/backend:1.0) from: its pull-through cache. */
    public pullReference(reference: string): pulumi.Output<string> {
        const host = reference.split("/")[0];
        if (!(host in UPSTREAMS))
            throw new Error(`image ${reference}: tasks pull through ECR's cache of ${Object.keys(UPSTREAMS).join(" or ")}; add its registry to UPSTREAMS`);
        return pulumi.interpolate`${this.registry}/${this.prefixes[host as UpstreamHost]}/${reference.slice(host.length + 1)}`;
    }
}
