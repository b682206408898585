#!/usr/bin/env bash
# build.sh WORKDIR LABEL: builds the Dockerfile beside it for its two targets and tags them
# (:latest and :nonroot, which runs as uid 65532 like distroless's nonroot images).
set -Eeuo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for t in static cc; do
    buildah bud --isolation chroot --layers --force-rm --format docker --target "$t" \
        -t "gcr.io/distroless/$t-debian12" "$here"
    c=$(buildah from --pull=never "gcr.io/distroless/$t-debian12")
    buildah config --user 65532:65532 --workingdir /home/nonroot "$c"
    buildah commit --quiet --rm "$c" "gcr.io/distroless/$t-debian12:nonroot" > /dev/null
done
