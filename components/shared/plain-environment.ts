// Container environments carry settings only: a Pulumi secret there would land in plaintext in the
// container's configuration, so it stops the program with where the value should go instead.
import * as pulumi from "@pulumi/pulumi";

/** `env` as resolved name/value pairs, failing on any value that is a Pulumi secret. */
export function plainEnvironment(
    service: string,
    env: Readonly<Record<string, pulumi.Input<string>>>,
    remedy: (name: string) => string,
): pulumi.Output<{ name: string; value: string }[]> {
    return pulumi.all(
        Object.entries(env).map(([name, value]) => {
            // A plain string cannot be a secret; only outputs (and promises) need looking into.
            if (typeof value === "string") return { name, value };
            const output = pulumi.output(value);
            return pulumi.output(pulumi.isSecret(output)).apply((secret) => {
                if (secret) throw new Error(`${service}: environment variable ${name} would carry a secret; ${remedy(name)}`);
                return output.apply((v) => ({ name, value: v }));
            });
        }),
    );
}
