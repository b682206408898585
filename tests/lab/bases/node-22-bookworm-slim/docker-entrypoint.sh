#!/bin/sh
set -e
# Like docker-node's entrypoint: when the first argument is an option (-e, --version) or not a
# command on PATH (a script such as app.js), run it with node.
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1" || true)" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
