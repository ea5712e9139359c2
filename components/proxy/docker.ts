import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { dockerAttachment } from "../network";
import { CONFIG_ROOT, SECRETS_DIR, hardenedContainer, pinnedImage } from "../docker/container";
import { thirdPartyImages } from "../shared/images";
import type { ProxyArgs, ProxyEndpoint } from "./index";
import { renderNginxConf } from "./nginx-conf";
import { wgetProbe } from "../shared/probes";

// The unprivileged image listens above 1024; Docker publishes the host's ports onto these.
export const LISTEN_HTTP = 8080;
export const LISTEN_HTTPS = 8443;
// Under /etc/osint (a volume), not the image's /etc/nginx: the root file system stays read-only.
export const CONFIG_PATH = `${CONFIG_ROOT}/nginx/nginx.conf`;
export const CERTIFICATE_PATH = `${CONFIG_ROOT}/nginx/tls/dev.crt`;
export const CERTIFICATE_VALIDITY_HOURS = 24 * 365;

export function dockerProxy(name: string, args: ProxyArgs, parent: pulumi.ComponentResource): ProxyEndpoint {
    const networks = dockerAttachment(args.network, "osint:edge:ReverseProxy");
    // A self-signed development certificate; browsers will ask to trust it once.
    const key = new tls.PrivateKey(`${name}-tls-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent });
    const certificate = new tls.SelfSignedCert(
        `${name}-tls-certificate`,
        {
            privateKeyPem: key.privateKeyPem,
            subject: { commonName: args.domainName, organization: "osint-platform development" },
            dnsNames: [args.domainName],
            validityPeriodHours: CERTIFICATE_VALIDITY_HOURS,
            allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
        },
        { parent },
    );
    const config = renderNginxConf({
        serverName: args.domainName,
        listenHttp: LISTEN_HTTP,
        listenHttps: LISTEN_HTTPS,
        publicHttpsPort: args.httpsPort,
        certificatePath: CERTIFICATE_PATH,
        keyPath: `${SECRETS_DIR}/tls.key`,
        rateLimitPerSecond: args.rateLimitPerSecond,
        rateLimitBurst: args.rateLimitBurst,
        clientMaxBodyMb: 10,
        frontend: args.frontend,
        backend: args.backend,
        grafana: args.grafana,
        resolver: "127.0.0.11",
        pidPath: "/tmp/nginx.pid",
        tempDir: "/tmp",
        errorLog: "/dev/stderr",
        accessLog: "/dev/stdout",
    });
    const image = pinnedImage(`${name}-image`, thirdPartyImages.nginx.reference, parent);
    hardenedContainer(
        `${name}-container`,
        {
            service: "nginx",
            image: image.imageId,
            user: thirdPartyImages.nginx.user,
            size: args.size,
            networks,
            edge: {
                ports: [
                    { internal: LISTEN_HTTP, external: args.httpPort },
                    { internal: LISTEN_HTTPS, external: args.httpsPort },
                ],
                address: args.publishAddress,
            },
            configFiles: [
                { path: CONFIG_PATH, content: config },
                { path: CERTIFICATE_PATH, content: certificate.certPem },
            ],
            secretFiles: [{ name: "tls.key", content: key.privateKeyPem }],
            // The image's entrypoint runs its scripts (each skips what it cannot write), then this.
            command: ["nginx", "-c", CONFIG_PATH, "-g", "daemon off;"],
            healthcheck: wgetProbe(LISTEN_HTTP, "/nginx-health"),
            dependsOn: args.dependsOn,
        },
        parent,
    );
    const port = args.httpsPort === 443 ? "" : `:${args.httpsPort}`;
    return { url: pulumi.output(`https://${args.domainName}${port}`) };
}
