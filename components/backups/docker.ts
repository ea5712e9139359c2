import * as pulumi from "@pulumi/pulumi";
import { dockerAttachment } from "../network";
import { hardenedContainer, namedVolume, pinnedImage } from "../docker/container";
import { thirdPartyImages } from "../shared/images";
import {
    BACKUP_DIR,
    BACKUP_METRICS_DIR,
    BACKUP_SCRIPT_PATH,
    libpqEnvironment,
    pgpassFile,
    renderBackupScript,
    RETRY_SECONDS,
    SECONDS_PER_DAY,
} from "./backup-script";
import type { BackupsArgs, BackupsEndpoint } from "./index";
import { wgetProbe } from "../shared/probes";
import { BACKUP_METRICS_PORT } from "../service/catalog";
import { DATABASE_START_SECONDS } from "../database/migration-job";

export const BACKUP_VOLUME = "postgres_backups";
export const BACKUP_METRICS_SERVICE = "backup-metrics";
/** Where the exporter reads the metric's volume: a path its image lacks, so it never fills the volume (the writer's image does). */
export const TEXTFILE_DIR = "/metrics";

export function dockerBackups(name: string, args: BackupsArgs, parent: pulumi.ComponentResource): BackupsEndpoint {
    const networks = dockerAttachment(args.network, "osint:data:Backups");
    const db = args.database;
    const image = pinnedImage(`${name}-image`, thirdPartyImages.postgres.reference, parent);
    const volume = namedVolume(`${name}-volume`, BACKUP_VOLUME, parent);
    // The metric has its own volume: the exporter reads it without seeing the dumps.
    const metrics = namedVolume(`${name}-metrics-volume`, "backup_metrics", parent);
    hardenedContainer(
        `${name}-container`,
        {
            service: "backups",
            image: image.imageId,
            // Not the database's uid 70: RLIMIT_NPROC counts per uid host-wide. The uid has no passwd
            // entry in the image, and needs none: libpq takes the role from PGUSER and the password
            // from PGPASSFILE (uploaded owned by this uid, 0400), so it never looks for a home
            // directory's .pgpass; nothing else the script runs asks who it is.
            user: thirdPartyImages.postgres.backupUser,
            size: args.size,
            networks,
            entrypoint: [BACKUP_SCRIPT_PATH],
            env: {
                ...libpqEnvironment(db),
                BACKUP_RETENTION_DAYS: String(args.retentionDays),
                BACKUP_INTERVAL_SECONDS: String(SECONDS_PER_DAY),
                BACKUP_RETRY_SECONDS: String(RETRY_SECONDS),
                // The first dump runs while a new database may still be initialising: wait for it as
                // the migration's backup does, rather than fail and retry only RETRY_SECONDS later.
                BACKUP_WAIT_SECONDS: String(DATABASE_START_SECONDS),
                BACKUP_METRICS_DIR,
            },
            secretFiles: [pgpassFile(db)],
            configFiles: [{ path: BACKUP_SCRIPT_PATH, content: renderBackupScript(), executable: true }],
            volumes: [
                { volume, containerPath: BACKUP_DIR },
                { volume: metrics, containerPath: BACKUP_METRICS_DIR },
            ],
            // Healthy while the newest dump is younger than a day and two hours.
            healthcheck: ["CMD-SHELL", `find ${BACKUP_DIR} -maxdepth 1 -name '${db.name}-*.dump' -mmin -${SECONDS_PER_DAY / 60 + 120} | grep -q .`],
            dependsOn: args.dependsOn,
        },
        parent,
    );
    // Publishes the script's success time for Prometheus (the design's backup-failure alert).
    const exporterImage = pinnedImage(`${name}-metrics-image`, thirdPartyImages.nodeExporter.reference, parent);
    hardenedContainer(
        `${name}-metrics`,
        {
            service: BACKUP_METRICS_SERVICE,
            image: exporterImage.imageId,
            user: thirdPartyImages.nodeExporter.user,
            size: args.metricsSize,
            networks,
            command: [
                "--collector.disable-defaults",
                "--collector.textfile",
                `--collector.textfile.directory=${TEXTFILE_DIR}`,
                `--web.listen-address=:${BACKUP_METRICS_PORT}`,
            ],
            volumes: [{ volume: metrics, containerPath: TEXTFILE_DIR, readOnly: true }],
            healthcheck: wgetProbe(BACKUP_METRICS_PORT, "/metrics"),
        },
        parent,
    );
    return { location: pulumi.output(`docker volume ${BACKUP_VOLUME}`) };
}
