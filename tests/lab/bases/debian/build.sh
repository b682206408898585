#!/usr/bin/env bash
# Replica of docker-library's debian:bookworm and debian:bookworm-slim.
#
# Follows debuerreotype's examples/debian.sh as the official images are built (read with the project's
# code search: debuerreotype/debuerreotype scripts/debuerreotype-{init,minimizing-config,slimify,fixup},
# scripts/.slimify-{excludes,includes}, scripts/.tar-exclude): debootstrap --variant=minbase with merged /usr,
# the minimizing config, apt-get update + full-upgrade against bookworm, bookworm-updates and
# bookworm-security, a copy slimmed with dpkg path-excludes, then the fixups and tar excludes.
# Differences: the live mirror instead of a snapshot.debian.org timestamp (no reproducible epoch), and file
# times are not reset (sizes do not depend on them).
#
# usage: build.sh WORKDIR LABEL  (run by `cargo xtask lab` as root, buildah on PATH; LABEL=K=V goes on both images)
set -Eeuo pipefail
work=$1
label=$2
mirror=${LAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${LAB_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}

rm -rf "$work"
mkdir -p "$work"
rootfs=$work/rootfs
echo "lab: debootstrap --variant=minbase bookworm ($mirror)"
debootstrap --variant=minbase --merged-usr bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

# debuerreotype-minimizing-config
cat > "$rootfs/usr/sbin/policy-rc.d" <<'EOT'
#!/bin/sh
exit 101
EOT
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
echo 'force-unsafe-io' > "$rootfs/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<EOT
DPkg::Post-Invoke { $clean };
APT::Update::Post-Invoke { $clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOT
echo 'Acquire::GzipIndexes "true";' > "$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' > "$rootfs/etc/apt/apt.conf.d/docker-no-languages"
chmod 0644 "$rootfs"/etc/apt/apt.conf.d/docker-* "$rootfs"/etc/dpkg/dpkg.cfg.d/docker-apt-speedup

# debuerreotype-debian-sources-list --deb822
rm -f "$rootfs/etc/apt/sources.list"
cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<EOT
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT

cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
echo "lab: apt-get update && full-upgrade in the rootfs"
in_root apt-get update -qq > "$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; exit 1; }
in_root apt-get full-upgrade -yqq >> "$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; exit 1; }

# debuerreotype-slimify on a copy
cp -a "$rootfs" "$rootfs-slim"
slim=$rootfs-slim
# (patterns, not host paths: no globbing while they are read)
set -o noglob
excludes=(/usr/share/doc/* /usr/share/groff/* /usr/share/info/* /usr/share/linda/* /usr/share/lintian/overrides/* /usr/share/locale/* /usr/share/man/*)
includes=(/usr/share/doc/*/copyright /usr/share/doc/kde/HTML/C/* /usr/share/gnome/help/*/C/* /usr/share/locale/all_languages
          /usr/share/locale/currency/* /usr/share/locale/l10n/* /usr/share/locale/languages /usr/share/locale/locale.alias
          /usr/share/omf/*/*-C.emf)
cfg=$slim/etc/dpkg/dpkg.cfg.d/docker
{
    echo '# This is the "slim" variant of the Debian base image.'
    echo '# Many files which are normally unnecessary in containers are excluded,'
    echo '# and this configuration file keeps them that way.'
    for e in "${excludes[@]}"; do echo; echo "path-exclude $e"; done
    echo
    for i in "${includes[@]}"; do echo "path-include $i"; done
} > "$cfg"
chmod 0644 "$cfg"
match=()
for i in "${includes[@]}"; do
    [ ${#match[@]} -eq 0 ] || match+=(-o)
    match+=(-path "$i")
done
for e in "${excludes[@]}"; do
    dir=$(dirname "$e")
    [ -d "$slim$dir" ] || continue
    chroot "$slim" find "$dir" -depth -mindepth 1 -not \( "${match[@]}" \) -not \( -type d -o -type l \) -exec rm -f '{}' ';'
    while [ "$(chroot "$slim" find "$dir" -depth -mindepth 1 \( -empty -o -xtype l \) -exec rm -rf '{}' ';' -printf '.' | wc -c)" -gt 0 ]; do :; done
done
set +o noglob

# debuerreotype-fixup and the tar excludes
for fs in "$rootfs" "$slim"; do
    rm -f "$fs/var/log/dpkg.log" "$fs/var/log/bootstrap.log" "$fs/var/log/alternatives.log" \
        "$fs/var/cache/ldconfig/aux-cache" "$fs/run/mount/utab" "$fs/etc/machine-id" \
        "$fs/etc/apt/apt.conf.d/01autoremove-kernels" "$fs/var/log/apt/history.log" "$fs/var/log/apt/term.log"
    rmdir "$fs/run/mount" 2>/dev/null || :
    rm -rf "$fs"/var/cache/apt/* "$fs"/var/lib/apt/lists/* "$fs"/proc/* "$fs"/sys/* "$fs"/dev/*
    : > "$fs/etc/resolv.conf"
    rm -f "$fs/etc/resolv.conf"
    mkdir -p "$fs/var/lib/apt/lists/partial" "$fs/var/cache/apt/archives/partial"
done

commit() { # DIR NAME
    local c m
    c=$(buildah from scratch)
    m=$(buildah mount "$c")
    cp -a "$1/." "$m/"
    buildah umount "$c" > /dev/null
    buildah config --cmd '["bash"]' --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --label "$label" "$c"
    buildah commit --quiet --rm "$c" "$2" > /dev/null
    echo "lab: committed $2"
}
commit "$rootfs" docker.io/library/debian:bookworm
commit "$slim" docker.io/library/debian:bookworm-slim
rm -rf "$work"
