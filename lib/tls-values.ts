// Real values for the tls provider's resources, made with node:crypto: an ECDSA key and a
// self-signed certificate from the SelfSignedCert's own inputs (subject, DNS names, validity). The
// lab's mocks hand them to a real engine; `npm run render` writes the certificate a dev stack uploads.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomInt, webcrypto } from "node:crypto";
// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs this polyfill loaded first.
import "reflect-metadata";
import type * as pulumi from "@pulumi/pulumi";
import * as x509 from "@peculiar/x509";
import { mocks as offlineMocks } from "./mocks";
import { plainValue } from "./property-values";

type State = Record<string, unknown>;

/** tls_private_key ECDSA: SEC1 PEM as privateKeyPem, PKCS#8 as privateKeyPemPkcs8 (terraform-provider-tls). */
function ecdsaKey(curve: string): State {
    const namedCurve = { P224: "secp224r1", P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" }[curve];
    if (!namedCurve) throw new Error(`tls values: unsupported ECDSA curve ${curve}`);
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

/**
 * The state the tls provider would give a resource of `type` created with `inputs` (secrets in
 * plaintext), or undefined for a type that is not a tls key or certificate.
 */
export async function realTlsState(type: string, inputs: State): Promise<State | undefined> {
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            if (inputs.algorithm !== "ECDSA") throw new Error(`tls values: unsupported key algorithm ${String(inputs.algorithm)}`);
            return ecdsaKey(String(inputs.ecdsaCurve ?? "P224"));
        case "tls:index/selfSignedCert:SelfSignedCert":
            return { certPem: await selfSignedCert(inputs) };
        default:
            return undefined;
    }
}

/** `base` with real tls keys and certificates in place of its values for them. */
export function withRealTls(base: pulumi.runtime.Mocks = offlineMocks): pulumi.runtime.Mocks {
    return {
        async newResource(args) {
            const result = await base.newResource(args);
            // Inputs as the provider receives them: secrets (the key's PEM) in plaintext.
            const real = await realTlsState(args.type, plainValue(args.inputs, true) as State);
            return real ? { ...result, state: { ...result.state, ...real } } : result;
        },
        call: (args) => base.call(args),
    };
}
