// What every AWS component attaches to: the VPC's subnets and security groups, the ECS cluster, the
// encrypted log key and alarm topic, and the second region's provider. Built by the aws network.
import * as aws from "./sdk";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type Environment, parseCidr } from "../../config";
import { type ImageMirror, PULL_THROUGH_ACTIONS } from "../cluster/image-mirror";
import type { NetworkAttachment } from "../network";
import type { ApplicationService } from "../service/catalog";
import { awsName, type NamedInput, type NamedType } from "./names";

export interface AwsAttachment {
    readonly platform: "aws";
    readonly region: pulumi.Output<string>;
    readonly accountId: pulumi.Output<string>;
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: { readonly public: pulumi.Output<string>[]; readonly private: pulumi.Output<string>[]; readonly isolated: pulumi.Output<string>[] };
    readonly securityGroupIds: {
        readonly alb: pulumi.Output<string>;
        readonly database: pulumi.Output<string>;
        /** The one-off task that applies the database's access model as the master user. */
        readonly databaseAdmin: pulumi.Output<string>;
        readonly cache: pulumi.Output<string>;
        readonly services: Readonly<Record<ApplicationService, pulumi.Output<string>>>;
    };
    readonly cluster: {
        readonly arn: pulumi.Output<string>;
        readonly name: pulumi.Output<string>;
        /** Tasks pull every image through ECR's cache of its registry (components/cluster/image-mirror.ts). */
        readonly images: Pick<ImageMirror, "pullReference" | "repositoryArns">;
        /** Completes once the GHCR credentials hold a value (the first `up` waits there for the operator). */
        readonly registryReady: pulumi.Resource;
    };
    readonly telemetry: { readonly logKeyArn: pulumi.Output<string>; readonly logRetentionDays: number; readonly alarmTopicArn: pulumi.Output<string> };
    /** Where backup copies go; absent when the stack keeps backups in one region. */
    readonly dr?: { readonly region: string; readonly provider: aws.Provider };
    /** Stateful resources (data, keys, backups) carry `protect` in production. */
    readonly protectData: boolean;
    /** Days a deleted secret stays recoverable (SECRET_RECOVERY_WINDOW_DAYS of the environment). */
    readonly secretRecoveryWindowDays: number;
    /** The stack's customer-managed key for its Secrets Manager secrets (components/secrets). */
    readonly secretsKeyArn: pulumi.Output<string>;
    /** What a task's traffic needs before it starts: the VPC endpoints and every security-group rule. */
    readonly taskNetwork: readonly pulumi.Resource[];
}

/** The `index`-th block of `newBits` more bits inside `cidr`, e.g. (10.0.0.0/16, 4, 5) → 10.0.80.0/20. */
export function subnetCidr(cidr: string, newBits: number, index: number): string {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new Error(`not an IPv4 CIDR block: ${cidr}`);
    const prefix = parsed.prefix + newBits;
    const base = parsed.base + index * 2 ** (32 - prefix);
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${octets.join(".")}/${prefix}`;
}

/** The aws network a component attaches to; a docker network here is a wiring error. */
export function awsAttachment(attachment: NetworkAttachment, component: string): AwsAttachment {
    if (attachment.platform !== "aws") throw new Error(`${component}: the aws implementation needs an aws network, got ${attachment.platform}`);
    return attachment;
}

/** A component's aws-only arguments, required once the aws implementation runs. */
export function awsArgs<T>(value: T | undefined, component: string): T {
    if (value === undefined) throw new Error(`${component}: the aws implementation needs its \`aws\` arguments`);
    return value;
}

export { awsPrefix } from "./names";

/**
 * Who may hand a role to an AWS service (confused-deputy protection): the service acts for this
 * account (`aws:SourceAccount`) and for resources matching `arn` (`aws:SourceArn`). Only for services
 * that document the keys in their role's trust policy; a key the service does not send denies it.
 */
export interface TrustSource {
    readonly account: pulumi.Input<string>;
    readonly arn: pulumi.Input<string>;
}

/** An IAM trust policy letting `service` (e.g. ecs-tasks.amazonaws.com) assume the role, from `source` when given. */
export function assumeRolePolicy(service: string, source?: TrustSource): pulumi.Output<string> {
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(source ? { Condition: { StringEquals: { "aws:SourceAccount": source.account }, ArnLike: { "aws:SourceArn": source.arn } } } : {}),
        },
    ]);
}

/**
 * The trust policy of a role only ECS tasks of this account and region assume (AWS ECS developer guide,
 * "Amazon ECS task IAM role": the trust policy's aws:SourceArn arn:aws:ecs:region:account:*,
 * aws:SourceAccount the account).
 */
export function ecsTaskTrustPolicy(platform: Pick<AwsAttachment, "region" | "accountId">): pulumi.Output<string> {
    return assumeRolePolicy("ecs-tasks.amazonaws.com", {
        account: platform.accountId,
        arn: pulumi.interpolate`arn:aws:ecs:${platform.region}:${platform.accountId}:*`,
    });
}

/** A role that AWS service `service` assumes (from `source` when given), holding one AWS-managed policy. */
export function managedServiceRole(name: string, service: string, managedPolicyArn: string, parent: pulumi.Resource, source?: TrustSource): aws.iam.Role {
    const role = new aws.iam.Role(name, { assumeRolePolicy: assumeRolePolicy(service, source) }, { parent });
    new aws.iam.RolePolicyAttachment(name, { role: role.name, policyArn: managedPolicyArn }, { parent });
    return role;
}

/**
 * An ECS task execution role, assumed by this account's tasks only, that reads exactly `secretArns`
 * (and decrypts them with the stack's secrets key), pulls images only through the stack's ECR caches
 * and writes only to `logGroupArn`.
 */
export function taskExecutionRole(
    name: string,
    secretArns: pulumi.Input<string>[],
    logGroupArn: pulumi.Input<string>,
    platform: Pick<AwsAttachment, "region" | "accountId" | "cluster" | "secretsKeyArn">,
    parent: pulumi.Resource,
): aws.iam.Role {
    const role = new aws.iam.Role(name, { assumeRolePolicy: ecsTaskTrustPolicy(platform) }, { parent });
    new aws.iam.RolePolicy(
        name,
        {
            role: role.id,
            policy: policyDocument([
                // An empty Resource list is no valid statement: a task without secrets gets none.
                ...(secretArns.length > 0
                    ? [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns }, secretsKeyDecrypt(secretArns, platform)]
                    : []),
                // GetAuthorizationToken names no repository, so IAM accepts only "*" for it (ECR user guide, "Private registry authentication").
                { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                { Effect: "Allow", Action: [...PULL_THROUGH_ACTIONS], Resource: platform.cluster.images.repositoryArns },
                { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroupArn}:log-stream:*` },
            ]),
        },
        { parent },
    );
    return role;
}

/**
 * kms:Decrypt on the stack's secrets key, for `secretArns` only and only through Secrets Manager.
 * The ECS task execution role needs it for secrets under a customer-managed key (ECS developer guide,
 * "Amazon ECS task execution IAM role": kms:Decrypt on the key). Secrets Manager calls KMS for the
 * caller from `secretsmanager.<region>.amazonaws.com` (kms:ViaService) with the secret's ARN as the
 * encryption context `SecretARN` (Secrets Manager user guide, "Secret encryption and decryption"), so
 * the role can decrypt its own task's secrets and no other secret under the key, and nothing outside
 * Secrets Manager. A secret under another key (the RDS-managed master secret: aws/secretsmanager)
 * never reaches this key, so naming it here grants nothing.
 */
export function secretsKeyDecrypt(secretArns: pulumi.Input<string>[], platform: Pick<AwsAttachment, "region" | "secretsKeyArn">) {
    return {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: platform.secretsKeyArn,
        Condition: {
            StringEquals: {
                "kms:ViaService": pulumi.interpolate`secretsmanager.${platform.region}.amazonaws.com`,
                "kms:EncryptionContext:SecretARN": secretArns,
            },
        },
    };
}

/** The secret's own ARN from an ECS `valueFrom`, which may add `:jsonKey::` (the ECS developer guide's
 * "secret-ARN:json-key:version-stage:version-id" with the version left at its default). */
export const secretArnFromValueFrom = (valueFrom: string): string => valueFrom.replace(/:[^:]+::$/, "");
export const secretArnOf = (valueFrom: pulumi.Output<string>) => valueFrom.apply(secretArnFromValueFrom);

/** A JSON IAM policy document from statements that may hold outputs (ARNs). */
export function policyDocument(statements: readonly Record<string, unknown>[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** A credential as components hand it to services: its value (docker mounts it as a file) and,
 * on AWS, where ECS reads it (`valueFrom`: a Secrets Manager ARN, optionally `:jsonKey::`). */
export interface Credential {
    readonly name: string;
    readonly content: pulumi.Output<string>;
    readonly valueFrom?: pulumi.Output<string>;
}

/**
 * Days a deleted secret stays recoverable, per environment. A deleted name stays taken for the whole
 * window, so every secret is named by `namePrefix` (a random suffix): destroying and recreating a
 * stack never collides with its previous secrets, and no environment needs a forced (0-day)
 * deletion. Staging keeps AWS's shortest window; production its longest (development runs on
 * docker, which keeps no secret in AWS).
 */
export const SECRET_RECOVERY_WINDOW_DAYS: Readonly<Record<Environment, number>> = { development: 7, staging: 7, production: 30 };

/**
 * The key of a secret that must stay on the AWS-managed `aws/secretsmanager` key: ECR's pull-through
 * cache reads its upstream credentials only from a secret under that key (ECR user guide, "Storing
 * your upstream repository credentials in an AWS Secrets Manager secret": customer managed keys are
 * not supported). Every other secret names the stack's own key.
 */
export const AWS_MANAGED_SECRETS_KEY = Symbol("aws/secretsmanager");

/** A Secrets Manager secret named `<prefix>-<random suffix>`, recoverable for the stack's window, under `kmsKeyId`. */
export function prefixedSecret(
    name: string,
    namePrefix: string,
    description: string,
    recoveryWindowDays: number,
    kmsKeyId: pulumi.Input<string> | typeof AWS_MANAGED_SECRETS_KEY,
    parent: pulumi.Resource,
) {
    return new aws.secretsmanager.Secret(
        name,
        {
            namePrefix: awsName("aws:secretsmanager/secret:Secret", "namePrefix", `${namePrefix}-`),
            description,
            recoveryWindowInDays: recoveryWindowDays,
            // Unset means aws/secretsmanager. Not its alias: DescribeSecret omits KmsKeyId for that key
            // (Secrets Manager API reference), so the alias would show a diff after every refresh.
            kmsKeyId: kmsKeyId === AWS_MANAGED_SECRETS_KEY ? undefined : kmsKeyId,
        },
        { parent },
    );
}

/** A generated value kept in Secrets Manager under the stack's key (as a secret end to end): the secret's ARN, which
 * resolves only once the value is stored, and the stored version's id (it changes with the value). */
export function storedSecret(
    name: string,
    secretName: string,
    description: string,
    value: pulumi.Output<string>,
    platform: AwsAttachment,
    parent: pulumi.Resource,
): { readonly arn: pulumi.Output<string>; readonly versionId: pulumi.Output<string> } {
    const secret = prefixedSecret(name, secretName, description, platform.secretRecoveryWindowDays, platform.secretsKeyArn, parent);
    const version = new aws.secretsmanager.SecretVersion(name, { secretId: secret.id, secretString: pulumi.secret(value) }, { parent });
    return { arn: pulumi.all([secret.arn, version.versionId]).apply(([arn]) => arn), versionId: version.versionId };
}

/** Where the load balancer sends a service's traffic, for the ECS service to register its tasks. */
export interface LoadBalancerTarget {
    readonly port: number;
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    readonly targetGroupArn: pulumi.Output<string>;
    /** Every target group traffic may reach (blue, and green while ECS shifts): scaling follows them all. */
    readonly targetGroupArnSuffixes: pulumi.Output<string>[];
    /** The listener rule forwarding to the target group: ECS refuses a target group no load balancer uses yet. */
    readonly listenerRule: pulumi.Resource;
    /** Alarms that roll a deployment back: each of its target groups' 5xx rate and unhealthy hosts. */
    readonly rollbackAlarmNames: pulumi.Output<string>[];
    /** ECS native blue/green: the second target group and the rule ECS shifts between them. */
    readonly blueGreen?: {
        readonly alternateTargetGroupArn: pulumi.Output<string>;
        readonly productionListenerRule: pulumi.Output<string>;
        readonly roleArn: pulumi.Output<string>;
    };
}

/** Random bytes in a final snapshot's name: 8 hex digits. */
export const FINAL_SNAPSHOT_ID_BYTES = 4;

/**
 * The name of the snapshot AWS takes when `type` (an RDS instance, an ElastiCache group) is deleted:
 * `<base>-<8 hex digits>`, drawn once per resource instance. A fixed name fails the second destroy or
 * replace (DBSnapshotAlreadyExists, SnapshotAlreadyExistsFault) while the first one's snapshot is
 * kept. The digits are drawn again whenever `replacedBy` changes (the inputs that replace the
 * resource: terraform-provider-aws marks them ForceNew), and a recreated stack draws new ones.
 */
export function finalSnapshotName<T extends NamedType>(
    name: string,
    type: T,
    input: NamedInput<T>,
    base: string,
    replacedBy: Readonly<Record<string, pulumi.Input<string>>>,
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const fitted = awsName(type, input, base, FINAL_SNAPSHOT_ID_BYTES * 2 + 1);
    const id = new random.RandomId(name, { byteLength: FINAL_SNAPSHOT_ID_BYTES, keepers: replacedBy }, { parent });
    return pulumi.interpolate`${fitted}-${id.hex}`;
}
