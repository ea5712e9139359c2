import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { dockerAttachment } from "../network";
import { SECRETS_DIR, hardenedContainer, namedVolume, pinnedImage } from "../docker/container";
import { thirdPartyImages } from "../shared/images";
import type { DatabaseArgs, DatabaseEndpoint } from "./index";
import { DATABASE_NAME, roles, SUPERUSER, type Role } from "./roles";
import { commandLineArguments, settingsFor } from "./settings";
import { DATABASE_PORT } from "../service/catalog";

export const DATA_VOLUME = "postgres_data";

function password(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    // Alphanumeric only: safe in connection URIs and .pgpass without escaping.
    return pulumi.secret(new random.RandomPassword(name, { length: 32, special: false }, { parent }).result);
}

export function dockerDatabase(name: string, args: DatabaseArgs, parent: pulumi.ComponentResource): DatabaseEndpoint {
    const networks = dockerAttachment(args.network, "osint:data:Database");
    const superuserPassword = password(`${name}-superuser-password`, parent);
    const rolePasswords = Object.fromEntries(roles.map((role) => [role, password(`${name}-${role}-password`, parent)])) as Record<Role, pulumi.Output<string>>;
    const image = pinnedImage(`${name}-image`, thirdPartyImages.postgres.reference, parent);
    const data = namedVolume(`${name}-data`, DATA_VOLUME, parent);

    const roleFileVariables = Object.fromEntries(roles.map((role) => [`${role.toUpperCase()}_PASSWORD_FILE`, `${SECRETS_DIR}/${role}_password`]));
    hardenedContainer(
        `${name}-container`,
        {
            service: "database",
            image: image.imageId,
            user: thirdPartyImages.postgres.user,
            size: args.size,
            networks,
            command: ["postgres", ...commandLineArguments(settingsFor(args.environment))],
            env: {
                POSTGRES_DB: DATABASE_NAME,
                POSTGRES_USER: SUPERUSER,
                POSTGRES_PASSWORD_FILE: `${SECRETS_DIR}/${SUPERUSER}_password`,
                PGDATA: "/var/lib/postgresql/data/pgdata",
                ...roleFileVariables,
            },
            secretFiles: [
                { name: `${SUPERUSER}_password`, content: superuserPassword },
                ...roles.map((role) => ({ name: `${role}_password`, content: rolePasswords[role] })),
            ],
            volumes: [{ volume: data, containerPath: "/var/lib/postgresql/data" }],
            bindMounts: [{ hostPath: args.initScriptsDir, containerPath: "/docker-entrypoint-initdb.d", readOnly: true }],
            healthcheck: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", SUPERUSER, "-d", DATABASE_NAME],
            // The server's socket and lock file; its data lives in the volume.
            writablePaths: ["/var/run/postgresql"],
        },
        parent,
    );
    return { host: pulumi.output("database"), port: DATABASE_PORT, superuserPassword: () => superuserPassword, rolePasswords };
}
