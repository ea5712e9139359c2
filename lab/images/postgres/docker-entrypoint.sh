#!/usr/bin/env bash
# The lab postgres image's entrypoint: the behaviour of docker-library/postgres's docker-entrypoint.sh
# that the stack depends on (function names in brackets), for a container started with --user (the
# dev plan runs uid 70 under a read-only root, so the root-only branches are left out).
set -Eeo pipefail

# [file_env] VAR or VAR_FILE, not both.
from_file() {
    local var="$1" file_var="${1}_FILE" default="${2:-}"
    if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
        echo >&2 "error: both $var and $file_var are set (but are exclusive)"
        exit 1
    fi
    local value="$default"
    if [ -n "${!var:-}" ]; then value="${!var}"; elif [ -n "${!file_var:-}" ]; then value="$(<"${!file_var}")"; fi
    export "$var"="$value"
    unset "$file_var"
}

# [docker_process_sql]
run_sql() {
    local runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
    [ -n "$POSTGRES_DB" ] && runner+=(--dbname "$POSTGRES_DB")
    PGHOST='' PGHOSTADDR='' "${runner[@]}" "$@"
}

# [docker_process_init_files] .sh run when executable, else sourced; .sql through psql; others ignored.
run_init_files() {
    local f
    for f; do
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    echo "$0: running $f"
                    "$f"
                else
                    echo "$0: sourcing $f"
                    # shellcheck disable=SC1090
                    . "$f"
                fi
                ;;
            *.sql) echo "$0: running $f"; run_sql -f "$f" ;;
            *) echo "$0: ignoring $f" ;;
        esac
    done
}

# [_main] a first argument that looks like a flag means postgres.
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" = 'postgres' ]; then
    # [docker_setup_env]
    from_file POSTGRES_PASSWORD
    from_file POSTGRES_USER postgres
    from_file POSTGRES_DB "$POSTGRES_USER"
    from_file POSTGRES_INITDB_ARGS
    # [docker_create_db_directories]
    mkdir -p "$PGDATA"
    chmod 00700 "$PGDATA" || :
    # Only on an empty data directory: PG_VERSION marks an initialised one.
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        if [ -z "$POSTGRES_PASSWORD" ] && [ 'trust' != "${POSTGRES_HOST_AUTH_METHOD:-}" ]; then
            echo >&2 'error: database is uninitialized and superuser password is not specified'
            exit 1
        fi
        ls /docker-entrypoint-initdb.d/ >/dev/null
        # [docker_init_database_dir]
        # shellcheck disable=SC2086
        initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
        # [pg_setup_hba_conf] host connections use the configured password_encryption.
        shift
        auth="$(postgres -C password_encryption "$@")"
        set -- postgres "$@"
        printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-$auth}" >>"$PGDATA/pg_hba.conf"
        export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
        # [docker_temp_server_start] socket only, no TCP.
        PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "${@:2}") -c listen_addresses='' -p ${PGPORT:-5432}" -w start
        # [docker_setup_db]
        database="$POSTGRES_DB"
        if [ -z "$(POSTGRES_DB='' run_sql --dbname postgres --set db="$database" --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")" ]; then
            POSTGRES_DB='' run_sql --dbname postgres --set db="$database" <<<'CREATE DATABASE :"db";'
        fi
        run_init_files /docker-entrypoint-initdb.d/*
        # [docker_temp_server_stop]
        PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
        unset PGPASSWORD
        echo 'PostgreSQL init process complete; ready for start up.'
    else
        echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    fi
fi
exec "$@"
