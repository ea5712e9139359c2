// The dev backup job: a daily pg_dump in custom format, verified with pg_restore --list before it
// counts, renamed into place atomically, with the design's retention (osint-backup.sh says how).

import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_ROOT, SECRETS_DIR, type SecretFile } from "../docker/container";

/**
 * Where the dumps' volume is mounted in the postgres image: its user's home, which the image creates
 * postgres-owned 1777, so Docker gives a fresh volume mounted there that owner and mode (thirdPartyImages
 * .postgres.directories). At a path the image lacks (the former /backups) the volume would stay
 * root:root 0755, writable by root alone.
 *
 * The migration's backup step (uid 70) writes it as its owner; the daily backup, under a uid of its
 * own (thirdPartyImages.postgres.backupUser), through its world bits. Nothing narrower is on offer
 * without a root process: Docker gives a volume only its image directory's owner and mode, this
 * image creates no other directory an unprivileged uid can write (its $PGDATA is 1777 too, /tmp
 * root's 1777), and the local driver's `uid=` mount option suits tmpfs, which would not keep a dump.
 * The sticky bit keeps every other uid from removing or replacing the backup's files, and no other
 * container mounts the volume writable.
 */
export const BACKUP_DIR = "/var/lib/postgresql";
/** Where the script lands in the postgres image: a directory of ours, so the root stays read-only. */
export const BACKUP_SCRIPT_PATH = `${CONFIG_ROOT}/bin/osint-backup`;
export const SECONDS_PER_DAY = 86400;
/** After a failed run, the next try comes this much later (not a day). */
export const RETRY_SECONDS = 900;

/** Time of the last verified dump, which the script publishes for Prometheus's textfile collector. */
export const BACKUP_METRIC = "osint_backup_last_success_timestamp_seconds";
/**
 * Where the script writes that metric: its own volume (the exporter mounts it read-only, without the
 * dumps), at the image's socket directory, postgres-owned 3777, for the reasons BACKUP_DIR gives.
 * The exporter's uid reads the file through its world bits: the script leaves Docker's umask (022).
 */
export const BACKUP_METRICS_DIR = "/var/run/postgresql";

/** osint-backup's exit codes in `once` mode. */
export const BACKUP_EXIT = { ok: 0, dumpFailed: 1, verifyFailed: 2, badConfiguration: 3 } as const;

export function renderBackupScript(): string {
    return fs.readFileSync(path.join(__dirname, "osint-backup.sh"), "utf8").replaceAll("@BACKUP_DIR@", BACKUP_DIR).replaceAll("@BACKUP_METRIC@", BACKUP_METRIC);
}

/** A database and the role that dumps (or seeds) it. */
export interface DatabaseLogin {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly password: pulumi.Output<string>;
}

/** The libpq settings a client container reads, its password from the `pgpassFile` secret. */
export function libpqEnvironment(db: DatabaseLogin): Record<string, pulumi.Input<string>> {
    return { PGHOST: db.host, PGPORT: String(db.port), PGUSER: db.user, PGDATABASE: db.name, PGPASSFILE: `${SECRETS_DIR}/pgpass` };
}

/** .pgpass for `db`; it matches any host, so the password does not depend on how the name resolves. */
export function pgpassFile(db: DatabaseLogin): SecretFile {
    return { name: "pgpass", content: pulumi.interpolate`*:${db.port}:${db.name}:${db.user}:${db.password}\n` };
}
