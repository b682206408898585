FROM ubuntu:24.04 AS build
RUN cd /src && apt-get install -y curl
RUN apk add a b c
MAINTAINER someone <me@example.com>
CMD echo "quotes \" <&> 'and' é"
