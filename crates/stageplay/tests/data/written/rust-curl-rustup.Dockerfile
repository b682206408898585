# Written for Stageplay's tests (issue 19): the content of rust:1-slim-bookworm (Debian slim, gcc,
# libc6-dev, rustup's minimal stable toolchain), installed the way a project README says to,
# not as rust-lang/docker-rust does. Reference: rust:1-slim-bookworm, 910.36 MB (repo-info).
FROM debian:bookworm-slim
ENV RUSTUP_HOME=/opt/rustup CARGO_HOME=/opt/cargo PATH=/opt/cargo/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev \
 && curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
