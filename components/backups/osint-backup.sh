#!/bin/sh
# osint-backup: the dev database's backup job (POSIX sh; runs in postgres:15-alpine's busybox).
# Rendered into the backups container by components/backups/backup-script.ts.
#
# Usage: osint-backup [once]
#   once     one dump, verified, then pruning; exits 0 when the dump is good, 1 when pg_dump
#            failed, 2 when the dump does not verify, 3 on bad configuration.
#   (none)   the same every BACKUP_INTERVAL_SECONDS (daily); after a failure, again after
#            BACKUP_RETRY_SECONDS.
# Environment: PGHOST PGPORT PGUSER PGDATABASE PGPASSFILE (libpq), BACKUP_RETENTION_DAYS,
#   BACKUP_INTERVAL_SECONDS, BACKUP_RETRY_SECONDS (default 900), BACKUP_DIR (default @BACKUP_DIR@),
#   BACKUP_NOW (seconds since the epoch instead of the clock: for tests and drills),
#   BACKUP_WAIT_SECONDS (default 0: how long to wait for the server to accept connections first,
#   for a job that may start while the database is still initialising),
#   BACKUP_METRICS_DIR (optional: after each verified dump, @BACKUP_METRIC@ is written there
#   atomically in Prometheus's text format, for the textfile collector that Prometheus scrapes).
#
# A dump is written under a hidden temporary name in the backup directory, read back with
# pg_restore --list, and only then renamed (atomic on one filesystem) to
# $PGDATABASE-YYYYmmddTHHMMSSZ.dump. Older dumps are pruned only after that, by the time in their
# name, never the dump just written: a failing run never removes a good dump.
set -u

dir="${BACKUP_DIR:-@BACKUP_DIR@}"

log() {
    printf '{"time":"%s","event":"%s"%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "${2:-}"
}

fail_config() {
    log config_invalid ",\"variable\":\"$1\",\"expected\":\"$2\",\"found\":\"$3\"" >&2
    exit 3
}

require_count() {
    case "$2" in
        '' | *[!0-9]* | 0) fail_config "$1" "a whole number of at least 1" "$2" ;;
    esac
}

require_count BACKUP_RETENTION_DAYS "${BACKUP_RETENTION_DAYS:-}"
case "${BACKUP_WAIT_SECONDS:-0}" in
    '' | *[!0-9]*) fail_config BACKUP_WAIT_SECONDS "a whole number of seconds" "$BACKUP_WAIT_SECONDS" ;;
esac
[ -n "${PGDATABASE:-}" ] || fail_config PGDATABASE "a database name" ""
if [ ! -d "$dir" ] || [ ! -w "$dir" ]; then fail_config BACKUP_DIR "a writable directory" "$dir"; fi
if [ -n "${BACKUP_METRICS_DIR:-}" ] && { [ ! -d "$BACKUP_METRICS_DIR" ] || [ ! -w "$BACKUP_METRICS_DIR" ]; }; then
    fail_config BACKUP_METRICS_DIR "a writable directory" "$BACKUP_METRICS_DIR"
fi

stamp_of() {
    date -u -d "@$1" +%Y%m%dT%H%M%SZ
}

prune() {
    now=$1 keep=$2
    cutoff=$(stamp_of $((now - BACKUP_RETENTION_DAYS * 86400)) | tr -d 'TZ')
    for file in "$dir/$PGDATABASE"-*.dump; do
        if [ ! -e "$file" ] || [ "$file" = "$keep" ]; then continue; fi
        stamp=${file##*/"$PGDATABASE"-}
        digits=$(printf '%s' "${stamp%.dump}" | tr -d 'TZ')
        case "$digits" in
            ?????????????? ) ;;
            *) continue ;; # not a name this job writes
        esac
        case "$digits" in *[!0-9]*) continue ;; esac
        if [ "$digits" -le "$cutoff" ]; then
            rm -f "$file" && log backup_pruned ",\"file\":\"$file\""
        fi
    done
}

# The metric's file appears whole or not at all; a failed run leaves the last success in place.
publish_success() {
    [ -n "${BACKUP_METRICS_DIR:-}" ] || return 0
    metrics="$BACKUP_METRICS_DIR/osint_backup.prom"
    if ! {
        printf '# HELP @BACKUP_METRIC@ Time of the last verified backup.\n# TYPE @BACKUP_METRIC@ gauge\n@BACKUP_METRIC@{database="%s"} %s\n' \
            "$PGDATABASE" "$1" >"$metrics.partial" && mv -f "$metrics.partial" "$metrics"
    }; then
        log metrics_failed ",\"file\":\"$metrics\"" >&2
    fi
}

wait_for_server() {
    [ "${BACKUP_WAIT_SECONDS:-0}" -gt 0 ] || return 0
    waited=0
    until pg_isready --quiet; do
        [ "$waited" -lt "${BACKUP_WAIT_SECONDS:-0}" ] || return 1
        sleep 1
        waited=$((waited + 1))
    done
}

backup_once() {
    if ! wait_for_server; then
        log backup_failed ",\"database\":\"$PGDATABASE\",\"step\":\"wait\",\"seconds\":${BACKUP_WAIT_SECONDS:-0}" >&2
        return 1
    fi
    now=${BACKUP_NOW:-$(date -u +%s)}
    stamp=$(stamp_of "$now") || fail_config BACKUP_NOW "seconds since the epoch" "$now"
    partial="$dir/.$PGDATABASE-$stamp.dump.partial"
    final="$dir/$PGDATABASE-$stamp.dump"
    rm -f "$partial"
    if ! pg_dump --format=custom --file="$partial"; then
        rm -f "$partial"
        log backup_failed ",\"database\":\"$PGDATABASE\",\"step\":\"pg_dump\"" >&2
        return 1
    fi
    if ! pg_restore --list "$partial" >/dev/null; then
        rm -f "$partial"
        log backup_failed ",\"database\":\"$PGDATABASE\",\"step\":\"verify\"" >&2
        return 2
    fi
    mv -f "$partial" "$final"
    log backup_succeeded ",\"file\":\"$final\",\"bytes\":$(wc -c <"$final" | tr -d ' ')"
    publish_success "$now"
    prune "$now" "$final"
}

case "${1:-}" in
    once)
        backup_once
        exit $?
        ;;
    '')
        require_count BACKUP_INTERVAL_SECONDS "${BACKUP_INTERVAL_SECONDS:-}"
        require_count BACKUP_RETRY_SECONDS "${BACKUP_RETRY_SECONDS:-900}"
        while :; do
            if backup_once; then sleep "$BACKUP_INTERVAL_SECONDS"; else sleep "${BACKUP_RETRY_SECONDS:-900}"; fi
        done
        ;;
    *)
        fail_config argument "once or nothing" "$1"
        ;;
esac
