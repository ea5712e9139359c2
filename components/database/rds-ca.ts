// How database clients on AWS verify the server (sslmode=verify-full): the RDS certificate bundle of
// the stack's region, from the address AWS documents (RDS user guide, "Using SSL/TLS to encrypt a
// connection to a DB instance": https://truststore.pki.rds.amazonaws.com/<region>/<region>-bundle.pem).
// The deployment fetches it once (tasks have no internet route) and hands it to every client task as
// plain environment (it is public); the client writes it to a file and points libpq at it.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export const CA_BUNDLE_FILE = "rds-ca-bundle.pem";
/** Where an application task writes the bundle: its /tmp, a volume the image declares (docs/image-contract.md). */
export const CA_BUNDLE_PATH = `/tmp/${CA_BUNDLE_FILE}`;
/** The environment variable carrying the bundle's PEM text. */
export const CA_BUNDLE_VARIABLE = "RDS_CA_BUNDLE";

// Fails the deployment unless the answer holds a PEM certificate (never an HTML error page).
const FETCH = `set -euo pipefail
url="https://truststore.pki.rds.amazonaws.com/$REGION/$REGION-bundle.pem"
bundle=$(curl -fsS --retry 3 --max-time 60 "$url")
case "$bundle" in
  *"-----BEGIN CERTIFICATE-----"*) printf '%s\\n' "$bundle" ;;
  *) echo "no PEM certificate at $url" >&2; exit 1 ;;
esac
`;

/** The region's RDS CA bundle (PEM), fetched where `pulumi up` runs (needs curl) when the region changes. */
export function rdsCaBundle(name: string, region: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Output<string> {
    const fetched = new command.local.Command(
        name,
        { create: FETCH, interpreter: ["/bin/bash", "-c"], environment: { REGION: region }, triggers: [region] },
        { parent },
    );
    return fetched.stdout;
}

/**
 * The application image contract (docs/aws-security.md): connect with DB_SSLMODE, verifying the
 * server against the file DB_SSLROOTCERT, which the entrypoint writes from RDS_CA_BUNDLE first.
 */
export function verifyFullEnvironment(caBundle: pulumi.Input<string>): Readonly<Record<string, pulumi.Input<string>>> {
    return { DB_SSLMODE: "verify-full", DB_SSLROOTCERT: CA_BUNDLE_PATH, [CA_BUNDLE_VARIABLE]: caBundle };
}
