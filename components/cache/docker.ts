import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { dockerAttachment } from "../network";
import { SECRETS_DIR, hardenedContainer, namedVolume, pinnedImage } from "../docker/container";
import { thirdPartyImages } from "../shared/images";
import type { CacheArgs, CacheEndpoint } from "./index";
import { REDIS_CONFIG_PATH, renderRedisConf } from "./redis-conf";
import { REDIS_PORT } from "../service/catalog";

const AUTH_INCLUDE = `${SECRETS_DIR}/redis_auth.conf`;

export function dockerCache(name: string, args: CacheArgs, parent: pulumi.ComponentResource): CacheEndpoint {
    const networks = dockerAttachment(args.network, "osint:data:Cache");
    const password = pulumi.secret(new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent }).result);
    const image = pinnedImage(`${name}-image`, thirdPartyImages.redis.reference, parent);
    const data = namedVolume(`${name}-data`, "redis_data", parent);
    hardenedContainer(
        `${name}-container`,
        {
            service: "redis",
            image: image.imageId,
            user: thirdPartyImages.redis.user,
            size: args.size,
            networks,
            command: ["redis-server", REDIS_CONFIG_PATH],
            configFiles: [
                {
                    path: REDIS_CONFIG_PATH,
                    content: renderRedisConf({ containerMemoryMb: args.size.memoryMb, port: REDIS_PORT, dataDir: "/data", authInclude: AUTH_INCLUDE }),
                },
            ],
            secretFiles: [
                { name: "redis_auth.conf", content: pulumi.interpolate`requirepass ${password}\n` },
                { name: "redis_password", content: password },
            ],
            volumes: [{ volume: data, containerPath: "/data" }],
            // REDISCLI_AUTH keeps the password off the command line (and out of `ps`).
            healthcheck: ["CMD-SHELL", `REDISCLI_AUTH="$(cat ${SECRETS_DIR}/redis_password)" redis-cli -p ${REDIS_PORT} ping | grep -q PONG`],
        },
        parent,
    );
    return { host: pulumi.output("redis"), port: REDIS_PORT, password, tls: false };
}
