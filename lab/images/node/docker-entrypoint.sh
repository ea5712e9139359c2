#!/bin/sh
# The lab node image's entrypoint, as docker-node's: a flag, a command that does not exist or a
# non-executable file as the first argument runs under node.
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
    set -- node "$@"
fi
exec "$@"
