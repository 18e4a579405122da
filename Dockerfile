# syntax=docker/dockerfile:1
# Build a static mockhub binary, then ship it alone in a distroless image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/mockhub ./cmd/mockhub

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mockhub /mockhub
ENV MOCKHUB_ADDR=0.0.0.0:4010
EXPOSE 4010
USER nonroot:nonroot
ENTRYPOINT ["/mockhub"]
