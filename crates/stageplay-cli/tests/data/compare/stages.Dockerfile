FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM quay.io/prometheus/busybox:latest AS tools

FROM builder AS test
RUN go test ./...

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=builder /out/app /app
COPY --from=tools /bin/sh /bin/sh
ENTRYPOINT ["/app"]
