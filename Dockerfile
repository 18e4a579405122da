# syntax=docker/dockerfile:1
# Build a static mockhub binary, then ship it alone in a distroless image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/mockhub ./cmd/mockhub
# An empty directory for --data-dir, owned by the image's non-root user.
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mockhub /mockhub
COPY --from=build --chown=65532:65532 /out/data /data
ENV MOCKHUB_ADDR=0.0.0.0:4010
EXPOSE 4010
USER nonroot:nonroot
# The binary checks itself: distroless has no shell and no curl. It reads
# MOCKHUB_ADDR and dials the loopback interface for a wildcard host.
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["/mockhub", "healthcheck"]
ENTRYPOINT ["/mockhub"]
