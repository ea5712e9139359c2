// Fixtures for the policy tests: resources as the offline check sees them, and one rule's messages.
import { type CheckedResource, resolveSettings, runRule } from "../../policies/offline";
import { aws, docker } from "../../policies/lib/resource-types";
import { type Rule, rules } from "../../policies/rules";

let counter = 0;

/** A resource of `type` with these inputs (outputs: the inputs plus a mock id, as the offline plan has). */
export function resource(type: string, inputs: Record<string, unknown>, options: { name?: string; protect?: boolean } = {}): CheckedResource {
    const name = options.name ?? `${type.split(":").pop()?.toLowerCase()}-${++counter}`;
    return {
        urn: `urn:pulumi:test::osint-platform::${type}::${name}`,
        type,
        name,
        parent: null,
        protect: options.protect ?? false,
        inputs,
        // Computed on read, so a test that changes an input changes what stack rules see too.
        get outputs() {
            return { ...inputs, id: `${name}-id` };
        },
    };
}

/** Changes the first container of an ECS task definition fixture. */
export function editContainer(task: CheckedResource, edit: (container: Record<string, unknown>) => void): void {
    const containers = JSON.parse(task.inputs.containerDefinitions as string) as Record<string, unknown>[];
    edit(containers[0]);
    task.inputs.containerDefinitions = JSON.stringify(containers);
}

export function ruleNamed(name: string): Rule {
    const rule = rules.find((r) => r.name === name);
    if (!rule) throw new Error(`no rule ${name}`);
    return rule;
}

/** The messages `rule` reports over `resources`, with its schema defaults overridden by `properties`. */
export async function messages(name: string, resources: readonly CheckedResource[], properties: Record<string, unknown> = {}): Promise<string[]> {
    const defaults = resolveSettings({}, "tests").get(name);
    if (!defaults) throw new Error(`no settings for ${name}`);
    const found = await runRule(ruleNamed(name), resources, { enforcementLevel: "mandatory", properties: { ...defaults.properties, ...properties } });
    return found.map((v) => v.message);
}

/** Short names for the rules' types in the tests (the tokens are policies/lib/resource-types.ts's). */
export const T = {
    container: docker.Container,
    remoteImage: docker.RemoteImage,
    image: docker.Image,
    volume: docker.Volume,
    task: aws.ecs.TaskDefinition,
    ecsService: aws.ecs.Service,
    rds: aws.rds.Instance,
    rdsCluster: aws.rds.Cluster,
    parameterGroup: aws.rds.ParameterGroup,
    backupReplication: aws.rds.InstanceAutomatedBackupsReplication,
    backupPlan: aws.backup.Plan,
    redis: aws.elasticache.ReplicationGroup,
    bucket: aws.s3.Bucket,
    sse: aws.s3.BucketServerSideEncryptionConfiguration,
    bucketPolicy: aws.s3.BucketPolicy,
    topicPolicy: aws.sns.TopicPolicy,
    logGroup: aws.cloudwatch.LogGroup,
    listener: aws.lb.Listener,
    albListener: aws.alb.Listener,
    targetGroup: aws.lb.TargetGroup,
    securityGroup: aws.ec2.SecurityGroup,
    securityGroupRule: aws.ec2.SecurityGroupRule,
    ingressRule: aws.vpc.SecurityGroupIngressRule,
    bucketV2: aws.s3.BucketV2,
    sseV2: aws.s3.BucketServerSideEncryptionConfigurationV2,
    publicAccessBlock: aws.s3.BucketPublicAccessBlock,
    bucketVersioning: aws.s3.BucketVersioning,
    bucketVersioningV2: aws.s3.BucketVersioningV2,
    bucketAcl: aws.s3.BucketAcl,
    bucketAclV2: aws.s3.BucketAclV2,
    kmsKey: aws.kms.Key,
    secret: aws.secretsmanager.Secret,
    role: aws.iam.Role,
    rolePolicy: aws.iam.RolePolicy,
    iamPolicy: aws.iam.Policy,
    rolePolicyAttachment: aws.iam.RolePolicyAttachment,
    userPolicyAttachment: aws.iam.UserPolicyAttachment,
    rolePolicyAttachmentsExclusive: aws.iam.RolePolicyAttachmentsExclusive,
    vpc: aws.ec2.Vpc,
    flowLog: aws.ec2.FlowLog,
    loadBalancer: aws.lb.LoadBalancer,
    albLoadBalancer: aws.alb.LoadBalancer,
    albTargetGroup: aws.alb.TargetGroup,
    webAcl: aws.wafv2.WebAcl,
    webAclAssociation: aws.wafv2.WebAclAssociation,
    webAclLogging: aws.wafv2.WebAclLoggingConfiguration,
    defaultSecurityGroup: aws.ec2.DefaultSecurityGroup,
    ecsCluster: aws.ecs.Cluster,
    topic: aws.sns.Topic,
    certificate: aws.acm.Certificate,
    backupVault: aws.backup.Vault,
    alarm: aws.cloudwatch.MetricAlarm,
    subnet: aws.ec2.Subnet,
    ownershipControls: aws.s3.BucketOwnershipControls,
    lifecycle: aws.s3.BucketLifecycleConfiguration,
    bucketLogging: aws.s3.BucketLogging,
    bucketNotification: aws.s3.BucketNotification,
    objectLock: aws.s3.BucketObjectLockConfiguration,
    replication: aws.s3.BucketReplicationConfig,
    egressRule: aws.vpc.SecurityGroupEgressRule,
    eip: aws.ec2.Eip,
    natGateway: aws.ec2.NatGateway,
    routeTable: aws.ec2.RouteTable,
    creationTemplate: aws.ecr.RepositoryCreationTemplate,
    secretRotation: aws.secretsmanager.SecretRotation,
} as const;
