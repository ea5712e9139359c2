#!/bin/sh
# The lab redis image's entrypoint, as docker-library/redis's: a flag or a .conf file as the first
# argument means redis-server; umask 0077 unless one is set (docker-library/redis#305).
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi
if [ "$(umask)" = '0022' ]; then
    umask 0077
fi
exec "$@"
