#!/usr/bin/env bash
# prepare.sh CONTEXT CACHE: lays out what `rustup-init --profile minimal --default-toolchain 1.95.0`
# would install, from the host's rustup (the toolchain `cargo xtask` itself builds with):
#   rustup/  = RUSTUP_HOME: settings.toml + toolchains/1.95.0-x86_64-unknown-linux-gnu with only
#              the files the rustc, cargo and rust-std component manifests list
#   cargo/   = CARGO_HOME: bin/rustup and its proxies (symlinks, as rustup 1.28 makes them)
set -Eeuo pipefail
ctx=$1
VERSION=1.95.0 HOST=x86_64-unknown-linux-gnu
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
src=$rustup_home/toolchains/$VERSION-$HOST
[ -d "$src" ] || { echo "the host has no rustup toolchain $VERSION-$HOST (rustup toolchain install $VERSION)"; exit 1; }
dst=$ctx/rustup/toolchains/$VERSION-$HOST
mkdir -p "$dst/lib/rustlib" "$ctx/cargo/bin"
components="rustc-$HOST cargo-$HOST rust-std-$HOST"
for c in $components; do
    manifest=$src/lib/rustlib/manifest-$c
    [ -f "$manifest" ] || { echo "missing component manifest $manifest"; exit 1; }
    sed -n 's/^file://p' "$manifest" | (cd "$src" && xargs -d '\n' cp -a --parents -t "$dst")
    sed -n 's/^dir://p' "$manifest" | (cd "$src" && xargs -r -d '\n' cp -a --parents -t "$dst")
    cp -a "$manifest" "$dst/lib/rustlib/"
done
printf '%s\n' $components > "$dst/lib/rustlib/components"
cp -a "$src/lib/rustlib/rust-installer-version" "$src/lib/rustlib/multirust-channel-manifest.toml" \
    "$src/lib/rustlib/multirust-config.toml" "$dst/lib/rustlib/" 2>/dev/null || true
cat > "$ctx/rustup/settings.toml" <<EOT
version = "12"
default_toolchain = "$VERSION-$HOST"
profile = "minimal"

[overrides]
EOT
cp "$cargo_home/bin/rustup" "$ctx/cargo/bin/rustup"
for p in cargo cargo-clippy cargo-fmt cargo-miri clippy-driver rls rust-analyzer rust-gdb rust-gdbgui rust-lldb rustc rustdoc rustfmt; do
    ln -sf rustup "$ctx/cargo/bin/$p"
done
