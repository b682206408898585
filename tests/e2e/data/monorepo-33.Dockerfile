# syntax=docker/dockerfile:1
# A made-up polyglot monorepo (written for Stageplay's graph tests, not taken from anywhere):
# a web front end, an admin UI, a Python API and worker, a Go gateway and a Rust indexer,
# built, tested and assembled into one release image. 33 stages; the target is `release`.
ARG DEBIAN=bookworm
ARG NODE_VERSION=22
ARG PYTHON_VERSION=3.12
ARG GO_VERSION=1.23

FROM debian:${DEBIAN}-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 app

FROM node:${NODE_VERSION}-bookworm-slim AS node-base
WORKDIR /src
ENV CI=true

FROM python:${PYTHON_VERSION}-slim AS python-base
ENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src

FROM golang:${GO_VERSION}-bookworm AS go-base
WORKDIR /src
ENV CGO_ENABLED=0

FROM rust:1.83-slim-bookworm AS rust-base
WORKDIR /src
RUN cargo install cargo-chef --locked

FROM node-base AS web-deps
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

FROM web-deps AS web-build
COPY web/ ./
RUN npm run build

FROM web-build AS web-test
RUN npm test

FROM web-deps AS web-lint
COPY web/ ./
RUN npm run lint

FROM node-base AS admin-deps
COPY admin/package.json admin/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

FROM admin-deps AS admin-build
COPY admin/ ./
RUN npm run build

FROM admin-build AS admin-test
RUN npm test -- --run

FROM admin-deps AS storybook
COPY admin/ ./
RUN npm run build-storybook

FROM python-base AS api-deps
COPY api/requirements.txt ./
RUN pip install --prefix=/install -r requirements.txt

FROM api-deps AS api-wheels
COPY api/ ./
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM api-deps AS api-test
COPY api/ ./
RUN pip install -r requirements-dev.txt && pytest -q

FROM python-base AS api-runtime
COPY --from=api-deps /install /usr/local
COPY --from=api-wheels /wheels /wheels
RUN pip install --no-deps /wheels/*.whl

FROM python-base AS worker-deps
COPY worker/requirements.txt ./
RUN pip install --prefix=/install -r requirements.txt

FROM worker-deps AS worker-test
COPY worker/ ./
RUN python -m unittest discover -s tests

FROM python-base AS worker-runtime
COPY --from=worker-deps /install /usr/local
COPY worker/ /opt/worker

FROM api-runtime AS migrations
COPY api/migrations /opt/migrations

FROM go-base AS gateway-mod
COPY gateway/go.mod gateway/go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download

FROM gateway-mod AS gateway-build
COPY gateway/ ./
RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/gateway ./cmd/gateway

FROM gateway-mod AS gateway-test
COPY gateway/ ./
RUN --mount=type=cache,target=/go/pkg/mod go test ./...

FROM gateway-mod AS healthcheck
COPY tools/healthcheck/ ./
RUN go build -o /out/healthcheck .

FROM rust-base AS indexer-chef
COPY indexer/ ./
RUN cargo chef prepare --recipe-path recipe.json

FROM rust-base AS indexer-build
COPY --from=indexer-chef /src/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json
COPY indexer/ ./
RUN cargo build --release && cp target/release/indexer /out-indexer

FROM indexer-build AS indexer-test
RUN cargo test --release

FROM python-base AS docs
COPY docs/ ./
RUN pip install mkdocs==1.6.1 && mkdocs build --site-dir /site

FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates

FROM base AS assets
COPY --from=web-build /src/dist /srv/www
COPY --from=admin-build /src/dist /srv/www/admin
COPY --from=docs /site /srv/www/docs

FROM base AS debug
RUN apt-get update && apt-get install -y --no-install-recommends curl procps strace \
    && rm -rf /var/lib/apt/lists/*

FROM base AS release
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=api-runtime /usr/local /usr/local
COPY --from=worker-runtime /opt/worker /opt/worker
COPY --from=migrations /opt/migrations /opt/migrations
COPY --from=gateway-build /out/gateway /usr/local/bin/gateway
COPY --from=healthcheck /out/healthcheck /usr/local/bin/healthcheck
COPY --from=indexer-build /out-indexer /usr/local/bin/indexer
COPY --from=assets /srv/www /srv/www
USER app
HEALTHCHECK CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["/usr/local/bin/gateway"]
