# Written for Stageplay's tests (issue 19): Node 22 from nodejs.org's tarball on Debian slim,
# unpacked into /usr/local as a person would do it by hand (no gpg check, no yarn), keeping only
# the x86-64 OpenSSL headers as docker-node does, but with another command. Reference:
# node:22-bookworm-slim, 227.33 MB (repo-info).
FROM debian:bookworm-slim
ARG NODE_VERSION=22.12.0
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl xz-utils \
    && curl -fsSLO "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz" \
    && tar -xJf "node-v${NODE_VERSION}-linux-x64.tar.xz" -C /usr/local --strip-components=1 --no-same-owner \
    && rm "node-v${NODE_VERSION}-linux-x64.tar.xz" \
    && find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 -not -name linux-x86_64 -exec rm -rf {} + \
    && apt-get purge -y --auto-remove curl xz-utils \
    && rm -rf /var/lib/apt/lists/*
CMD ["node"]
