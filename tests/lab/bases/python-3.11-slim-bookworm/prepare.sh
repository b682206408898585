#!/usr/bin/env bash
# prepare.sh CONTEXT CACHE: puts CPython's upstream tarball into the build context as python.tar.gz.
# It comes from Debian's source package (python.org is unreachable here): a private deb-src list
# under CACHE, so the host's apt configuration is left alone.
set -Eeuo pipefail
ctx=$1
src=$2/src
mkdir -p "$src/lists/partial"
if ! ls "$src"/python3.11_*.orig.tar.gz > /dev/null 2>&1; then
    cat > "$src/src.sources" <<EOT
Types: deb-src
URIs: ${LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
    opts=(-o "Dir::Etc::SourceList=$src/src.sources" -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$src/lists")
    apt-get "${opts[@]}" update -qq
    (cd "$src" && apt-get "${opts[@]}" source --download-only python3.11)
fi
ln -f "$(ls "$src"/python3.11_*.orig.tar.gz | head -1)" "$ctx/python.tar.gz" 2>/dev/null \
    || cp "$(ls "$src"/python3.11_*.orig.tar.gz | head -1)" "$ctx/python.tar.gz"
