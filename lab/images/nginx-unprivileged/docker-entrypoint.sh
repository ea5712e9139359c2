#!/bin/sh
# The lab nginx image's entrypoint: like the upstream one, it runs /docker-entrypoint.d/*.sh before
# starting nginx (the image ships none; the stack adds none) and otherwise execs its arguments.
set -e
if [ "$1" = nginx ] || [ "$1" = nginx-debug ]; then
    for f in /docker-entrypoint.d/*.sh; do
        [ -x "$f" ] && "$f"
    done
fi
exec "$@"
