// Both-sided fixtures for the rules: for each rule (and each deprecated type alias it judges) a
// hardened set of resources that must draw no finding, and changes that must each draw a finding on a
// named resource and property, with the value found in the message. Shared by the fixture test (both
// file shapes) and the never-throws property test (every property of these resources).
import { T } from "./helpers";

export type Inputs = Record<string, unknown>;

export interface Fixture {
    readonly type: string;
    readonly name: string;
    readonly inputs: Inputs;
    /** Outputs the provider adds beyond the inputs (e.g. an ARN). */
    readonly outputs?: Inputs;
    readonly protect?: boolean;
}

export interface Failure {
    readonly change: string;
    readonly apply: (fixtures: Fixture[]) => void;
    /** The resource the finding must name, the property path it must report, and the value found in its message. */
    readonly resource: string;
    readonly property: string;
    readonly found: RegExp;
}

export interface Case {
    readonly rule: string;
    readonly form: string;
    readonly hardened: () => Fixture[];
    readonly failures: readonly Failure[];
}

const ACCOUNT = "123456789012";
const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resource}`;

function named(fixtures: Fixture[], name: string): Fixture {
    const fixture = fixtures.find((f) => f.name === name);
    if (!fixture) throw new Error(`no fixture ${name}`);
    return fixture;
}

/** A change of one fixture's inputs. */
function change(resource: string, description: string, apply: (inputs: Inputs) => void, property: string, found: RegExp): Failure {
    return { change: description, apply: (fixtures) => apply(named(fixtures, resource).inputs), resource, property, found };
}

/** A change of the first container definition of an ECS task fixture. */
function containerChange(resource: string, description: string, apply: (container: Inputs) => void, property: string, found: RegExp): Failure {
    return change(
        resource,
        description,
        (inputs) => {
            const containers = JSON.parse(inputs.containerDefinitions as string) as Inputs[];
            apply(containers[0]);
            inputs.containerDefinitions = JSON.stringify(containers);
        },
        property,
        found,
    );
}

/** A change of one resource whose finding a stack rule reports on another (the bucket or VPC it configures). */
function reportedOn(resource: string, failure: Failure): Failure {
    return { ...failure, resource };
}

/** Removes every fixture of `type` (the other end of a link between resources). */
function removal(type: string, description: string, resource: string, property: string, found: RegExp): Failure {
    return {
        change: description,
        apply: (fixtures) => fixtures.splice(0, fixtures.length, ...fixtures.filter((f) => f.type !== type)),
        resource,
        property,
        found,
    };
}

const container = (): Fixture => ({
    type: T.container,
    name: "api",
    inputs: {
        image: "ghcr.io/osint-platform/backend:0.1.0",
        user: "10001:10001",
        readOnly: true,
        ulimits: [{ name: "nproc", soft: 256, hard: 256 }],
        securityOpts: ["no-new-privileges:true"],
        capabilities: { drops: ["ALL"] },
        networkMode: "osint-internal",
        volumes: [{ volumeName: "data", containerPath: "/data" }],
        mounts: [{ type: "tmpfs", target: "/tmp" }],
    },
});

const task = (): Fixture => ({
    type: T.task,
    name: "api-task",
    inputs: {
        family: "osint-prod-api",
        networkMode: "awsvpc",
        cpu: "512",
        memory: "1024",
        volumes: [{ name: "scratch" }],
        containerDefinitions: JSON.stringify([
            {
                name: "api",
                image: "ghcr.io/osint-platform/backend:0.1.0",
                user: "10001:10001",
                privileged: false,
                readonlyRootFilesystem: true,
                linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
                logConfiguration: {
                    logDriver: "awslogs",
                    options: { "awslogs-group": "/osint/prod/api", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api" },
                },
            },
        ]),
    },
});

const database = (type: string = T.rds): Fixture => ({
    type,
    name: "db",
    inputs: {
        engine: "postgres",
        iamDatabaseAuthenticationEnabled: true,
        multiAz: true,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        deletionProtection: true,
        skipFinalSnapshot: false,
    },
});

const redis = (): Fixture => ({
    type: T.redis,
    name: "cache",
    inputs: { authToken: "[secret]", automaticFailoverEnabled: true, multiAzEnabled: true, numCacheClusters: 2 },
});

const BUCKET = "osint-prod-alb-logs";
const bucket = (type: string = T.bucket): Fixture => ({ type, name: "logs", inputs: { bucket: BUCKET, acl: "private" } });
// The bucket's versioning resource (either token) suspended: reported on the bucket, not the resource.
const versioningSuspended = (): Failure =>
    reportedOn(
        "logs",
        change("logs-versioning", "versioning is suspended", (i) => (i.versioningConfiguration = { status: "Suspended" }), "versioning", /\["Suspended"\]/),
    );
const bucketPolicy = (statements: Inputs[]): Fixture => ({
    type: T.bucketPolicy,
    name: "logs-policy",
    inputs: { bucket: BUCKET, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
});
const TLS_ONLY = {
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const ELB_WRITES = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/*` };

const balancer = (type: string = T.loadBalancer): Fixture => ({
    type,
    name: "alb",
    inputs: { loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true, accessLogs: { bucket: BUCKET, enabled: true, prefix: "alb" } },
    outputs: { arn: arn("elasticloadbalancing", "loadbalancer/app/osint-prod/0123456789abcdef") },
});
const wafAssociation = (): Fixture => ({
    type: T.webAclAssociation,
    name: "alb-waf",
    inputs: { resourceArn: arn("elasticloadbalancing", "loadbalancer/app/osint-prod/0123456789abcdef"), webAclArn: arn("wafv2", "regional/webacl/osint") },
});

// AWS managed policies (IAM user guide): full administrator, and the ECS task execution role's.
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
// A secret as a stack export holds it (@pulumi/pulumi runtime specialSigKey and specialSecretSig).
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";
const ADMIN = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
const SCOPED = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn("secretsmanager", "secret:db") }],
});

const ORIGINAL_CASES: readonly Case[] = [
    {
        rule: "container-not-privileged",
        form: "docker and ECS",
        hardened: () => [container(), task()],
        failures: [
            change("api", "a container is privileged", (i) => (i.privileged = true), "privileged", /privileged is true/),
            containerChange(
                "api-task",
                "a task's container is privileged",
                (c) => (c.privileged = true),
                "containerDefinitions[0].privileged",
                /container api sets privileged true/,
            ),
        ],
    },
    {
        rule: "container-host-namespaces",
        form: "docker and ECS",
        hardened: () => [container(), task()],
        failures: [
            change("api", "a container joins the host network", (i) => (i.networkMode = "host"), "networkMode", /networkMode is "host"/),
            change("api", "a container shares the host's PIDs", (i) => (i.pidMode = "host"), "pidMode", /process namespace: pidMode is "host"/),
            change("api", "a container shares the host's IPC", (i) => (i.ipcMode = "host"), "ipcMode", /ipcMode is "host"/),
            change("api", "a container shares the host's user namespace", (i) => (i.usernsMode = "host"), "usernsMode", /usernsMode is "host"/),
            change("api-task", "a task uses host networking", (i) => (i.networkMode = "host"), "networkMode", /networkMode is "host"/),
            change("api-task", "a task shares the host's PIDs", (i) => (i.pidMode = "host"), "pidMode", /pidMode is "host"/),
        ],
    },
    {
        rule: "container-sensitive-mounts",
        form: "docker and ECS",
        hardened: () => [container(), task()],
        failures: [
            change(
                "api",
                "the Docker socket is bound",
                (i) => (i.volumes = [{ hostPath: "/var/run/docker.sock", containerPath: "/sock" }]),
                "volumes[0].hostPath",
                /"\/var\/run\/docker.sock" is the Docker socket/,
            ),
            change(
                "api",
                "/etc is bind-mounted",
                (i) => (i.mounts = [{ type: "bind", source: "/etc/", target: "/host-etc" }]),
                "mounts[0].source",
                /"\/etc\/" is the host system directory \/etc/,
            ),
            change("api", "the host root is bound", (i) => (i.volumes = [{ hostPath: "/", containerPath: "/host" }]), "volumes[0].hostPath", /root filesystem/),
            change(
                "api-task",
                "a task mounts /proc",
                (i) => (i.volumes = [{ name: "proc", hostPath: { sourcePath: "/proc/1" } }]),
                "volumes[0].hostPath",
                /"\/proc\/1" is the host system directory \/proc/,
            ),
            change(
                "api-task",
                "a task mounts the Docker socket",
                (i) => (i.volumes = [{ name: "docker", hostPath: "/var/run/docker.sock" }]),
                "volumes[0].hostPath",
                /Docker socket/,
            ),
        ],
    },
    {
        rule: "container-capabilities",
        form: "docker and ECS",
        hardened: () => [container(), task()],
        failures: [
            change("api", "a container adds SYS_ADMIN", (i) => (i.capabilities = { adds: ["SYS_ADMIN"], drops: ["ALL"] }), "capabilities", /adds SYS_ADMIN/),
            change("api", "a container drops only some", (i) => (i.capabilities = { drops: ["NET_RAW"] }), "capabilities", /drops \["NET_RAW"\], not ALL/),
            change("api", "a container sets no capabilities", (i) => delete i.capabilities, "capabilities", /drops undefined, not ALL/),
            containerChange(
                "api-task",
                "a task's container adds NET_ADMIN",
                (c) => (c.linuxParameters = { capabilities: { add: ["NET_ADMIN"], drop: ["ALL"] } }),
                "containerDefinitions[0].linuxParameters.capabilities",
                /container api adds NET_ADMIN/,
            ),
        ],
    },
    {
        rule: "container-read-only-root",
        form: "docker and ECS",
        hardened: () => [container(), task()],
        failures: [
            change("api", "a container's root is writable", (i) => delete i.readOnly, "readOnly", /readOnly is undefined, not true/),
            containerChange(
                "api-task",
                "a task's root is writable",
                (c) => (c.readonlyRootFilesystem = false),
                "containerDefinitions[0].readonlyRootFilesystem",
                /readonlyRootFilesystem false/,
            ),
        ],
    },
    {
        rule: "container-pids-limit",
        form: "docker",
        hardened: () => [container()],
        failures: [
            change("api", "ulimits is unset", (i) => delete i.ulimits, "ulimits", /ulimits is undefined/),
            change("api", "only nofile is limited", (i) => (i.ulimits = [{ name: "nofile", soft: 1024, hard: 1024 }]), "ulimits", /"nofile"/),
            change("api", "nproc is 0 (unlimited)", (i) => (i.ulimits = [{ name: "nproc", soft: 0, hard: 0 }]), "ulimits", /"soft":0/),
        ],
    },
    {
        rule: "container-no-new-privileges",
        form: "docker",
        hardened: () => [container()],
        failures: [
            change("api", "securityOpts is unset", (i) => delete i.securityOpts, "securityOpts", /securityOpts is undefined/),
            change("api", "no-new-privileges is false", (i) => (i.securityOpts = ["no-new-privileges:false"]), "securityOpts", /"no-new-privileges:false"/),
        ],
    },
    {
        rule: "ecs-task-logging",
        form: "ECS",
        hardened: () => [task()],
        failures: [
            containerChange(
                "api-task",
                "a container has no log configuration",
                (c) => delete c.logConfiguration,
                "containerDefinitions[0].logConfiguration",
                /logConfiguration undefined/,
            ),
            containerChange(
                "api-task",
                "a container logs to json-file",
                (c) => (c.logConfiguration = { logDriver: "json-file" }),
                "containerDefinitions[0].logConfiguration",
                /"json-file"/,
            ),
        ],
    },
    {
        rule: "rds-iam-auth",
        form: "instance and cluster",
        hardened: () => [database(), { ...database(T.rdsCluster), name: "cluster" }],
        failures: [
            change("db", "IAM auth is off", (i) => (i.iamDatabaseAuthenticationEnabled = false), "iamDatabaseAuthenticationEnabled", /is false, not true/),
            change(
                "cluster",
                "a cluster's IAM auth is unset",
                (i) => delete i.iamDatabaseAuthenticationEnabled,
                "iamDatabaseAuthenticationEnabled",
                /is undefined, not true/,
            ),
        ],
    },
    {
        rule: "rds-multi-az",
        form: "instance and cluster",
        hardened: () => [database(), { type: T.rdsCluster, name: "cluster", inputs: { availabilityZones: ["us-east-1a", "us-east-1b"] } }],
        failures: [
            change("db", "the instance is single-AZ", (i) => (i.multiAz = false), "multiAz", /multiAz is false/),
            change("cluster", "the cluster names one zone", (i) => (i.availabilityZones = ["us-east-1a"]), "availabilityZones", /\["us-east-1a"\]/),
        ],
    },
    {
        rule: "rds-log-exports",
        form: "instance",
        hardened: () => [database()],
        failures: [
            change(
                "db",
                "the postgresql log is not exported",
                (i) => (i.enabledCloudwatchLogsExports = ["upgrade"]),
                "enabledCloudwatchLogsExports",
                /postgresql for postgres.*\["upgrade"\]/,
            ),
            change("db", "nothing is exported", (i) => delete i.enabledCloudwatchLogsExports, "enabledCloudwatchLogsExports", /is undefined/),
        ],
    },
    {
        rule: "deletion-protection",
        form: "final snapshot, and BucketV2",
        hardened: () => [database(), bucket(T.bucketV2)],
        failures: [
            change("db", "the final snapshot is skipped", (i) => (i.skipFinalSnapshot = true), "skipFinalSnapshot", /skipFinalSnapshot is true/),
            change("logs", "a BucketV2 is force-destroyable", (i) => (i.forceDestroy = true), "forceDestroy", /forceDestroy is true/),
        ],
    },
    {
        rule: "elasticache-auth",
        form: "AUTH token (secret) or RBAC",
        hardened: () => [redis(), { type: T.redis, name: "rbac", inputs: { userGroupIds: ["osint-users"] } }],
        failures: [
            change("cache", "no AUTH token", (i) => delete i.authToken, "authToken", /neither authToken nor userGroupIds/),
            change("rbac", "an empty user group list", (i) => (i.userGroupIds = []), "authToken", /neither authToken nor userGroupIds/),
        ],
    },
    {
        rule: "elasticache-automatic-failover",
        form: "replication group",
        hardened: () => [redis()],
        failures: [change("cache", "failover is off", (i) => (i.automaticFailoverEnabled = false), "automaticFailoverEnabled", /is false, not true/)],
    },
    {
        rule: "s3-public-access-block",
        form: "Bucket",
        hardened: () => [
            bucket(),
            {
                type: T.publicAccessBlock,
                name: "logs-block",
                inputs: { bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            },
        ],
        failures: [
            removal(T.publicAccessBlock, "the block is removed", "logs", "bucket", /is none/),
            reportedOn(
                "logs",
                change("logs-block", "public policies are allowed", (i) => (i.blockPublicPolicy = false), "bucket", /blockPublicPolicy not true/),
            ),
        ],
    },
    {
        rule: "s3-public-access-block",
        form: "BucketV2",
        hardened: () => [
            bucket(T.bucketV2),
            {
                type: T.publicAccessBlock,
                name: "logs-block",
                inputs: { bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            },
        ],
        failures: [removal(T.publicAccessBlock, "the block is removed", "logs", "bucket", /is none/)],
    },
    {
        rule: "s3-no-public-access",
        form: "Bucket, BucketAcl and policy",
        hardened: () => [
            bucket(),
            {
                type: T.bucketAcl,
                name: "logs-acl",
                inputs: {
                    bucket: BUCKET,
                    accessControlPolicy: { grants: [{ grantee: { type: "CanonicalUser", id: "owner" }, permission: "FULL_CONTROL" }], owner: { id: "owner" } },
                },
            },
            bucketPolicy([ELB_WRITES, TLS_ONLY]),
        ],
        failures: [
            change("logs", "the canned ACL is public-read", (i) => (i.acl = "public-read"), "acl", /acl is "public-read"/),
            change(
                "logs-acl",
                "a grant goes to AllUsers",
                (i) =>
                    (i.accessControlPolicy = {
                        grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }],
                    }),
                "accessControlPolicy.grants[0]",
                /"READ" goes to .*AllUsers/,
            ),
            change(
                "logs-policy",
                "the policy allows anyone",
                (i) => (i.policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*" }] })),
                "policy",
                /"s3:GetObject" to any principal/,
            ),
        ],
    },
    {
        rule: "s3-no-public-access",
        form: "BucketV2 and BucketAclV2",
        hardened: () => [bucket(T.bucketV2), { type: T.bucketAclV2, name: "logs-acl", inputs: { bucket: BUCKET, acl: "private" } }],
        failures: [
            change("logs", "a BucketV2 is public-read-write", (i) => (i.acl = "public-read-write"), "acl", /"public-read-write"/),
            change("logs-acl", "a BucketAclV2 is authenticated-read", (i) => (i.acl = "authenticated-read"), "acl", /"authenticated-read"/),
        ],
    },
    {
        rule: "s3-versioning",
        form: "Bucket",
        hardened: () => [
            bucket(),
            { type: T.bucketVersioning, name: "logs-versioning", inputs: { bucket: BUCKET, versioningConfiguration: { status: "Enabled" } } },
        ],
        failures: [
            removal(T.bucketVersioning, "the versioning resource is removed", "logs", "versioning", /bucket logs has versioning statuses \[\]/),
            versioningSuspended(),
        ],
    },
    {
        rule: "s3-versioning",
        form: "BucketV2 with BucketVersioningV2, and inline",
        hardened: () => [
            bucket(T.bucketV2),
            { type: T.bucketVersioningV2, name: "logs-versioning", inputs: { bucket: BUCKET, versioningConfiguration: { status: "Enabled" } } },
            { type: T.bucketV2, name: "inline", inputs: { bucket: "inline", versionings: [{ enabled: true }] } },
        ],
        failures: [
            versioningSuspended(),
            change("inline", "inline versioning is off", (i) => (i.versionings = [{ enabled: false }]), "versioning", /bucket inline/),
        ],
    },
    {
        rule: "s3-bucket-encryption",
        form: "BucketV2 with the V2 configuration",
        hardened: () => [
            bucket(T.bucketV2),
            { type: T.sseV2, name: "logs-sse", inputs: { bucket: BUCKET, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] } },
        ],
        failures: [
            reportedOn(
                "logs",
                change(
                    "logs-sse",
                    "the configuration applies no algorithm",
                    (i) => (i.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "" } }]),
                    "serverSideEncryptionConfiguration",
                    /algorithms found: \[""\]/,
                ),
            ),
        ],
    },
    {
        rule: "s3-tls-only",
        form: "BucketV2",
        hardened: () => [bucket(T.bucketV2), bucketPolicy([ELB_WRITES, TLS_ONLY])],
        failures: [
            reportedOn(
                "logs",
                change(
                    "logs-policy",
                    "the TLS statement is removed",
                    (i) => (i.policy = JSON.stringify({ Statement: ELB_WRITES })),
                    "policy",
                    /on bucket logs/,
                ),
            ),
        ],
    },
    {
        rule: "kms-key-rotation",
        form: "symmetric and asymmetric keys",
        hardened: () => [
            { type: T.kmsKey, name: "key", inputs: { enableKeyRotation: true } },
            { type: T.kmsKey, name: "signing", inputs: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" } },
        ],
        failures: [
            change("key", "rotation is off", (i) => (i.enableKeyRotation = false), "enableKeyRotation", /is false, not true/),
            change(
                "signing",
                "a symmetric key without rotation",
                (i) => (i.customerMasterKeySpec = "SYMMETRIC_DEFAULT"),
                "enableKeyRotation",
                /is undefined, not true/,
            ),
        ],
    },
    {
        rule: "secrets-manager-kms",
        form: "secret",
        hardened: () => [{ type: T.secret, name: "db-password", inputs: { name: "osint/db", kmsKeyId: arn("kms", "key/secrets") } }],
        failures: [
            change("db-password", "no key", (i) => delete i.kmsKeyId, "kmsKeyId", /kmsKeyId is undefined/),
            change("db-password", "the default key", (i) => (i.kmsKeyId = "alias/aws/secretsmanager"), "kmsKeyId", /"alias\/aws\/secretsmanager"/),
            // Checkov CKV_AWS_149 fails any AWS managed key ("aws/" in the id), not only Secrets Manager's.
            change("db-password", "another AWS managed key", (i) => (i.kmsKeyId = "alias/aws/kms"), "kmsKeyId", /"alias\/aws\/kms"/),
        ],
    },
    {
        rule: "iam-no-admin-policy",
        form: "policies, role inline policies, resource policies",
        hardened: () => [
            { type: T.iamPolicy, name: "read-secret", inputs: { policy: SCOPED } },
            { type: T.rolePolicy, name: "role-policy", inputs: { role: "task", policy: JSON.parse(SCOPED) as Inputs } },
            {
                type: T.role,
                name: "task",
                inputs: {
                    assumeRolePolicy: JSON.stringify({
                        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                    inlinePolicies: [{ name: "read", policy: SCOPED }],
                    managedPolicyArns: [EXECUTION_POLICY],
                },
            },
            // A trust policy kept secret (a stack export's ciphertext): it says who assumes the role, grants nothing.
            { type: T.role, name: "sealed-trust", inputs: { assumeRolePolicy: { [SECRET_SIG]: SECRET_VALUE_SIG, ciphertext: "v1:bm9uY2U=:c2VhbGVk" } } },
            { type: T.rolePolicyAttachment, name: "task-execution", inputs: { role: "task", policyArn: EXECUTION_POLICY } },
            { type: T.userPolicyAttachment, name: "auditor-readonly", inputs: { user: "auditor", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } },
            { type: T.rolePolicyAttachmentsExclusive, name: "task-exclusive", inputs: { roleName: "task", policyArns: [EXECUTION_POLICY] } },
            bucketPolicy([ELB_WRITES, TLS_ONLY]),
        ],
        failures: [
            change("read-secret", "a managed policy allows * on *", (i) => (i.policy = ADMIN), "policy", /statement 0 allows every action/),
            change(
                "role-policy",
                "an object document allows *:* on *",
                (i) => (i.policy = { Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "*:*"], Resource: ["*"] }] }),
                "policy",
                /statement 0/,
            ),
            change(
                "task",
                "a role's inline policy allows * on *",
                (i) =>
                    (i.inlinePolicies = [
                        { name: "read", policy: SCOPED },
                        { name: "admin", policy: ADMIN },
                    ]),
                "inlinePolicies[1].policy",
                /full administrator/,
            ),
            change("logs-policy", "a bucket policy allows * on *", (i) => (i.policy = ADMIN), "policy", /full administrator/),
            change("read-secret", "the document is unreadable", (i) => (i.policy = "{"), "policy", /not readable JSON/),
            change(
                "task-execution",
                "a role is attached AdministratorAccess",
                (i) => (i.policyArn = ADMINISTRATOR_ACCESS),
                "policyArn",
                /AdministratorAccess attaches full/,
            ),
            change(
                "auditor-readonly",
                "a user is attached AdministratorAccess in GovCloud",
                (i) => (i.policyArn = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"),
                "policyArn",
                /arn:aws-us-gov:iam::aws:policy\/AdministratorAccess/,
            ),
            change(
                "task",
                "a role lists AdministratorAccess in managedPolicyArns",
                (i) => (i.managedPolicyArns = [EXECUTION_POLICY, ADMINISTRATOR_ACCESS]),
                "managedPolicyArns[1]",
                /full administrator access/,
            ),
            change(
                "task-exclusive",
                "an exclusive attachment lists AdministratorAccess",
                (i) => (i.policyArns = [ADMINISTRATOR_ACCESS]),
                "policyArns[0]",
                /full administrator access/,
            ),
        ],
    },
    {
        rule: "security-group-admin-ports",
        form: "inline, SecurityGroupRule and SecurityGroupIngressRule",
        hardened: () => [
            { type: T.securityGroup, name: "alb-sg", inputs: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] } },
            {
                type: T.securityGroupRule,
                name: "ssh-from-vpn",
                inputs: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.8.0.0/16"] },
            },
            { type: T.ingressRule, name: "https-v6", inputs: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" } },
        ],
        failures: [
            change(
                "alb-sg",
                "SSH is open to 0.0.0.0/0",
                (i) => (i.ingress = [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
                "ingress[0]",
                /0\.0\.0\.0\/0 opens port 22/,
            ),
            change("ssh-from-vpn", "SSH is opened to the world", (i) => (i.cidrBlocks = ["0.0.0.0/0"]), "cidrBlocks", /opens port 22/),
            change(
                "https-v6",
                "a range holding RDP is open to ::/0",
                (i) => Object.assign(i, { fromPort: 3000, toPort: 3400 }),
                "cidrIpv6",
                /::\/0 opens port 3000, 3306, 3389/,
            ),
            change("https-v6", "every protocol is open", (i) => (i.ipProtocol = "-1"), "cidrIpv6", /opens port 20, 21, 22/),
        ],
    },
    {
        rule: "vpc-flow-logs",
        form: "VPC",
        hardened: () => [
            { type: T.vpc, name: "vpc", inputs: { cidrBlock: "10.0.0.0/16" }, outputs: { id: "vpc-0123" } },
            { type: T.flowLog, name: "vpc-flow", inputs: { vpcId: "vpc-0123", trafficType: "ALL", logDestinationType: "cloud-watch-logs" } },
        ],
        failures: [
            removal(T.flowLog, "the flow log is removed", "vpc", "id", /VPC vpc \(flow logs name \[\]\)/),
            reportedOn(
                "vpc",
                change("vpc-flow", "the flow log names another VPC", (i) => (i.vpcId = "vpc-other"), "id", /\["vpc-other"\]/),
            ),
        ],
    },
    ...[T.loadBalancer, T.albLoadBalancer].flatMap((type): Case[] => [
        {
            rule: "lb-drop-invalid-headers",
            form: type,
            hardened: () => [balancer(type), { type, name: "nlb", inputs: { loadBalancerType: "network" } }],
            failures: [
                change("alb", "invalid headers pass", (i) => (i.dropInvalidHeaderFields = false), "dropInvalidHeaderFields", /is false, not true/),
                change(
                    "alb",
                    "the type is left to its default (application)",
                    (i) => Object.assign(i, { loadBalancerType: undefined, dropInvalidHeaderFields: undefined }),
                    "dropInvalidHeaderFields",
                    /is undefined/,
                ),
            ],
        },
        {
            rule: "lb-access-logs",
            form: type,
            hardened: () => [balancer(type)],
            failures: [
                change("alb", "access logs are off", (i) => (i.accessLogs = { bucket: BUCKET, enabled: false }), "accessLogs", /"enabled":false/),
                change("alb", "access logs are unset", (i) => delete i.accessLogs, "accessLogs", /accessLogs is undefined/),
            ],
        },
        {
            rule: "lb-waf-associated",
            form: type,
            hardened: () => [balancer(type), wafAssociation(), { type, name: "internal", inputs: { internal: true } }],
            failures: [removal(T.webAclAssociation, "the association is removed", "alb", "arn", /names alb/)],
        },
    ]),
    {
        rule: "health-checks",
        form: "alb.TargetGroup",
        hardened: () => [{ type: T.albTargetGroup, name: "tg", inputs: { healthCheck: { enabled: true, path: "/healthz" } } }],
        failures: [
            change("tg", "the health check is disabled", (i) => (i.healthCheck = { enabled: false, path: "/healthz" }), "healthCheck", /"enabled":false/),
        ],
    },
    {
        rule: "rds-custom-admin-username",
        form: "instance and cluster",
        hardened: () => [
            { type: T.rds, name: "db", inputs: { engine: "postgres", username: "osint_admin" } },
            { type: T.rdsCluster, name: "cluster", inputs: { engine: "aurora-postgresql", masterUsername: "[secret]" } },
        ],
        failures: [
            change("db", "the instance's administrator is postgres", (i) => (i.username = "postgres"), "username", /username is "postgres"/),
            change("cluster", "the cluster's administrator is Admin", (i) => (i.masterUsername = "Admin"), "masterUsername", /masterUsername is "Admin"/),
        ],
    },
    {
        rule: "vpc-default-security-group",
        form: "VPC",
        hardened: () => [
            { type: T.vpc, name: "vpc", inputs: { cidrBlock: "10.0.0.0/16" }, outputs: { id: "vpc-0123" } },
            { type: T.defaultSecurityGroup, name: "vpc-default", inputs: { vpcId: "vpc-0123", ingress: [], egress: [] } },
        ],
        failures: [
            removal(T.defaultSecurityGroup, "the default group is left unmanaged", "vpc", "id", /empties VPC vpc's/),
            change(
                "vpc-default",
                "the default group allows egress",
                (i) => (i.egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]),
                "egress",
                /"cidrBlocks":\["0.0.0.0\/0"\]/,
            ),
        ],
    },
    {
        rule: "wafv2-logging",
        form: "web ACL",
        hardened: () => [
            {
                type: T.webAcl,
                name: "waf",
                inputs: { defaultAction: { allow: {} }, scope: "REGIONAL" },
                outputs: { arn: arn("wafv2", "regional/webacl/osint/1") },
            },
            {
                type: T.webAclLogging,
                name: "waf-logging",
                inputs: { resourceArn: arn("wafv2", "regional/webacl/osint/1"), logDestinationConfigs: [arn("logs", "log-group:aws-waf-logs-osint")] },
            },
        ],
        failures: [removal(T.webAclLogging, "the logging configuration is removed", "waf", "arn", /names waf/)],
    },
    {
        rule: "wafv2-rate-rule",
        form: "web ACL",
        hardened: () => [
            {
                type: T.webAcl,
                name: "waf",
                inputs: {
                    defaultAction: { allow: {} },
                    rules: [{ name: "rate", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 600, aggregateKeyType: "IP" } } }],
                },
            },
        ],
        failures: [
            change(
                "waf",
                "the rate rule only counts",
                (i) => (i.rules = [{ name: "rate", priority: 0, action: { count: {} }, statement: { rateBasedStatement: { limit: 600 } } }]),
                "rules",
                /no rule has a rateBasedStatement/,
            ),
            change("waf", "no rules", (i) => delete i.rules, "rules", /no rule has a rateBasedStatement/),
        ],
    },
];

/** A rule judging one property of one resource: a hardened resource, and each change of it that must be found at `property`. */
function setting(
    rule: string,
    type: string,
    inputs: Inputs,
    failures: [description: string, apply: (inputs: Inputs) => void, property: string, found: RegExp][],
): Case {
    return {
        rule,
        form: type,
        hardened: () => [{ type, name: "subject", inputs: structuredClone(inputs), outputs: { id: "subject-id", arn: arn("x", "subject") } }],
        failures: failures.map(([description, apply, property, found]) => change("subject", description, apply, property, found)),
    };
}

const statementsOf = (...statements: Inputs[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const EXECUTION = { Effect: "Allow", Action: ["ecr:BatchGetImage"], Resource: arn("ecr", "repository/osint/*") };
const policyCase = (rule: string, bad: Inputs, found: RegExp): Case =>
    setting(rule, T.rolePolicy, { role: "task", policy: statementsOf(EXECUTION) }, [
        ["a statement grants it", (i) => (i.policy = statementsOf(EXECUTION, bad)), "policy", found],
    ]);
const TOPIC_ARN = arn("sns", "alarms");

/** The rules added for issue 23, each on both sides. */
export const ANCHOR_CASES: readonly Case[] = [
    setting("ecs-service-no-public-ip", T.ecsService, { launchType: "FARGATE", networkConfiguration: { assignPublicIp: false, subnets: ["s"] } }, [
        ["a public IP is assigned", (i) => (i.networkConfiguration = { assignPublicIp: true }), "networkConfiguration.assignPublicIp", /is true/],
    ]),
    setting("ecs-container-insights", T.ecsCluster, { settings: [{ name: "containerInsights", value: "enabled" }] }, [
        ["insights are disabled", (i) => (i.settings = [{ name: "containerInsights", value: "disabled" }]), "settings", /"disabled"/],
        ["no settings", (i) => delete i.settings, "settings", /undefined/],
    ]),
    setting("ecs-fargate-platform-version", T.ecsService, { launchType: "FARGATE", platformVersion: "LATEST" }, [
        ["an old version is pinned", (i) => (i.platformVersion = "1.3.0"), "platformVersion", /"1.3.0"/],
    ]),
    setting("ecs-task-role-separation", T.task, { family: "f", executionRoleArn: arn("iam", "role/exec"), taskRoleArn: arn("iam", "role/task") }, [
        ["the task role is the execution role", (i) => (i.taskRoleArn = i.executionRoleArn), "taskRoleArn", /role\/exec/],
    ]),
    setting(
        "ecs-efs-transit-encryption",
        T.task,
        { family: "f", volumes: [{ name: "efs", efsVolumeConfiguration: { fileSystemId: "fs-1", transitEncryption: "ENABLED" } }] },
        [
            [
                "EFS transit encryption is off",
                (i) => (i.volumes = [{ name: "efs", efsVolumeConfiguration: { fileSystemId: "fs-1" } }]),
                "volumes[0].efsVolumeConfiguration.transitEncryption",
                /undefined/,
            ],
        ],
    ),
    setting(
        "ecs-exec-logging",
        T.ecsCluster,
        {
            configuration: {
                executeCommandConfiguration: { kmsKeyId: arn("kms", "key/exec"), logging: "OVERRIDE", logConfiguration: { cloudWatchEncryptionEnabled: true } },
            },
        },
        [
            [
                "sessions are not logged",
                (i) => (i.configuration = { executeCommandConfiguration: { logging: "NONE" } }),
                "configuration.executeCommandConfiguration",
                /"NONE"/,
            ],
            [
                "no KMS key",
                (i) => (i.configuration = { executeCommandConfiguration: { logging: "DEFAULT" } }),
                "configuration.executeCommandConfiguration",
                /kmsKeyId is undefined/,
            ],
        ],
    ),
    ...[T.loadBalancer, T.albLoadBalancer].map((type) =>
        setting("lb-deletion-protection", type, { enableDeletionProtection: true }, [
            ["deletion protection is off", (i) => (i.enableDeletionProtection = false), "enableDeletionProtection", /false/],
        ]),
    ),
    setting("lb-desync-mitigation", T.loadBalancer, { loadBalancerType: "application", desyncMitigationMode: "strictest" }, [
        ["desync is only monitored", (i) => (i.desyncMitigationMode = "monitor"), "desyncMitigationMode", /"monitor"/],
    ]),
    setting("lb-multiple-zones", T.loadBalancer, { subnets: ["subnet-a", "subnet-b"] }, [
        ["one subnet", (i) => (i.subnets = ["subnet-a"]), "subnets", /\["subnet-a"\]/],
    ]),
    setting("lb-cross-zone", T.loadBalancer, { loadBalancerType: "network", enableCrossZoneLoadBalancing: true }, [
        ["a network load balancer stays in its zones", (i) => delete i.enableCrossZoneLoadBalancing, "enableCrossZoneLoadBalancing", /undefined/],
    ]),
    ...[T.listener, T.albListener].map((type) =>
        setting("lb-strong-ciphers", type, { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }, [
            ["a weak policy", (i) => (i.sslPolicy = "ELBSecurityPolicy-2016-08"), "sslPolicy", /"ELBSecurityPolicy-2016-08"/],
            ["no policy (the weak default)", (i) => delete i.sslPolicy, "sslPolicy", /undefined/],
        ]),
    ),
    ...[T.targetGroup, T.albTargetGroup].map((type) =>
        setting("lb-target-group-encrypted", type, { protocol: "HTTPS", port: 8443, targetType: "ip" }, [
            ["plain HTTP", (i) => (i.protocol = "HTTP"), "protocol", /"HTTP"/],
        ]),
    ),
    setting("rds-enhanced-monitoring", T.rds, { monitoringInterval: 60, monitoringRoleArn: arn("iam", "role/monitoring") }, [
        ["monitoring is off", (i) => (i.monitoringInterval = 0), "monitoringInterval", /is 0/],
        ["no monitoring role", (i) => delete i.monitoringRoleArn, "monitoringInterval", /is 60/],
    ]),
    setting("rds-performance-insights", T.rds, { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: arn("kms", "key/pi") }, [
        ["Performance Insights is off", (i) => (i.performanceInsightsEnabled = false), "performanceInsightsEnabled", /false/],
        ["no KMS key", (i) => delete i.performanceInsightsKmsKeyId, "performanceInsightsEnabled", /true/],
    ]),
    setting("rds-minor-upgrades", T.rds, { autoMinorVersionUpgrade: true }, [
        ["upgrades are off", (i) => (i.autoMinorVersionUpgrade = false), "autoMinorVersionUpgrade", /false/],
    ]),
    setting("rds-ca-certificate", T.rds, { caCertIdentifier: "rds-ca-rsa2048-g1" }, [
        ["the expired CA", (i) => (i.caCertIdentifier = "rds-ca-2019"), "caCertIdentifier", /"rds-ca-2019"/],
    ]),
    setting("rds-default-port", T.rds, { engine: "postgres", port: 5433 }, [
        ["the default port", (i) => (i.port = 5432), "port", /5432/],
        ["no port (the default)", (i) => delete i.port, "port", /undefined/],
    ]),
    setting("rds-copy-tags-to-snapshots", T.rds, { copyTagsToSnapshot: true }, [
        ["tags are not copied", (i) => delete i.copyTagsToSnapshot, "copyTagsToSnapshot", /undefined/],
    ]),
    setting("rds-in-vpc", T.rds, { dbSubnetGroupName: "osint-prod" }, [
        ["no subnet group", (i) => delete i.dbSubnetGroupName, "dbSubnetGroupName", /undefined/],
    ]),
    setting("rds-replicated-backups-kms", T.backupReplication, { sourceDbInstanceArn: arn("rds", "db:osint"), kmsKeyId: arn("kms", "key/dr") }, [
        ["no KMS key", (i) => delete i.kmsKeyId, "kmsKeyId", /undefined/],
    ]),
    {
        rule: "rds-query-logging",
        form: "instance and parameter group",
        hardened: () => [
            { type: T.rds, name: "db", inputs: { engine: "postgres", parameterGroupName: "pg" } },
            {
                type: T.parameterGroup,
                name: "pg",
                inputs: {
                    name: "pg",
                    parameters: [
                        { name: "log_statement", value: "ddl" },
                        { name: "log_min_duration_statement", value: "1000" },
                    ],
                },
            },
        ],
        failures: [
            reportedOn(
                "db",
                change(
                    "pg",
                    "slow queries are not logged",
                    (i) => (i.parameters = [{ name: "log_statement", value: "ddl" }]),
                    "parameterGroupName",
                    /log_min_duration_statement/,
                ),
            ),
        ],
    },
    setting("elasticache-backups", T.redis, { snapshotRetentionLimit: 7 }, [
        ["no snapshots", (i) => (i.snapshotRetentionLimit = 0), "snapshotRetentionLimit", /is 0/],
    ]),
    setting("elasticache-minor-upgrades", T.redis, { autoMinorVersionUpgrade: true }, [
        ["upgrades are off", (i) => (i.autoMinorVersionUpgrade = false), "autoMinorVersionUpgrade", /false/],
    ]),
    setting("elasticache-subnet-group", T.redis, { subnetGroupName: "osint-prod" }, [
        ["the default group", (i) => (i.subnetGroupName = "default"), "subnetGroupName", /"default"/],
    ]),
    setting("elasticache-kms", T.redis, { kmsKeyId: arn("kms", "key/redis") }, [["no KMS key", (i) => delete i.kmsKeyId, "kmsKeyId", /undefined/]]),
    setting("sns-delivery-status-logging", T.topic, { lambdaFailureFeedbackRoleArn: arn("iam", "role/sns-feedback") }, [
        ["no feedback role", (i) => delete i.lambdaFailureFeedbackRoleArn, "deliveryStatusLogging", /FailureFeedbackRoleArn/],
        ["an empty role", (i) => (i.lambdaFailureFeedbackRoleArn = ""), "deliveryStatusLogging", /nor a success role/],
    ]),
    setting("sns-delivery-status-logging", T.topic, { sqsSuccessFeedbackRoleArn: arn("iam", "role/sns-feedback") }, [
        ["the success role removed", (i) => delete i.sqsSuccessFeedbackRoleArn, "deliveryStatusLogging", /sqsFailureFeedbackRoleArn/],
    ]),
    setting("sns-encrypted", T.topic, { kmsMasterKeyId: arn("kms", "key/sns") }, [
        ["no KMS key", (i) => delete i.kmsMasterKeyId, "kmsMasterKeyId", /undefined/],
    ]),
    setting(
        "sns-not-public",
        T.topicPolicy,
        {
            arn: TOPIC_ARN,
            policy: statementsOf({
                Effect: "Allow",
                Principal: "*",
                Action: "sns:Publish",
                Resource: TOPIC_ARN,
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            }),
        },
        [
            [
                "anyone may publish",
                (i) => (i.policy = statementsOf({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: TOPIC_ARN })),
                "policy",
                /allow "\*"/,
            ],
        ],
    ),
    setting(
        "sns-no-cross-account",
        T.topicPolicy,
        {
            arn: TOPIC_ARN,
            policy: statementsOf({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sns:Publish", Resource: TOPIC_ARN }),
        },
        [
            [
                "another account may publish",
                (i) =>
                    (i.policy = statementsOf({
                        Effect: "Allow",
                        Principal: { AWS: "arn:aws:iam::999999999999:root" },
                        Action: "sns:Publish",
                        Resource: TOPIC_ARN,
                    })),
                "policy",
                /999999999999/,
            ],
        ],
    ),
    setting("acm-key-algorithm", T.certificate, { domainName: "osint.example.org", keyAlgorithm: "EC_prime256v1" }, [
        ["a 1024-bit key", (i) => (i.keyAlgorithm = "RSA_1024"), "keyAlgorithm", /"RSA_1024"/],
    ]),
    setting("acm-transparency-logging", T.certificate, { domainName: "osint.example.org", options: { certificateTransparencyLoggingPreference: "ENABLED" } }, [
        [
            "logging is disabled",
            (i) => (i.options = { certificateTransparencyLoggingPreference: "DISABLED" }),
            "options.certificateTransparencyLoggingPreference",
            /"DISABLED"/,
        ],
    ]),
    setting("acm-no-wildcard", T.certificate, { domainName: "osint.example.org", subjectAlternativeNames: ["api.osint.example.org"] }, [
        ["a wildcard alternative name", (i) => (i.subjectAlternativeNames = ["*.osint.example.org"]), "domainName", /\*\.osint/],
    ]),
    setting("acm-managed-renewal", T.certificate, { domainName: "osint.example.org", validationMethod: "DNS" }, [
        ["e-mail validation", (i) => (i.validationMethod = "EMAIL"), "validationMethod", /"EMAIL"/],
        [
            "an imported certificate",
            (i) => Object.assign(i, { validationMethod: undefined, privateKey: "[secret]", certificateBody: "-----BEGIN" }),
            "validationMethod",
            /undefined/,
        ],
    ]),
    setting("backup-vault-kms", T.backupVault, { name: "v", kmsKeyArn: arn("kms", "key/backup") }, [
        ["no KMS key", (i) => delete i.kmsKeyArn, "kmsKeyArn", /undefined/],
    ]),
    setting("alarm-actions-enabled", T.alarm, { actionsEnabled: true, alarmActions: [TOPIC_ARN] }, [
        ["actions are disabled", (i) => (i.actionsEnabled = false), "actionsEnabled", /false/],
    ]),
    setting("subnet-no-public-ip", T.subnet, { cidrBlock: "10.0.0.0/20", mapPublicIpOnLaunch: false }, [
        ["public IPs on launch", (i) => (i.mapPublicIpOnLaunch = true), "mapPublicIpOnLaunch", /true/],
    ]),
    setting("kms-key-enabled", T.kmsKey, { isEnabled: true }, [["the key is disabled", (i) => (i.isEnabled = false), "isEnabled", /false/]]),
    setting("kms-deletion-window", T.kmsKey, { deletionWindowInDays: 30 }, [
        ["a 7-day window", (i) => (i.deletionWindowInDays = 7), "deletionWindowInDays", /is 7/],
    ]),
    setting(
        "kms-key-policy-defined",
        T.kmsKey,
        { policy: statementsOf({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }) },
        [["no policy", (i) => delete i.policy, "policy", /undefined/]],
    ),
    setting(
        "kms-no-public-principal",
        T.kmsKey,
        { policy: statementsOf({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }) },
        [
            [
                "anyone may use the key",
                (i) => (i.policy = statementsOf({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" })),
                "policy",
                /allow "\*"/,
            ],
        ],
    ),
    policyCase("iam-no-wildcard-actions", { Effect: "Allow", Action: "iam:*", Resource: arn("iam", "role/x") }, /iam:\*/),
    policyCase("iam-privilege-escalation", { Effect: "Allow", Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" }, /CreateEC2WithExistingIP/),
    policyCase("iam-credentials-exposure", { Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }, /sts:AssumeRole on "\*"/),
    policyCase("iam-data-exfiltration", { Effect: "Allow", Action: "s3:Get*", Resource: "*" }, /s3:GetObject/),
    policyCase("iam-permissions-management", { Effect: "Allow", Action: "s3:PutBucketPolicy", Resource: "*" }, /s3:PutBucketPolicy/),
    policyCase("iam-write-constrained", { Effect: "Allow", Action: "s3:PutObject", Resource: "*" }, /s3:PutObject/),
    policyCase("iam-star-resource", { Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }, /s3:ListBucket/),
    policyCase("iam-inline-kms-decrypt", { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }, /kms:Decrypt on \*/),
    setting(
        "iam-role-trust-scoped",
        T.role,
        { assumeRolePolicy: statementsOf({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }) },
        [
            [
                "anyone may assume it",
                (i) => (i.assumeRolePolicy = statementsOf({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })),
                "assumeRolePolicy",
                /any AWS principal/,
            ],
        ],
    ),
    setting(
        "iam-github-oidc-scoped",
        T.role,
        {
            assumeRolePolicy: statementsOf({
                Effect: "Allow",
                Principal: { Federated: arn("iam", "oidc-provider/token.actions.githubusercontent.com").replace(":us-east-1:", "::") },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:osint-platform/infra:ref:refs/heads/main" } },
            }),
        },
        [
            [
                "any repository may assume it",
                (i) => (i.assumeRolePolicy = String(i.assumeRolePolicy).replace("repo:osint-platform/infra:ref:refs/heads/main", "repo:*")),
                "assumeRolePolicy",
                /\["repo:\*"\]/,
            ],
        ],
    ),
    {
        rule: "s3-acls-disabled",
        form: "Bucket",
        hardened: () => [
            bucket(),
            { type: T.ownershipControls, name: "logs-ownership", inputs: { bucket: BUCKET, rule: { objectOwnership: "BucketOwnerEnforced" } } },
        ],
        failures: [
            reportedOn(
                "logs",
                change("logs-ownership", "ACLs stay enabled", (i) => (i.rule = { objectOwnership: "ObjectWriter" }), "bucket", /\["ObjectWriter"\]/),
            ),
            removal(T.ownershipControls, "no ownership controls", "logs", "bucket", /\[\]/),
        ],
    },
    setting("s3-cross-account-restricted", T.bucketPolicy, { bucket: BUCKET, policy: statementsOf(ELB_WRITES, TLS_ONLY) }, [
        [
            "another account may rewrite the policy",
            (i) => (i.policy = statementsOf({ ...ELB_WRITES, Action: ["s3:PutObject", "s3:PutBucketPolicy"] })),
            "policy",
            /s3:PutBucketPolicy/,
        ],
    ]),
    {
        rule: "s3-lifecycle",
        form: "Bucket",
        hardened: () => [
            bucket(),
            {
                type: T.lifecycle,
                name: "logs-lifecycle",
                inputs: { bucket: BUCKET, rules: [{ id: "retention", status: "Enabled", expiration: { days: 90 } }] },
            },
        ],
        failures: [
            reportedOn(
                "logs",
                change(
                    "logs-lifecycle",
                    "the rule is disabled",
                    (i) => (i.rules = [{ id: "retention", status: "Disabled" }]),
                    "bucket",
                    /no enabled lifecycle rule/,
                ),
            ),
            removal(T.lifecycle, "no lifecycle configuration", "logs", "bucket", /names bucket logs/),
        ],
    },
    setting(
        "s3-abort-incomplete-uploads",
        T.lifecycle,
        { bucket: BUCKET, rules: [{ id: "r", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }] },
        [["no abort rule", (i) => (i.rules = [{ id: "r", status: "Enabled", expiration: { days: 90 } }]), "rules", /abortIncompleteMultipartUpload/]],
    ),
    setting("s3-policy-no-lockout", T.bucketPolicy, { bucket: BUCKET, policy: statementsOf(ELB_WRITES, TLS_ONLY) }, [
        ["an unconditional deny of everything", (i) => (i.policy = statementsOf({ ...TLS_ONLY, Condition: undefined })), "policy", /1 Deny statement/],
    ]),
    ...(
        [
            ["s3-access-logging", T.bucketLogging, { bucket: BUCKET, targetBucket: "audit", targetPrefix: "logs/" }],
            ["s3-event-notifications", T.bucketNotification, { bucket: BUCKET, eventbridge: true }],
            ["s3-object-lock", T.objectLock, { bucket: BUCKET, objectLockEnabled: "Enabled" }],
            ["s3-replication", T.replication, { bucket: BUCKET, role: "r", rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::dr" } }] }],
        ] as const
    ).map(([rule, type, inputs]): Case => ({
        rule,
        form: "Bucket",
        hardened: () => [bucket(), { type, name: "logs-configuration", inputs: { ...inputs } }],
        failures: [removal(type, "the bucket's configuration is removed", "logs", rule === "s3-object-lock" ? "objectLockEnabled" : "bucket", /bucket logs/)],
    })),
    setting("security-group-authorized-ports", T.ingressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, [
        ["a range is open to the world", (i) => (i.toPort = 8443), "cidrIpv4", /ports 443-8443/],
        ["every port is open", (i) => (i.ipProtocol = "-1"), "cidrIpv4", /every port/],
    ]),
    setting("security-group-no-world-http", T.ingressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, [
        ["HTTP is open to the world", (i) => Object.assign(i, { fromPort: 80, toPort: 80 }), "cidrIpv4", /port 80/],
    ]),
    setting(
        "security-group-descriptions",
        T.securityGroup,
        { description: "Load balancer", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" }] },
        [
            [
                "a rule has no description",
                (i) => (i.ingress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]),
                "ingress[0].description",
                /has none/,
            ],
            ["the group keeps Pulumi's default description", (i) => (i.description = "Managed by Pulumi"), "description", /no description/],
        ],
    ),
    setting("security-group-egress-restricted", T.egressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, [
        ["all egress to the world", (i) => (i.ipProtocol = "-1"), "ipProtocol", /every protocol/],
    ]),
    {
        rule: "security-group-attached",
        form: "security group and service",
        hardened: () => [
            { type: T.securityGroup, name: "sg", inputs: { description: "backend" }, outputs: { id: "sg-0123" } },
            { type: T.ecsService, name: "svc", inputs: { networkConfiguration: { securityGroups: ["sg-0123"] } } },
        ],
        failures: [removal(T.ecsService, "nothing uses the group", "sg", "id", /names security group sg/)],
    },
    {
        rule: "eip-attached",
        form: "Elastic IP and NAT gateway",
        hardened: () => [
            { type: T.eip, name: "eip", inputs: { domain: "vpc" }, outputs: { id: "eipalloc-1", allocationId: "eipalloc-1" } },
            { type: T.natGateway, name: "nat", inputs: { allocationId: "eipalloc-1", subnetId: "subnet-a" } },
        ],
        failures: [removal(T.natGateway, "nothing uses the address", "eip", "id", /Elastic IP eip/)],
    },
    setting(
        "route-table-default-route",
        T.routeTable,
        {
            routes: [
                { cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" },
                { cidrBlock: "10.1.0.0/16", vpcPeeringConnectionId: "pcx-1" },
            ],
        },
        [
            [
                "the default route goes to an instance's interface",
                (i) => (i.routes = [{ cidrBlock: "0.0.0.0/0", networkInterfaceId: "eni-1" }]),
                "routes[0].networkInterfaceId",
                /"eni-1"/,
            ],
            [
                "the default route goes through a peering",
                (i) => (i.routes = [{ cidrBlock: "0.0.0.0/0", vpcPeeringConnectionId: "pcx-1" }]),
                "routes[0].vpcPeeringConnectionId",
                /"pcx-1"/,
            ],
        ],
    ),
    setting(
        "wafv2-managed-rules",
        T.webAcl,
        {
            rules: [
                {
                    name: "bad-inputs",
                    priority: 1,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
                },
            ],
        },
        [
            [
                "the group only counts",
                (i) =>
                    (i.rules = [
                        {
                            name: "bad-inputs",
                            overrideAction: { count: {} },
                            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
                        },
                    ]),
                "rules",
                /no rule does/,
            ],
            ["the group is missing", (i) => (i.rules = []), "rules", /no rule does/],
        ],
    ),
    setting(
        "wafv2-rule-actions",
        T.webAcl,
        { rules: [{ name: "rate", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 600 } } }] },
        [
            ["no rules", (i) => (i.rules = []), "rules", /rules is empty/],
            ["a rule without an action", (i) => (i.rules = [{ name: "rate", priority: 0, statement: {} }]), "rules[0]", /"rate" has neither/],
        ],
    ),
    setting("ecr-template-lifecycle", T.creationTemplate, { prefix: "osint", appliedFors: ["PULL_THROUGH_CACHE"], lifecyclePolicy: "{}" }, [
        ["no lifecycle policy", (i) => delete i.lifecyclePolicy, "lifecyclePolicy", /undefined/],
    ]),
    setting("ecr-template-immutable-tags", T.creationTemplate, { prefix: "osint", appliedFors: ["PULL_THROUGH_CACHE"], imageTagMutability: "IMMUTABLE" }, [
        ["mutable tags", (i) => (i.imageTagMutability = "MUTABLE"), "imageTagMutability", /"MUTABLE"/],
    ]),
    {
        rule: "secrets-rotation",
        form: "secret and rotation",
        hardened: () => [
            { type: T.secret, name: "db-password", inputs: { name: "osint/db" }, outputs: { arn: arn("secretsmanager", "secret:osint/db") } },
            {
                type: T.secretRotation,
                name: "db-rotation",
                inputs: { secretId: "osint/db", rotationRules: { automaticallyAfterDays: 30 } },
            },
        ],
        failures: [
            removal(T.secretRotation, "no rotation", "db-password", "id", /names secret db-password/),
            reportedOn(
                "db-password",
                change("db-rotation", "a yearly rotation", (i) => (i.rotationRules = { automaticallyAfterDays: 365 }), "id", /after 365 days/),
            ),
        ],
    },
    setting("docker-ports-bound", T.container, { image: "nginx:1.27", ports: [{ internal: 8443, external: 8443, ip: "127.0.0.1" }] }, [
        ["a port on every interface", (i) => (i.ports = [{ internal: 8443, external: 8443 }]), "ports[0].ip", /port 8443 has ip undefined/],
        ["a port on 0.0.0.0", (i) => (i.ports = [{ internal: 8080, external: 8080, ip: "0.0.0.0" }]), "ports[0].ip", /"0.0.0.0"/],
    ]),
    setting("log-retention-year", T.logGroup, { retentionInDays: 400 }, [["90 days", (i) => (i.retentionInDays = 90), "retentionInDays", /is 90/]]),
];

/** Every rule's cases. */
export const CASES: readonly Case[] = [...ORIGINAL_CASES, ...ANCHOR_CASES];
