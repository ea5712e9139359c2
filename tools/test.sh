#!/usr/bin/env bash
# npm test: the static checks, the suite under coverage, and the Docker end-to-end test beside them.
# The e2e spends most of its minutes waiting (for Debian's packages, image builds, and health probes
# 30 s apart), so it runs beside the other two instead of after them: a fresh clone's `npm test`
# then fits issue 20's 9 minutes. Its report is held in a file and printed whole once the suite has
# printed its own, so the two never interleave. Every step runs even when another failed; the exit
# code is 0 only when all three passed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

report=$(mktemp "${TMPDIR:-/tmp}/osint-e2e-report.XXXXXX")
e2e=
step=

# On Ctrl-C or SIGTERM: stop the step in progress, pass the signal on to the e2e (which tears its
# engine down; a Ctrl-C at the terminal has reached it already, and it ignores the repeat) and exit
# only once it has gone. Every step runs in the background and is waited for, because bash runs a
# trap only between commands, and a foreground step would hold the signal for minutes.
# shellcheck disable=SC2317 # called by the traps
stop() {
    trap '' INT TERM
    if [ -n "$step" ]; then kill -s TERM "$step" 2>/dev/null; fi
    if [ -n "$e2e" ]; then
        kill -s "$1" "$e2e" 2>/dev/null
        wait "$e2e"
    fi
    rm -f "$report"
    exit "$2"
}
trap 'stop INT 130' INT
trap 'stop TERM 143' TERM

run() {
    "$@" &
    step=$!
    wait "$step"
}

npm run -s test:dev-stack >"$report" 2>&1 &
e2e=$!

run npm run static
static=$?
run npm run coverage
coverage=$?

echo
echo "The Docker end-to-end test (npm run test:dev-stack), which ran beside the suite (its report follows when it ends):"
wait "$e2e"
e2e_status=$?
cat "$report"
rm -f "$report"

[ "$static" -eq 0 ] && [ "$coverage" -eq 0 ] && exit "$e2e_status"
exit 1
