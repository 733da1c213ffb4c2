#!/usr/bin/env bash
# The benchmark command: builds the release binary and the bare axum baseline, then runs
# scripts/bench.py, which prints a Markdown table of medians (start-up on a new database and
# on 1,000,000 transactions, RSS, load at 32 connections beside bare axum (accounts, a
# transactions page, auth/init, the investments list), image size, the
# lifecycle and webhooks benchmarks) and writes it to BENCHMARKS.md.
#
#   scripts/bench.sh [--build-image] [bench.py arguments: --quick, --runs 3, --json FILE, ...]
#
# --build-image rebuilds the container image first, so that its size is the current one.
# Installs wrk (the load generator) with apt-get when it is missing and we are root.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUILD_IMAGE=0
ARGS=()
for a in "$@"; do
  if [ "$a" = --build-image ]; then BUILD_IMAGE=1; else ARGS+=("$a"); fi
done

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing wrk" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null \
      || echo "bench: could not install wrk; the load rows will be n/a" >&2
  else
    echo "bench: wrk is not installed (apt-get install wrk); the load rows will be n/a" >&2
  fi
fi

cargo build --release --locked --quiet --bin powens-sandbox --example bare-axum

if [ "$BUILD_IMAGE" = 1 ]; then
  if command -v podman >/dev/null 2>&1; then
    BUILD=(podman build --format docker --network host)
  elif command -v docker >/dev/null 2>&1; then
    BUILD=(docker build)
  else
    echo "bench: --build-image needs podman or docker" >&2
    exit 1
  fi
  CA_BUNDLE=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
  if [ -s "$CA_BUNDLE" ]; then
    BUILD+=(--secret "id=ca-certificates,src=$CA_BUNDLE")
  fi
  echo "bench: building powens-sandbox:latest" >&2
  "${BUILD[@]}" -t powens-sandbox:latest . >&2
fi

exec python3 "$ROOT/scripts/bench.py" "${ARGS[@]+"${ARGS[@]}"}"
