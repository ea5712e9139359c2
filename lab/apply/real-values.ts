// Mocks that give the program what the providers would compute for a real `pulumi up` of dev: random
// passwords, an ECDSA key and a self-signed certificate for the dev domain (lib/tls-values.ts), and
// the ids of images really built on the lab's engine. Everything else is the offline plan's mock.
import { randomBytes, randomInt } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { mocks as offlineMocks } from "../../lib/mocks";
import { plainValue } from "../../lib/property-values";
import { withRealTls } from "../../lib/tls-values";

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

/** The mocks, building images with `build` (which returns the built image's id). */
export function realValueMocks(build: (request: ImageBuildRequest) => Promise<string>): pulumi.runtime.Mocks {
    return withRealTls({
        async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
            const offline = await offlineMocks.newResource(args);
            // Inputs as the provider receives them: secrets in plaintext.
            const inputs = plainValue(args.inputs, true) as State;
            switch (args.type) {
                case "random:index/randomPassword:RandomPassword":
                    return { id: offline.id, state: { ...offline.state, result: password(Number(inputs.length)) } };
                // New random bytes for each new set of keepers (remembered while they stay the same).
                case "random:index/randomId:RandomId":
                    return { id: offline.id, state: { ...offline.state, hex: randomBytes(Number(inputs.byteLength)).toString("hex") } };
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
    });
}
