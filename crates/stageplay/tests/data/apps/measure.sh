#!/bin/sh
# Measures the dependency installs of the two apps here, as tests/estimate_apps.rs compares them
# with the estimate (issue 19, acceptance 4). Needs python3 with pip and node with npm; prints
# TSV lines for MEASURED.tsv. Sizes are Docker's way: the bytes of every regular file.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
today="$(date -u +%Y-%m-%d)"
# FastAPI: the founding guide's `pip install --no-cache-dir --target=/app/deps -r requirements.txt`.
python3 -m pip install --quiet --no-cache-dir --target="$work/deps" -r "$here/fastapi/requirements.txt"
versions="$(ls "$work/deps" | sed -n 's/\.dist-info$//p' | tr '\n' ' ')"
printf 'fastapi\t%s\t%s\t%s; %s\tpip install --no-cache-dir --target=DIR -r requirements.txt\t%s\n' \
  "$(bytes "$work/deps")" "$today" "$(python3 --version 2>&1)" "$(python3 -m pip --version | cut -d' ' -f1-2)" "$versions"
# Express: `npm ci --omit=dev` of package.json + package-lock.json.
cp "$here/express/package.json" "$here/express/package-lock.json" "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --silent)
printf 'express\t%s\t%s\tnode %s; npm %s\tnpm ci --omit=dev\t%s packages (package-lock.json)\n' \
  "$(bytes "$work/node_modules")" "$today" "$(node --version)" "$(npm --version)" "$(ls -d "$work"/node_modules/* "$work"/node_modules/@*/* 2>/dev/null | grep -v '/@[^/]*$' | wc -l)"
