#!/bin/sh
# Rendered from components/database/roles.ts by `npm run render-db-init`. Do not edit.
# Sourced by the postgres image's entrypoint (or run by hand): sets each role's password from the
# file named by OSINT_MIGRATOR_PASSWORD_FILE, OSINT_APP_PASSWORD_FILE, OSINT_READONLY_PASSWORD_FILE.
# The password never reaches a command line, the server log or pg_stat_statements: it travels as
# a SELECT parameter (not logged as DDL, normalised by pg_stat_statements) and the ALTER ROLE runs
# nested in a DO block, which neither logs. Works as a superuser and as RDS's master user.
for osint_role in osint_migrator osint_app osint_readonly; do
    osint_variable="$(echo "$osint_role" | tr '[:lower:]' '[:upper:]')_PASSWORD_FILE"
    eval "osint_file=\${$osint_variable:-}"
    if [ -z "$osint_file" ] || [ ! -r "$osint_file" ] || [ ! -s "$osint_file" ]; then
        echo "database init: $osint_variable must name a readable, non-empty password file (got '$osint_file')" >&2
        exit 1
    fi
    OSINT_PASSWORD_FILE="$osint_file" psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-osint_platform}" \
        --set=role="$osint_role" --quiet <<'SQL' || exit 1
\set password `cat "$OSINT_PASSWORD_FILE"`
SELECT set_config('osint.role', :'role', false), set_config('osint.password', :'password', false) \gset osint_ignored_
DO $$ BEGIN EXECUTE format('ALTER ROLE %I WITH PASSWORD %L', current_setting('osint.role'), current_setting('osint.password')); END $$;
SELECT set_config('osint.password', '', false) \gset osint_ignored_
SQL
done
unset osint_role osint_variable osint_file
