// Mocks that give the program what the providers would compute for a real `pulumi up` of dev: random
// passwords, an ECDSA key and a self-signed certificate for the dev domain made with node:crypto, and
// the ids of images really built on the lab's engine. Everything else is the offline plan's mock.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomInt, webcrypto } from "node:crypto";
// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs this polyfill loaded first.
import "reflect-metadata";
import type * as pulumi from "@pulumi/pulumi";
import * as x509 from "@peculiar/x509";
import { mocks as offlineMocks } from "../../lib/mocks";
import { plainValue } from "../../lib/property-values";

type State = Record<string, unknown>;

/** What pulumi-docker's Image reads of `build` (provider/image.go), for the lab's builder. */
export interface ImageBuildRequest {
    readonly imageName: string;
    readonly context: string;
    readonly dockerfile?: string;
    readonly target?: string;
    readonly args?: Record<string, string>;
}

// random_password's character set without specials (terraform-provider-random internal/random/string.go).
const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function password(length: number): string {
    return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
}

/** tls_private_key ECDSA: SEC1 PEM as privateKeyPem, PKCS#8 as privateKeyPemPkcs8 (terraform-provider-tls). */
function ecdsaKey(curve: string): State {
    const namedCurve = { P224: "secp224r1", P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" }[curve];
    if (!namedCurve) throw new Error(`lab mocks: unsupported ECDSA curve ${curve}`);
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve });
    return {
        privateKeyPem: privateKey.export({ type: "sec1", format: "pem" }),
        privateKeyPemPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }),
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }),
    };
}

async function selfSignedCert(inputs: State): Promise<string> {
    const key = createPrivateKey(String(inputs.privateKeyPem));
    const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const privateKey = await webcrypto.subtle.importKey("pkcs8", key.export({ type: "pkcs8", format: "der" }), algorithm, true, ["sign"]);
    const publicKey = await webcrypto.subtle.importKey("spki", createPublicKey(key).export({ type: "spki", format: "der" }), algorithm, true, ["verify"]);
    const subject = (inputs.subject ?? {}) as { commonName?: string; organization?: string };
    const name = [subject.commonName && `CN=${subject.commonName}`, subject.organization && `O=${subject.organization}`].filter(Boolean).join(", ");
    const dnsNames = (inputs.dnsNames ?? []) as string[];
    const notBefore = new Date();
    const notAfter = new Date(notBefore.getTime() + Number(inputs.validityPeriodHours ?? 24) * 3600_000);
    x509.cryptoProvider.set(webcrypto as never);
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: randomInt(1, 2 ** 47).toString(16),
        name,
        notBefore,
        notAfter,
        keys: { privateKey, publicKey },
        signingAlgorithm: algorithm,
        extensions: [
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
            new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: "dns" as const, value }))),
        ],
    });
    return certificate.toString("pem") + "\n";
}

/** The mocks, building images with `build` (which returns the built image's id). */
export function realValueMocks(build: (request: ImageBuildRequest) => Promise<string>): pulumi.runtime.Mocks {
    return {
        async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
            const offline = await offlineMocks.newResource(args);
            // Inputs as the provider receives them: secrets (the key's PEM) in plaintext.
            const inputs = plainValue(args.inputs, true) as State;
            switch (args.type) {
                case "random:index/randomPassword:RandomPassword":
                    return { id: offline.id, state: { ...offline.state, result: password(Number(inputs.length)) } };
                case "tls:index/privateKey:PrivateKey":
                    if (inputs.algorithm !== "ECDSA") throw new Error(`lab mocks: unsupported key algorithm ${String(inputs.algorithm)}`);
                    return { id: offline.id, state: { ...offline.state, ...ecdsaKey(String(inputs.ecdsaCurve ?? "P224")) } };
                case "tls:index/selfSignedCert:SelfSignedCert":
                    return { id: offline.id, state: { ...offline.state, certPem: await selfSignedCert(inputs) } };
                case "docker:index/image:Image": {
                    const spec = (inputs.build ?? {}) as Omit<ImageBuildRequest, "imageName">;
                    const id = await build({ ...spec, imageName: String(inputs.imageName) });
                    // With skipPush, repoDigest is the local image id (pulumi-docker sdk image.ts).
                    return { id: offline.id, state: { ...offline.state, repoDigest: id, imageId: id } };
                }
                default:
                    return offline;
            }
        },
        call: (args) => offlineMocks.call(args),
    };
}
