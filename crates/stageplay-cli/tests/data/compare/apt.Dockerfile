FROM debian:12
RUN apt-get update && apt-get install -y curl ca-certificates
RUN cd /opt && curl -fsSL https://example.com/tool.tgz | tar xz
WORKDIR /opt
CMD ["/opt/tool"]
