FROM alpine:3.20
RUN wget -q -O /tmp/x https://example.com/x
RUN wget https://example.com/y
USER 10001
