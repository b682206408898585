# A single-stage Go service.
FROM golang:1.23

WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server ./cmd/server

EXPOSE 8080
CMD ["/usr/local/bin/server"]
