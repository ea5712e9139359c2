// The one table of AWS physical-name limits (length and characters) for every name, identifier or
// prefix input the program sets, and the deterministic shortening every AWS component names through.
// Limits are the providers' schema validation (hashicorp/terraform-provider-aws, the resource's
// ValidateFunc; pulumi-aws passes them through) or, where the provider leaves it to the API, the AWS
// API reference's constraint; each entry names its source.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config";

export interface NameLimit {
    readonly max: number;
    /** The whole name, characters and shape (first character, hyphens); length is `max`'s. */
    readonly pattern: RegExp;
    readonly source: string;
}

const TF = "hashicorp/terraform-provider-aws";
/** Letters, digits and single inner hyphens, starting with a letter (RDS and ElastiCache identifiers). */
const IDENTIFIER = /^[A-Za-z](?!.*--)[0-9A-Za-z-]*[0-9A-Za-z]$/;
const LOWER_IDENTIFIER = /^[a-z](?!.*--)[0-9a-z-]*[0-9a-z]$/;
const WORD_OR_HYPHEN = /^[0-9A-Za-z_-]+$/;
const LOG_GROUP = { max: 512, pattern: /^[0-9A-Za-z_./#-]+$/, source: `${TF} internal/service/logs/validate.go validLogGroupName` };
const ECR_PREFIX = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** Resource type → input (dotted for nested inputs) → its limit. */
export const AWS_NAME_LIMITS = {
    "aws:lb/loadBalancer:LoadBalancer": {
        name: { max: 32, pattern: /^(?!internal-)[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?$/, source: `${TF} internal/service/elbv2/validate.go validName` },
    },
    // Left to Pulumi's autonaming today (resource name and a random suffix, the same on every stack); a set name is checked.
    "aws:lb/targetGroup:TargetGroup": {
        name: { max: 32, pattern: /^[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?$/, source: `${TF} internal/service/elbv2/validate.go validTargetGroupName` },
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        // 40 so that its member clusters, <id>-001, fit ElastiCache's 50-character cluster ids.
        replicationGroupId: { max: 40, pattern: IDENTIFIER, source: `${TF} internal/service/elasticache/replication_group.go validateReplicationGroupID` },
        finalSnapshotIdentifier: { max: 255, pattern: IDENTIFIER, source: "AWS ElastiCache API reference, CreateSnapshot SnapshotName" },
    },
    "aws:elasticache/subnetGroup:SubnetGroup": {
        name: { max: 255, pattern: /^[0-9A-Za-z-]+$/, source: `${TF} internal/service/elasticache/subnet_group.go` },
    },
    "aws:elasticache/parameterGroup:ParameterGroup": {
        name: { max: 255, pattern: IDENTIFIER, source: "AWS ElastiCache API reference, CreateCacheParameterGroup CacheParameterGroupName" },
    },
    "aws:rds/instance:Instance": {
        identifier: {
            max: 63,
            pattern: LOWER_IDENTIFIER,
            source: `${TF} internal/service/rds/validate.go validIdentifier; AWS RDS API reference, CreateDBInstance (1-63)`,
        },
        finalSnapshotIdentifier: { max: 255, pattern: IDENTIFIER, source: `${TF} internal/service/rds/instance.go final_snapshot_identifier` },
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        name: { max: 255, pattern: /^(?!default$)[0-9a-z_ .-]+$/, source: `${TF} internal/service/rds/validate.go validSubnetGroupName` },
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        name: { max: 255, pattern: /^[a-z](?!.*--)[0-9a-z.-]*[0-9a-z.]$/, source: `${TF} internal/service/rds/validate.go validParamGroupName` },
    },
    "aws:backup/vault:Vault": { name: { max: 50, pattern: /^[0-9A-Za-z_-]{2,}$/, source: `${TF} internal/service/backup/vault.go name (2-50)` } },
    "aws:backup/plan:Plan": { name: { max: 50, pattern: /^[0-9A-Za-z_.-]+$/, source: `${TF} internal/service/backup/plan.go` } },
    "aws:backup/selection:Selection": { name: { max: 50, pattern: /^[0-9A-Za-z_.-]+$/, source: `${TF} internal/service/backup/selection.go` } },
    "aws:cloudwatch/dashboard:Dashboard": { dashboardName: { max: 255, pattern: WORD_OR_HYPHEN, source: `${TF} internal/service/cloudwatch/dashboard.go` } },
    "aws:cloudwatch/eventRule:EventRule": {
        name: { max: 64, pattern: /^[0-9A-Za-z_.-]+$/, source: `${TF} internal/service/events/validate.go validateRuleName` },
    },
    "aws:cloudwatch/logGroup:LogGroup": { name: LOG_GROUP },
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": {
        ecrRepositoryPrefix: { max: 30, pattern: ECR_PREFIX, source: `${TF} internal/service/ecr/pull_through_cache_rule.go ecr_repository_prefix (2-30)` },
    },
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": {
        prefix: { max: 256, pattern: ECR_PREFIX, source: `${TF} internal/service/ecr/repository_creation_template.go prefix` },
    },
    "aws:ecs/cluster:Cluster": { name: { max: 255, pattern: WORD_OR_HYPHEN, source: `${TF} internal/service/ecs/cluster.go validateClusterName` } },
    "aws:ecs/service:Service": { name: { max: 255, pattern: WORD_OR_HYPHEN, source: "AWS ECS API reference, CreateService serviceName" } },
    "aws:ecs/taskDefinition:TaskDefinition": { family: { max: 255, pattern: WORD_OR_HYPHEN, source: `${TF} internal/service/ecs/task_definition.go family` } },
    "aws:secretsmanager/secret:Secret": {
        // 512 less the provider's 26-character unique suffix.
        namePrefix: { max: 486, pattern: /^[0-9A-Za-z/_+=.@-]+$/, source: `${TF} internal/service/secretsmanager/validate.go validSecretNamePrefix` },
    },
    "aws:sns/topic:Topic": { name: { max: 256, pattern: WORD_OR_HYPHEN, source: `${TF} internal/service/sns/topic.go validTopicName` } },
    "aws:s3/bucket:Bucket": {
        bucket: {
            max: 63,
            pattern: /^[a-z0-9](?!.*\.\.)[a-z0-9.-]+[a-z0-9]$/,
            source: `AWS S3 user guide, general purpose bucket naming rules (3-63); ${TF} internal/service/s3/bucket.go validBucketName`,
        },
    },
    "aws:wafv2/webAcl:WebAcl": {
        name: { max: 128, pattern: WORD_OR_HYPHEN, source: `${TF} internal/service/wafv2/web_acl.go name` },
        "visibilityConfig.metricName": { max: 255, pattern: /^[\w#:.\-/]+$/, source: "AWS WAFV2 API reference, VisibilityConfig MetricName" },
    },
} as const satisfies Readonly<Record<string, Readonly<Record<string, NameLimit>>>>;

export type NamedType = keyof typeof AWS_NAME_LIMITS;
export type NamedInput<T extends NamedType> = keyof (typeof AWS_NAME_LIMITS)[T] & string;

/** The limits of `type`'s inputs, by input (none for a type the table does not name). */
export function limitsOf(type: string): Readonly<Record<string, NameLimit>> {
    return (AWS_NAME_LIMITS as Readonly<Record<string, Readonly<Record<string, NameLimit>> | undefined>>)[type] ?? {};
}

/** Hex characters of the full name's SHA-256 a shortened name ends with. */
export const NAME_HASH_LENGTH = 8;

/**
 * `fullName` if it fits `limit`; otherwise its readable beginning, cut so that `-<hash>` of the full
 * name fits. The identity for every name that fits keeps today's resources (a renamed load balancer or
 * database is a replaced one); the hash keeps two long names that share a beginning apart.
 */
export function fitName(fullName: string, limit: NameLimit): string {
    if (fullName.length <= limit.max) return fullName;
    const hash = createHash("sha256").update(fullName).digest("hex").slice(0, NAME_HASH_LENGTH);
    // A cut may end on a separator: dropped, so no "--" or "-/" joins the hash.
    const kept = fullName.slice(0, limit.max - NAME_HASH_LENGTH - 1).replace(/[^0-9A-Za-z]+$/, "");
    return `${kept}-${hash}`;
}

/** What `value` breaks of `limit` (what was expected), or undefined when it fits. */
export function nameProblem(value: string, limit: NameLimit): { readonly expected: string } | undefined {
    if (value.length > limit.max) return { expected: `at most ${limit.max} characters, not ${value.length}` };
    if (!limit.pattern.test(value)) return { expected: `a name matching ${limit.pattern.source}` };
    return undefined;
}

/**
 * `fullName` made to fit `type`'s `input`: shortened when too long; a name of characters the service
 * refuses throws. `reserved` characters are left for what the caller appends once known (an account id).
 */
export function awsName<T extends NamedType>(type: T, input: NamedInput<T>, fullName: string, reserved = 0): string {
    const tableLimit = limitsOf(type)[input];
    const limit = { ...tableLimit, max: tableLimit.max - reserved };
    const name = fitName(fullName, limit);
    const problem = nameProblem(name, limit);
    // The stack name is the input that made it: letters, digits and hyphens always fit.
    if (problem)
        throw new ConfigError(pulumi.getStack(), `${type} ${input} (from the stack name)`, `${problem.expected} (${limit.source})`, JSON.stringify(name));
    return name;
}

/** Physical-name prefix of this stack's AWS resources, e.g. osint-platform-prod. */
export function awsPrefix(): string {
    return `${pulumi.getProject()}-${pulumi.getStack()}`;
}

/**
 * Names more than one component uses: the resource's own and what finds it (log groups AWS names
 * after it, dashboard widgets, trust conditions, member clusters), so each is shortened once.
 */
export function sharedNames() {
    const prefix = awsPrefix();
    return {
        cluster: awsName("aws:ecs/cluster:Cluster", "name", prefix),
        database: awsName("aws:rds/instance:Instance", "identifier", prefix),
        cache: awsName("aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", prefix),
        loadBalancer: awsName("aws:lb/loadBalancer:LoadBalancer", "name", prefix),
    };
}
