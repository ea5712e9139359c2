// The dev backup job: a daily pg_dump in custom format, verified before it counts, with the
// design's retention. Each dump is written under a temporary name and renamed only once
// pg_restore can read it, so a failed run never replaces or prunes a good dump.

export const BACKUP_DIR = "/backups";
export const SECONDS_PER_DAY = 86400;

export function renderBackupScript(): string {
    return `#!/bin/sh
# Rendered by osint-platform (components/backups/backup-script.ts). Do not edit.
# Environment: PGHOST PGPORT PGUSER PGDATABASE PGPASSFILE BACKUP_RETENTION_DAYS BACKUP_INTERVAL_SECONDS
set -eu
dir=${BACKUP_DIR}
backup_once() {
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    partial="$dir/.$PGDATABASE-$stamp.dump.partial"
    final="$dir/$PGDATABASE-$stamp.dump"
    if pg_dump --format=custom --file="$partial" && pg_restore --list "$partial" >/dev/null; then
        mv "$partial" "$final"
        echo "{\\"event\\":\\"backup_succeeded\\",\\"file\\":\\"$final\\"}"
        # Prune dumps older than the retention window, never the newest good one.
        find "$dir" -maxdepth 1 -name "$PGDATABASE-*.dump" -mtime +"$((BACKUP_RETENTION_DAYS - 1))" ! -path "$final" -exec rm -f {} +
    else
        rm -f "$partial"
        echo "{\\"event\\":\\"backup_failed\\",\\"database\\":\\"$PGDATABASE\\"}" >&2
        return 1
    fi
}
while true; do
    backup_once || true
    sleep "$BACKUP_INTERVAL_SECONDS"
done
`;
}
