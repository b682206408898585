#!/usr/bin/env bash
# prepare.sh CONTEXT CACHE: uv and uvx from PyPI's uv 0.5.31 manylinux wheel (the same binaries
# astral-sh publishes in ghcr.io/astral-sh/uv:0.5).
set -Eeuo pipefail
ctx=$1
cache=$2/pypi
VERSION=0.5.31
mkdir -p "$cache"
whl=$(ls "$cache"/uv-$VERSION-*manylinux*x86_64*.whl 2>/dev/null | head -1 || true)
if [ -z "$whl" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64 \
        --python-version 3.11 -d "$cache" "uv==$VERSION"
    whl=$(ls "$cache"/uv-$VERSION-*manylinux*x86_64*.whl | head -1)
fi
python3 - "$whl" "$ctx" <<'PY'
import sys, zipfile, os
whl, ctx = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(whl) as z:
    for name in z.namelist():
        base = os.path.basename(name)
        if "/scripts/" in name and base in ("uv", "uvx"):
            with open(os.path.join(ctx, base), "wb") as f:
                f.write(z.read(name))
            os.chmod(os.path.join(ctx, base), 0o755)
PY
test -x "$ctx/uv" && test -x "$ctx/uvx"
