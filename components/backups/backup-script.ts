// The dev backup job: a daily pg_dump in custom format, verified with pg_restore --list before it
// counts, renamed into place atomically, with the design's retention (osint-backup.sh says how).

import * as fs from "node:fs";
import * as path from "node:path";

export const BACKUP_DIR = "/backups";
export const SECONDS_PER_DAY = 86400;
/** After a failed run, the next try comes this much later (not a day). */
export const RETRY_SECONDS = 900;

/** osint-backup's exit codes in `once` mode. */
export const BACKUP_EXIT = { ok: 0, dumpFailed: 1, verifyFailed: 2, badConfiguration: 3 } as const;

export function renderBackupScript(): string {
    return fs.readFileSync(path.join(__dirname, "osint-backup.sh"), "utf8").replaceAll("@BACKUP_DIR@", BACKUP_DIR);
}
