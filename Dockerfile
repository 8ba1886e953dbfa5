# syntax=docker/dockerfile:1
# Build: docker build -t dashapp .
# Run:   docker run -p 8080:8080 -v dashapp-data:/data -e DASHAPP_ALLOWED_ORIGINS=https://chat.bevatel.com \
#          -e DASHAPP_KEY="$(openssl rand -hex 24)" -e DASHAPP_DEMO=off dashapp

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# modernc.org/sqlite is pure Go: no cgo, so the binary is static.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/dashapp ./cmd/dashapp \
 && mkdir -p /out/data

# distroless/static: no shell, no package manager; /tmp exists for SQLite's temp files.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dashapp /dashapp
COPY --from=build --chown=65532:65532 /out/data /data
ENV DASHAPP_ADDR=:8080 \
    DASHAPP_DB=/data/dashapp.db
VOLUME /data
EXPOSE 8080
USER 65532:65532
# The binary checks itself: the image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s CMD ["/dashapp", "healthcheck"]
ENTRYPOINT ["/dashapp"]
