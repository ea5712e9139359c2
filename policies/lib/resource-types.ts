// The resource types the rules judge, each by the type token its class in the SDK carries
// (__pulumiType, which the analyzer compares with a resource's type): tests/policies/resource-types.test.ts
// holds every one equal to the installed @pulumi/aws and @pulumi/docker. Rules name types through these,
// not through the classes: a class is reached only by loading its SDK (@pulumi/pulumi and the provider's
// package, most of a second), which checking a file needs for nothing else. Laid out as the SDKs'
// namespaces, so a rule names `aws.s3.Bucket` as it would the class.

/** A type token, e.g. "aws:s3/bucket:Bucket". */
export type TypeToken = string;

const TOKEN = /^[\w-]+:[\w/.-]+:\w+$/;

/**
 * `types`, each checked to be a token. The type check catches an SDK class in its place, but a rule
 * run without it (the require hook strips types) would judge nothing: a class is never equal to a
 * resource's type string. Refused when the pack loads instead.
 */
export function typeTokens(types: readonly TypeToken[]): readonly TypeToken[] {
    for (const type of types as readonly unknown[])
        if (typeof type !== "string" || !TOKEN.test(type))
            throw new TypeError(
                `expected a type token such as aws.s3.Bucket from policies/lib/resource-types.ts, found ${typeof type === "function" ? `the SDK class ${type.name || "(anonymous)"}` : JSON.stringify(type)}: rules name types by token (docs/policies.md)`,
            );
    return types;
}

export const aws = {
    acm: {
        Certificate: "aws:acm/certificate:Certificate",
    },
    alb: {
        Listener: "aws:alb/listener:Listener",
        LoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
        TargetGroup: "aws:alb/targetGroup:TargetGroup",
    },
    backup: {
        Plan: "aws:backup/plan:Plan",
        Vault: "aws:backup/vault:Vault",
    },
    cloudwatch: {
        LogGroup: "aws:cloudwatch/logGroup:LogGroup",
        MetricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    },
    ec2: {
        DefaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        Eip: "aws:ec2/eip:Eip",
        EipAssociation: "aws:ec2/eipAssociation:EipAssociation",
        FlowLog: "aws:ec2/flowLog:FlowLog",
        NatGateway: "aws:ec2/natGateway:NatGateway",
        Route: "aws:ec2/route:Route",
        RouteTable: "aws:ec2/routeTable:RouteTable",
        SecurityGroup: "aws:ec2/securityGroup:SecurityGroup",
        SecurityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
        Subnet: "aws:ec2/subnet:Subnet",
        Vpc: "aws:ec2/vpc:Vpc",
    },
    ecr: {
        RegistryScanningConfiguration: "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration",
        RepositoryCreationTemplate: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
        RepositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    },
    ecs: {
        Cluster: "aws:ecs/cluster:Cluster",
        Service: "aws:ecs/service:Service",
        TaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    },
    elasticache: {
        ReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
        SubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
        UserGroup: "aws:elasticache/userGroup:UserGroup",
    },
    iam: {
        GroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
        GroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        GroupPolicyAttachmentsExclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
        Policy: "aws:iam/policy:Policy",
        PolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
        Role: "aws:iam/role:Role",
        RolePolicy: "aws:iam/rolePolicy:RolePolicy",
        RolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        RolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        UserPolicy: "aws:iam/userPolicy:UserPolicy",
        UserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        UserPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    },
    kms: {
        Key: "aws:kms/key:Key",
    },
    lb: {
        Listener: "aws:lb/listener:Listener",
        LoadBalancer: "aws:lb/loadBalancer:LoadBalancer",
        TargetGroup: "aws:lb/targetGroup:TargetGroup",
    },
    rds: {
        Cluster: "aws:rds/cluster:Cluster",
        Instance: "aws:rds/instance:Instance",
        InstanceAutomatedBackupsReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        ParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
        SubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    },
    s3: {
        Bucket: "aws:s3/bucket:Bucket",
        BucketAcl: "aws:s3/bucketAcl:BucketAcl",
        BucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
        BucketLifecycleConfiguration: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        BucketLifecycleConfigurationV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
        BucketLogging: "aws:s3/bucketLogging:BucketLogging",
        BucketLoggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
        BucketNotification: "aws:s3/bucketNotification:BucketNotification",
        BucketObjectLockConfiguration: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        BucketObjectLockConfigurationV2: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
        BucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
        BucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        BucketReplicationConfig: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        BucketServerSideEncryptionConfiguration: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        BucketServerSideEncryptionConfigurationV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        BucketV2: "aws:s3/bucketV2:BucketV2",
        BucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
        BucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    },
    secretsmanager: {
        Secret: "aws:secretsmanager/secret:Secret",
        SecretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
        SecretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
    },
    sns: {
        Topic: "aws:sns/topic:Topic",
        TopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    },
    sqs: {
        QueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    },
    vpc: {
        SecurityGroupEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        SecurityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    },
    wafv2: {
        WebAcl: "aws:wafv2/webAcl:WebAcl",
        WebAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
        WebAclLoggingConfiguration: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    },
} as const;

export const docker = {
    Container: "docker:index/container:Container",
    Image: "docker:index/image:Image",
    RemoteImage: "docker:index/remoteImage:RemoteImage",
    Volume: "docker:index/volume:Volume",
} as const;
