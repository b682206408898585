FROM alpine:3.20
RUN wget http://example.com/x
