# check=skip=JSONArgsRecommended;error=true
FROM alpine:3.20 AS base
RUN apk add --no-cache curl=8.9.1-r0
FROM base
ENV A 1
CMD echo "$A"
