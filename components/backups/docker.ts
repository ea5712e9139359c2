import * as pulumi from "@pulumi/pulumi";
import { dockerAttachment } from "../network";
import { SECRETS_DIR, hardenedContainer, namedVolume, pinnedImage } from "../shared/docker-container";
import { thirdPartyImages } from "../shared/images";
import { BACKUP_DIR, renderBackupScript, RETRY_SECONDS, SECONDS_PER_DAY } from "./backup-script";
import type { BackupsArgs, BackupsEndpoint } from "./index";

export const BACKUP_VOLUME = "postgres_backups";
const SCRIPT_PATH = "/usr/local/bin/osint-backup";

export function dockerBackups(name: string, args: BackupsArgs, parent: pulumi.ComponentResource): BackupsEndpoint {
    const networks = dockerAttachment(args.network, "osint:data:Backups");
    const db = args.database;
    const image = pinnedImage(`${name}-image`, thirdPartyImages.postgres.reference, parent);
    const volume = namedVolume(`${name}-volume`, BACKUP_VOLUME, parent);
    hardenedContainer(
        `${name}-container`,
        {
            service: "backups",
            image: image.imageId,
            user: thirdPartyImages.postgres.user,
            size: args.size,
            networks,
            entrypoint: [SCRIPT_PATH],
            env: {
                PGHOST: db.host,
                PGPORT: String(db.port),
                PGUSER: db.user,
                PGDATABASE: db.name,
                PGPASSFILE: `${SECRETS_DIR}/pgpass`,
                BACKUP_RETENTION_DAYS: String(args.retentionDays),
                BACKUP_INTERVAL_SECONDS: String(SECONDS_PER_DAY),
                BACKUP_RETRY_SECONDS: String(RETRY_SECONDS),
            },
            // .pgpass matches any host: the password must not depend on how the name resolves.
            secretFiles: [{ name: "pgpass", content: pulumi.interpolate`*:${db.port}:${db.name}:${db.user}:${db.password}\n` }],
            configFiles: [{ path: SCRIPT_PATH, content: renderBackupScript(), executable: true }],
            volumes: [{ volume, containerPath: BACKUP_DIR }],
            // Healthy while the newest dump is younger than a day and two hours.
            healthcheck: ["CMD-SHELL", `find ${BACKUP_DIR} -maxdepth 1 -name '${db.name}-*.dump' -mmin -${(SECONDS_PER_DAY / 60) + 120} | grep -q .`],
            dependsOn: args.dependsOn,
        },
        parent,
    );
    return { location: pulumi.output(`docker volume ${BACKUP_VOLUME}`) };
}
