# Written for Stageplay's tests (issue 19): Go from go.dev's tarball, piped into tar, on Debian
# bookworm with buildpack-deps:bookworm-scm's packages (version control, curl, wget, gnupg) and a
# C toolchain for cgo, in one apt RUN and one curl | tar RUN instead of docker-library/golang's
# layers. Reference: golang:1.26-bookworm, 833.46 MB (repo-info), the same content.
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates curl gnupg netbase sq wget git mercurial openssh-client subversion procps \
        g++ gcc libc6-dev make pkg-config \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://go.dev/dl/go1.26.0.linux-amd64.tar.gz | tar -C /usr/local -xz
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:$PATH
WORKDIR /go/src/app
