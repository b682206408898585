# hadolint global ignore=DL3003
FROM ubuntu:22.04
# hadolint ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y vim && rm -rf /var/lib/apt/lists/*
RUN cd /tmp && ls
# hadolint ignore=DL3047
RUN wget https://example.com/a
RUN wget https://example.com/b
