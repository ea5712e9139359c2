// What the providers would compute, for the offline plan and the unit tests. Mock secrets carry a
// marker so a test can prove none of them reaches a plan, an output or a container in plaintext.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_SECRET_MARKER = "MOCKSECRET";
export const MOCK_ACCOUNT_ID = "123456789012";

function digestOf(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** What pulumi-docker reads of an Image's `build` input (provider/image.go marshalBuildAndApplyDefaults). */
interface ImageBuild {
    readonly context?: string;
    readonly dockerfile?: string;
    readonly [setting: string]: unknown;
}

/**
 * The plain names (node_modules, .venv) the build's ignore file lists: `<dockerfile>.dockerignore`
 * if there is one, else the context's .dockerignore, as the provider picks it (provider.go
 * getIgnorePatterns).
 */
function ignoredNames(context: string, dockerfile: string): Set<string> {
    const file = [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")].find((f) => fs.existsSync(f));
    if (!file) return new Set();
    return new Set(
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .map((l) => l.trim())
            .filter((l) => /^[\w.-]+$/.test(l)),
    );
}

/** JSON with every object's keys sorted: the same settings give the same text whatever their order. */
function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_, v: unknown) =>
        v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
    );
}

/**
 * The local image id of a build, modelled on what pulumi-docker sends the builder (provider/image.go
 * build: an archive of the context, the Dockerfile named relative to it, the build's settings): the
 * context's files by their path inside it, mode and content (ignored names left out; a symbolic
 * link by its link text, as the archive carries it), the Dockerfile by its content whatever its
 * name, and the other settings (target, args, platform...). Not the folder the context sits in nor
 * the Dockerfile's absolute path: two checkouts of one commit build the same image. As in the
 * provider, `dockerfile` defaults to <context>/Dockerfile and is read relative to the program's
 * folder, as `context` is; its change detector (provider.go hashContext) likewise hashes files by
 * their path inside the context and the Dockerfile's content under the name "Dockerfile".
 */
function imageId(build: ImageBuild): string {
    const { context: contextSetting, dockerfile: dockerfileSetting, ...settings } = build;
    const context = path.resolve(contextSetting ?? ".");
    const dockerfile = path.resolve(dockerfileSetting ?? path.join(context, "Dockerfile"));
    const hash = createHash("sha256").update(canonicalJson(settings)).update("\0");
    // The check replays plan files written elsewhere (policies/input/read.ts, a diff's <checkout>
    // paths): what this machine does not have counts as no files.
    if (fs.existsSync(dockerfile)) hash.update("Dockerfile\0").update(fs.readFileSync(dockerfile)).update("\0");
    if (!fs.existsSync(context)) return `sha256:${hash.digest("hex")}`;
    const ignored = ignoredNames(context, dockerfile);
    const entries = fs
        .readdirSync(context, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() || e.isSymbolicLink())
        .map((e) => ({ file: path.relative(context, path.join(e.parentPath, e.name)), link: e.isSymbolicLink() }))
        .filter(({ file }) => !file.split(path.sep).some((part) => ignored.has(part)))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const { file, link } of entries) {
        const full = path.join(context, file);
        const content = link ? fs.readlinkSync(full) : fs.readFileSync(full);
        const mode = (fs.lstatSync(full).mode & 0o777).toString(8);
        hash.update(file.split(path.sep).join("/")).update("\0").update(mode).update("\0").update(content).update("\0");
    }
    return `sha256:${hash.digest("hex")}`;
}

export function mockSecret(name: string): string {
    return `${MOCK_SECRET_MARKER}-${digestOf(name)}`;
}

/** What a local command prints, offline: a marker naming it (a real run prints e.g. a fetched PEM). */
export function mockCommandStdout(name: string): string {
    return `mock stdout of ${name}`;
}

type State = Record<string, unknown>;
type Computed = (name: string, inputs: State) => State;

const computedByType: Record<string, Computed> = {
    "docker:index/remoteImage:RemoteImage": (_, i) => ({ imageId: i.name, repoDigest: i.name }),
    // With skipPush, repoDigest is the local image id (pulumi-docker sdk image.ts): a content id that
    // changes with what is built, never with where the checkout is (imageId).
    "docker:index/image:Image": (_, i) => ({ repoDigest: imageId((i.build ?? {}) as ImageBuild), baseImageName: i.imageName }),
    "docker:index/network:Network": (name, i) => ({ name: i.name ?? name }),
    "docker:index/volume:Volume": (name, i) => ({ name: i.name ?? name }),
    "docker:index/container:Container": (name, i) => ({ name: i.name ?? name }),
    "random:index/randomPassword:RandomPassword": (name) => ({ result: mockSecret(name), bcryptHash: mockSecret(`${name}-bcrypt`) }),
    "random:index/randomId:RandomId": (name) => ({ hex: mockRandomHex(name) }),
    "tls:index/privateKey:PrivateKey": (name) => ({
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${mockSecret(name)}\n-----END PRIVATE KEY-----\n`,
        privateKeyPemPkcs8: `-----BEGIN PRIVATE KEY-----\n${mockSecret(name)}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\nmock-${digestOf(name)}\n-----END PUBLIC KEY-----\n`,
    }),
    "command:local:Command": (name) => ({ stdout: mockCommandStdout(name) }),
    "tls:index/selfSignedCert:SelfSignedCert": (name) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nmock-${digestOf(name)}\n-----END CERTIFICATE-----\n`,
    }),
};

/** A RandomId's hex offline: not secret (it names final snapshots); byteLength 4 gives 8 digits. */
export function mockRandomHex(name: string): string {
    return digestOf(name).slice(0, 8);
}

export const MOCK_REGION = "us-east-1";
export const MOCK_ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

function awsArn(type: string, name: string, region = MOCK_REGION): string {
    const service = type.split(":")[1]?.split("/")[0] ?? "aws";
    return `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${name}`;
}

// The region of each explicit AWS provider, by the id the mock gave it: a resource created through
// one (prod's disaster-recovery vault, in drRegion) lives, and has its ARN, in that region.
const providerRegions = new Map<string, string>();

/** The region an AWS resource lives in: its own `region` input (provider v7), its provider's, or the default. */
function regionOf(args: pulumi.runtime.MockResourceArgs): string {
    const own = args.inputs.region;
    if (typeof own === "string") return own;
    const providerId = args.provider?.split("::").pop();
    return (providerId && providerRegions.get(providerId)) || MOCK_REGION;
}

// AWS outputs the program reads beyond `arn` (names, endpoints, generated identifiers).
const awsComputedByType: Record<string, Computed> = {
    "aws:ecs/cluster:Cluster": (name, i) => ({ name: i.name ?? name }),
    "aws:ecs/service:Service": (name, i) => ({ name: i.name ?? name }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (name, i) => ({ name: i.name ?? name }),
    "aws:ecs/taskDefinition:TaskDefinition": (name, i) => ({ arn: `${awsArn("aws:ecs/", `task-definition/${i.family ?? name}`)}:1`, revision: 1 }),
    "aws:iam/role:Role": (name, i) => ({ name: i.name ?? name, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}` }),
    "aws:lb/loadBalancer:LoadBalancer": (name, i) => ({
        arnSuffix: `app/${i.name ?? name}/0123456789abcdef`,
        dnsName: `${i.name ?? name}.${MOCK_REGION}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
    }),
    "aws:lb/targetGroup:TargetGroup": (name) => ({ arnSuffix: `targetgroup/${name}/0123456789abcdef` }),
    "aws:rds/instance:Instance": (name, i) => ({
        address: `${i.identifier ?? name}.abcdefghijkl.${MOCK_REGION}.rds.amazonaws.com`,
        resourceId: `db-${digestOf(name).toUpperCase()}`,
        masterUserSecrets: [{ secretArn: awsArn("aws:secretsmanager/", `secret:rds!db-${name}`), kmsKeyId: "", secretStatus: "active" }],
    }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (name, i) => ({
        primaryEndpointAddress: `master.${i.replicationGroupId ?? name}.abcdef.use1.cache.amazonaws.com`,
    }),
    "aws:acm/certificate:Certificate": (name, i) => ({
        domainValidationOptions: [
            {
                domainName: i.domainName,
                resourceRecordName: `_${digestOf(name)}.${i.domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${digestOf(`${name}-value`)}.acm-validations.aws.`,
            },
        ],
    }),
    "aws:kms/key:Key": (name) => ({ keyId: `${digestOf(name)}-key` }),
    "aws:secretsmanager/secretVersion:SecretVersion": (name) => ({ versionId: `${digestOf(name)}-version` }),
    "aws:s3/bucket:Bucket": (name, i) => ({ bucket: i.bucket ?? name }),
    // A gateway endpoint's route target: the service's managed prefix list.
    "aws:ec2/vpcEndpoint:VpcEndpoint": (name, i) => (i.vpcEndpointType === "Gateway" ? { prefixListId: `pl-${digestOf(name).slice(0, 8)}` } : {}),
};

function awsComputed(type: string, name: string, inputs: State, region: string): State {
    return { arn: awsArn(type, name, region), ...awsComputedByType[type]?.(name, inputs) };
}

export const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        const id = `${args.name}-id`;
        if (args.type === "pulumi:providers:aws" && typeof args.inputs.region === "string") providerRegions.set(id, args.inputs.region);
        const computed =
            computedByType[args.type]?.(args.name, args.inputs) ??
            (args.type.startsWith("aws:") ? awsComputed(args.type, args.name, args.inputs, regionOf(args)) : {});
        return { id, state: { ...args.inputs, ...computed } };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = invokeAnswers[args.token];
        if (!answer) throw new Error(`the offline plan has no mock for invoke ${args.token}; add one to lib/mocks.ts`);
        return answer(args.inputs);
    },
};

const invokeAnswers: Record<string, (inputs: State) => State> = {
    "aws:index/getRegion:getRegion": () => ({ id: MOCK_REGION, name: MOCK_REGION, region: MOCK_REGION, endpoint: `ec2.${MOCK_REGION}.amazonaws.com` }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: MOCK_ACCOUNT_ID,
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
        userId: "AIDAMOCK",
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ id: MOCK_REGION, names: MOCK_ZONES, zoneIds: MOCK_ZONES.map((_, i) => `use1-az${i + 1}`) }),
    "aws:elb/getServiceAccount:getServiceAccount": () => ({ id: "127311923021", arn: "arn:aws:iam::127311923021:root" }),
    "aws:secretsmanager/getSecretVersion:getSecretVersion": (i) => ({
        id: `${String(i.secretId)}|AWSCURRENT`,
        arn: i.secretId,
        secretString: JSON.stringify({ username: "postgres", password: mockSecret(String(i.secretId)) }),
    }),
};
