// Fixtures for the policy tests: resources as the offline check sees them, and one rule's messages.
import { type CheckedResource, resolveSettings, runRule } from "../../policies/offline";
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

export const T = {
    container: "docker:index/container:Container",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    image: "docker:index/image:Image",
    volume: "docker:index/volume:Volume",
    task: "aws:ecs/taskDefinition:TaskDefinition",
    ecsService: "aws:ecs/service:Service",
    rds: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    backupReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    backupPlan: "aws:backup/plan:Plan",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    listener: "aws:lb/listener:Listener",
    albListener: "aws:alb/listener:Listener",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    sseV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    bucketAcl: "aws:s3/bucketAcl:BucketAcl",
    bucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
    kmsKey: "aws:kms/key:Key",
    secret: "aws:secretsmanager/secret:Secret",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamPolicy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    vpc: "aws:ec2/vpc:Vpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    albTargetGroup: "aws:alb/targetGroup:TargetGroup",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    webAclLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    ecsCluster: "aws:ecs/cluster:Cluster",
    topic: "aws:sns/topic:Topic",
    certificate: "aws:acm/certificate:Certificate",
    backupVault: "aws:backup/vault:Vault",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    subnet: "aws:ec2/subnet:Subnet",
    ownershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketLogging: "aws:s3/bucketLogging:BucketLogging",
    bucketNotification: "aws:s3/bucketNotification:BucketNotification",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    eip: "aws:ec2/eip:Eip",
    natGateway: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    creationTemplate: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
    secretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
} as const;
