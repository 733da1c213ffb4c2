# powens-sandbox container image.
#
#   docker build -t powens-sandbox:latest .
#   podman build --format docker -t powens-sandbox:latest .   (docker format keeps HEALTHCHECK)
#   docker run --rm -p 127.0.0.1:3000:3000 -v powens-data:/data powens-sandbox:latest
#
# The binary is self-contained: SQLite is compiled in, the migrations and the built-in
# catalogue are embedded, no TLS library is linked and the health check is the binary
# itself (`powens-sandbox healthcheck`), so the runtime stage adds nothing to Debian's base.

ARG RUST_IMAGE=docker.io/library/rust:1-slim-bookworm
ARG RUNTIME_IMAGE=docker.io/library/debian:bookworm-slim

# ---------------------------------------------------------------------------------------
FROM ${RUST_IMAGE} AS build
WORKDIR /build
ENV CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0

COPY scripts/stub-cargo-targets.sh /usr/local/bin/stub-cargo-targets

# Behind a TLS-intercepting proxy, pass the host's CA bundle as a build secret and cargo
# uses it (it is mounted for the RUN only and never stored in a layer):
#   podman build --secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt ...
#   docker build --secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt ...
# scripts/container-smoke.sh passes the host's bundle this way whenever it has one.

# 1. Dependencies only: the manifest and lock file with placeholder sources. This layer is
#    rebuilt only when Cargo.toml or Cargo.lock change.
COPY Cargo.toml Cargo.lock ./
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then export CARGO_HTTP_CAINFO=/run/secrets/ca-certificates; fi \
 && mkdir -p src \
 && echo 'fn main() {}' > src/main.rs \
 && : > src/lib.rs \
 && sh /usr/local/bin/stub-cargo-targets \
 && cargo build --release --locked --bin powens-sandbox \
 && rm -rf src tests benches examples

# 2. The crate itself. migrations/ and seed/ are embedded at compile time.
COPY build.rs ./
COPY migrations ./migrations
COPY seed ./seed
COPY src ./src
# COPY keeps the context's modification times, which may be older than the placeholder
# build above: touch the crate roots so cargo rebuilds the crate and not only links it.
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then export CARGO_HTTP_CAINFO=/run/secrets/ca-certificates; fi \
 && sh /usr/local/bin/stub-cargo-targets \
 && touch src/main.rs src/lib.rs \
 && cargo build --release --locked --bin powens-sandbox \
 && install -m 0755 target/release/powens-sandbox /usr/local/bin/powens-sandbox \
 && /usr/local/bin/powens-sandbox --version

# ---------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
ARG UID=10001
ARG GID=10001
RUN groupadd --gid ${GID} powens \
 && useradd --uid ${UID} --gid ${GID} --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin powens \
 && mkdir -p /data \
 && chown ${UID}:${GID} /data

COPY --from=build /usr/local/bin/powens-sandbox /usr/local/bin/powens-sandbox

ENV POWENS_SANDBOX_LISTEN=0.0.0.0:3000 \
    POWENS_SANDBOX_DATABASE=/data/powens-sandbox.db \
    NO_COLOR=1

# The database (and its -wal/-shm files) lives here; mount a named volume to keep it.
VOLUME ["/data"]
WORKDIR /data
USER ${UID}:${GID}
EXPOSE 3000

HEALTHCHECK --interval=2s --timeout=3s --start-period=2s --retries=15 \
  CMD ["powens-sandbox", "healthcheck"]

ENTRYPOINT ["powens-sandbox"]
