// What the providers would compute, for the offline plan and the unit tests. Mock secrets carry a
// marker so a test can prove none of them reaches a plan, an output or a container in plaintext.
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_SECRET_MARKER = "MOCKSECRET";
export const MOCK_ACCOUNT_ID = "123456789012";

function digest(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function mockSecret(name: string): string {
    return `${MOCK_SECRET_MARKER}-${digest(name)}`;
}

type State = Record<string, unknown>;
type Computed = (name: string, inputs: State) => State;

const computedByType: Record<string, Computed> = {
    "docker:index/remoteImage:RemoteImage": (_, i) => ({ imageId: i.name, repoDigest: i.name }),
    "docker:index/image:Image": (_, i) => ({ repoDigest: i.imageName, baseImageName: i.imageName }),
    "docker:index/network:Network": (name, i) => ({ name: i.name ?? name }),
    "docker:index/volume:Volume": (name, i) => ({ name: i.name ?? name }),
    "docker:index/container:Container": (name, i) => ({ name: i.name ?? name }),
    "random:index/randomPassword:RandomPassword": (name) => ({ result: mockSecret(name), bcryptHash: mockSecret(`${name}-bcrypt`) }),
    "tls:index/privateKey:PrivateKey": (name) => ({
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${mockSecret(name)}\n-----END PRIVATE KEY-----\n`,
        privateKeyPemPkcs8: `-----BEGIN PRIVATE KEY-----\n${mockSecret(name)}\n-----END PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\nmock-${digest(name)}\n-----END PUBLIC KEY-----\n`,
    }),
    "tls:index/selfSignedCert:SelfSignedCert": (name) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nmock-${digest(name)}\n-----END CERTIFICATE-----\n`,
    }),
};

function awsComputed(type: string, name: string): State {
    const service = type.split(":")[1]?.split("/")[0] ?? "aws";
    return { arn: `arn:aws:${service}:us-east-1:${MOCK_ACCOUNT_ID}:${name}` };
}

export const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
        const computed = computedByType[args.type]?.(args.name, args.inputs) ?? (args.type.startsWith("aws:") ? awsComputed(args.type, args.name) : {});
        return { id: `${args.name}-id`, state: { ...args.inputs, ...computed } };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = invokeAnswers[args.token];
        if (!answer) throw new Error(`the offline plan has no mock for invoke ${args.token}; add one to tools/mocks.ts`);
        return answer(args.inputs);
    },
};

const invokeAnswers: Record<string, (inputs: State) => State> = {};
