#!/usr/bin/env bash
# Provisions what the tests and static checks start or run on this machine: PostgreSQL 15, nginx,
# redis-server, promtool, busybox (the backup script is tested in postgres:15-alpine's shell and
# tools) and shellcheck; and, optional, docker.io and mmdebstrap for the Docker end-to-end test. `npm test` runs it first (pretest), and so do .ci/run and the workflow: this
# list is the only one. As root with apt-get, it installs what is missing from Debian; otherwise it
# stops at once with one message naming what is missing and the command that installs it.
# PG_BIN (as tools/local-postgres.ts reads it) and PROVISION_SEARCH_PATH (where programs are
# looked for; default PATH and the sbin directories a user's PATH may lack) move the probes.
set -euo pipefail

pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
search_path="${PROVISION_SEARCH_PATH:-$PATH:/usr/sbin:/sbin}"

found() {
    local dir dirs
    IFS=: read -ra dirs <<<"$search_path"
    for dir in "${dirs[@]}"; do
        [ -n "$dir" ] && [ -x "$dir/$1" ] && return 0
    done
    return 1
}

# Debian package(s) for each program the tests need.
missing=()
# The Docker end-to-end test's (tests/e2e/dev-stack.test.ts): an engine it can start (when none is
# installed: an engine that is there, e.g. a CI runner's, stays) and the lab base images' builder.
# Optional: installed as root where apt has them; without them that test skips, or fails under CI.
optional=()
found dockerd || optional+=(docker.io)
found mmdebstrap || optional+=(mmdebstrap)
found nginx || missing+=(nginx-light)
found redis-server || missing+=(redis-server)
found promtool || missing+=(prometheus)
[ -x "$pg_bin/postgres" ] || missing+=(postgresql-15 postgresql-client-15)
found busybox || missing+=(busybox)
found shellcheck || missing+=(shellcheck)

root=false
[ "$(id -u)" -eq 0 ] && root=true

if [ ${#missing[@]} -gt 0 ]; then
    if $root && command -v apt-get >/dev/null 2>&1; then
        echo "provision: installing from Debian: ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        sudo=""
        $root || sudo="sudo "
        echo "provision: the tests need programs this machine lacks (${missing[*]}); install them (Debian 12 names) with: ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
fi

if [ ${#optional[@]} -gt 0 ]; then
    if $root && command -v apt-get >/dev/null 2>&1; then
        echo "provision: installing from Debian for the Docker end-to-end test: ${optional[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        [ ${#missing[@]} -gt 0 ] || apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null ||
            echo "provision: could not install ${optional[*]}; the Docker end-to-end test will say why it cannot run" >&2
    else
        echo "provision: optional for the Docker end-to-end test, missing: ${optional[*]} (as root: apt-get install -y --no-install-recommends ${optional[*]})" >&2
    fi
fi

# PostgreSQL refuses to run as root: as root, the tests run their servers as this unprivileged user.
if $root && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi
