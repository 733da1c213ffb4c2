# powens-sandbox container image.
#
#   docker build -t powens-sandbox:latest .
#   podman build --format docker -t powens-sandbox:latest .   (docker format keeps HEALTHCHECK)
#   docker run --rm -p 127.0.0.1:3000:3000 -v powens-data:/data powens-sandbox:latest
#
# The binary is self-contained: SQLite is compiled in, the migrations and the built-in
# catalogue are embedded, TLS is rustls with its own roots and the health check is the binary
# itself (`powens-sandbox healthcheck`). So the image is an empty base (`FROM scratch`)
# holding only the binary, the few C libraries it links (found with `ldd` in the build
# stage), a passwd/group for its non-root user and the /data directory: about 22 MB.

ARG RUST_IMAGE=docker.io/library/rust:1-slim-bookworm

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

# 3. The runtime's whole file system, in /rootfs: the binary, each shared library `ldd`
#    lists at the path the loader looks for it, the non-root user and an empty /data.
ARG UID=10001
ARG GID=10001
RUN set -eu \
 && mkdir -p /rootfs/usr/local/bin /rootfs/etc /rootfs/data /rootfs/tmp \
 && cp /usr/local/bin/powens-sandbox /rootfs/usr/local/bin/ \
 && for lib in $(ldd /usr/local/bin/powens-sandbox | grep -o '/[^ ]*'); do \
      cp --parents --dereference "$lib" /rootfs; \
    done \
 && printf 'root:x:0:0:root:/:/sbin/nologin\npowens:x:%s:%s:powens:/data:/sbin/nologin\n' "$UID" "$GID" > /rootfs/etc/passwd \
 && printf 'root:x:0:\npowens:x:%s:\n' "$GID" > /rootfs/etc/group \
 && printf 'hosts: files dns\n' > /rootfs/etc/nsswitch.conf \
 && chmod 1777 /rootfs/tmp \
 && chown "$UID:$GID" /rootfs/data \
 && chroot /rootfs /usr/local/bin/powens-sandbox --version

# ---------------------------------------------------------------------------------------
FROM scratch
ARG UID=10001
ARG GID=10001
# A copy from a build stage keeps owners: /data (the database and its -wal/-shm files) is
# the server user's, and a named volume mounted on it starts with that ownership.
COPY --from=build /rootfs/ /

ENV PATH=/usr/local/bin \
    POWENS_SANDBOX_LISTEN=0.0.0.0:3000 \
    POWENS_SANDBOX_DATABASE=/data/powens-sandbox.db \
    NO_COLOR=1

# Mount a named volume here to keep the database.
VOLUME ["/data"]
WORKDIR /data
USER ${UID}:${GID}
EXPOSE 3000

HEALTHCHECK --interval=2s --timeout=3s --start-period=2s --retries=15 \
  CMD ["/usr/local/bin/powens-sandbox", "healthcheck"]

ENTRYPOINT ["/usr/local/bin/powens-sandbox"]
