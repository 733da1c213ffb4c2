#!/usr/bin/env bash
# Container smoke test: builds the image from the Dockerfile, starts docker-compose.yml on a
# free host port, waits for the container's own health check to report healthy, then checks
# POST /2.0/auth/init and GET /2.0/users/me from the host, that the server runs as a non-root
# user, that the database survives `compose down` + `up` in its named volume, and that the
# image is under 30 MB (SMOKE_MAX_IMAGE_MB). It logs the time from `compose up` to healthy.
# Always tears the project (containers and volume) down. Exits non-zero on any failure.
#
# Engine: podman if installed, else a working docker. As root with neither, it installs
# podman and local base images with ../shared/tools/offline-base-images.sh (relative to the
# repository root), which is also run when podman lacks the base images.
#
# The host's CA bundle ($SSL_CERT_FILE, else /etc/ssl/certs/ca-certificates.crt) is given to
# the build as the `ca-certificates` secret, so cargo can fetch crates behind a TLS-intercepting
# proxy; SMOKE_CA_BUNDLE=<file> picks another, SMOKE_CA_BUNDLE= (empty) passes none.
#
# Environment: SMOKE_HEALTH_TIMEOUT (seconds, default 90), SMOKE_KEEP_IMAGE=0 to remove the
# image afterwards (kept by default so that a rebuild reuses its layers).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OFFLINE_BASE_IMAGES="$ROOT/../shared/tools/offline-base-images.sh"
IMAGE=powens-sandbox:latest
SERVICE=powens-sandbox
PROJECT="powens-smoke-$$"
HEALTH_TIMEOUT=${SMOKE_HEALTH_TIMEOUT:-90}
T0=$(date +%s)

log() { printf '[container-smoke] %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

ENGINE=""
COMPOSE=()
STARTED=0
TMP=$(mktemp -d)

# shellcheck disable=SC2317  # invoked by the EXIT trap
finish() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$STARTED" = 1 ]; then
    if [ "$rc" != 0 ] && [ -n "${CID:-}" ]; then
      log "container logs (last 40 lines):"
      "$ENGINE" logs --tail 40 "$CID" >&2 2>&1 || true
    fi
    log "tearing down compose project $PROJECT"
    (cd "$ROOT" && POWENS_SANDBOX_PORT=${PORT:-3000} "${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml down -v) >/dev/null 2>&1 || true
    # podman-compose 1.0 leaves the named volume behind on some versions.
    if [ -n "$ENGINE" ]; then
      "$ENGINE" volume ls -q 2>/dev/null | grep "^${PROJECT}_" | xargs -r "$ENGINE" volume rm -f >/dev/null 2>&1 || true
    fi
  fi
  if [ "${SMOKE_KEEP_IMAGE:-1}" = 0 ] && [ -n "$ENGINE" ]; then
    "$ENGINE" rmi -f "$IMAGE" >/dev/null 2>&1 || true
  fi
  rm -rf "$TMP"
  log "finished in $(( $(date +%s) - T0 )) s"
  if [ "$rc" = 0 ]; then
    echo "container-smoke: 1 passed, 0 failed"
  else
    echo "container-smoke: 0 passed, 1 failed"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

command -v python3 >/dev/null || fail "python3 is required"

# --- engine --------------------------------------------------------------------------------
docker_works() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }
# The runtime stage is `FROM scratch`: only the build stage's image is needed.
podman_has_base_images() {
  podman image exists docker.io/library/rust:1-slim-bookworm 2>/dev/null
}

if command -v podman >/dev/null; then
  ENGINE=podman
elif docker_works; then
  ENGINE=docker
elif [ "$(id -u)" = 0 ] && [ -f "$OFFLINE_BASE_IMAGES" ]; then
  log "no container engine: installing podman with $OFFLINE_BASE_IMAGES"
  bash "$OFFLINE_BASE_IMAGES" || fail "offline-base-images.sh failed"
  ENGINE=podman
else
  fail "neither podman nor a running docker engine (run as root to install podman)"
fi

if [ "$ENGINE" = podman ]; then
  if ! podman_has_base_images && [ "$(id -u)" = 0 ] && [ -f "$OFFLINE_BASE_IMAGES" ]; then
    log "podman lacks the base images: building them with $OFFLINE_BASE_IMAGES"
    bash "$OFFLINE_BASE_IMAGES" || fail "offline-base-images.sh failed"
  fi
  command -v podman-compose >/dev/null || fail "podman-compose is not installed"
  COMPOSE=(podman-compose)
  # The docker format keeps the Dockerfile's HEALTHCHECK (the OCI format drops it).
  BUILD=(podman build --format docker --network host)
  # Without systemd, podman does not run health checks on a timer; this runs one.
  health_probe() { podman healthcheck run "$1" >/dev/null 2>&1; }
else
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null; then
    COMPOSE=(docker-compose)
  else
    fail "docker compose is not available"
  fi
  BUILD=(docker build)
  health_probe() { :; }
fi
log "engine: $ENGINE; compose: ${COMPOSE[*]}"

# --- build ---------------------------------------------------------------------------------
CA_BUNDLE=${SMOKE_CA_BUNDLE-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
if [ -n "$CA_BUNDLE" ] && [ -s "$CA_BUNDLE" ]; then
  BUILD+=(--secret "id=ca-certificates,src=$CA_BUNDLE")
fi
tb=$(date +%s)
log "building $IMAGE: ${BUILD[*]} -t $IMAGE ."
(cd "$ROOT" && "${BUILD[@]}" -t "$IMAGE" .) || fail "image build failed"
log "image built in $(( $(date +%s) - tb )) s"

# --- start ---------------------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export POWENS_SANDBOX_PORT=$PORT
BASE="http://127.0.0.1:$PORT"

container_id() {
  "$ENGINE" ps -a -q --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$SERVICE" | head -n1
}

up() {
  STARTED=1
  T_UP=$(date +%s.%N)
  (cd "$ROOT" && "${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml up -d) >/dev/null 2>"$TMP/compose.err" \
    || { cat "$TMP/compose.err" >&2; fail "compose up failed"; }
  CID=$(container_id)
  [ -n "$CID" ] || fail "no container for service $SERVICE in project $PROJECT"
}

wait_healthy() {
  local deadline=$(( $(date +%s) + HEALTH_TIMEOUT )) status running t_start
  t_start=$(date +%s.%N)
  while :; do
    running=$("$ENGINE" inspect --format '{{.State.Running}}' "$CID" 2>/dev/null || echo false)
    [ "$running" = true ] || fail "container $CID is not running"
    health_probe "$CID"
    status=$("$ENGINE" inspect --format '{{.State.Health.Status}}' "$CID" 2>/dev/null || echo unknown)
    if [ "$status" = healthy ]; then
      log "container healthy after $(python3 -c "print(f'{$(date +%s.%N) - $t_start:.1f}')") s of waiting, $(python3 -c "print(f'{$(date +%s.%N) - $T_UP:.1f}')") s after compose up began"
      return 0
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "container not healthy after ${HEALTH_TIMEOUT} s (status: $status)"
    sleep 0.5
  done
}

log "starting compose project $PROJECT on 127.0.0.1:$PORT"
up
wait_healthy

# --- checks --------------------------------------------------------------------------------
# The checks in Python (standard library): they print what they found and exit non-zero on
# the first mismatch. The first run creates a user and stores its token in $TMP/token.
api_check() {
  python3 - "$BASE" "$TMP/token" "$1" <<'PY'
import json, sys, urllib.request, urllib.error

base, token_file, phase = sys.argv[1], sys.argv[2], sys.argv[3]

def call(method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")

def expect(cond, what):
    if not cond:
        print(f"[container-smoke] FAIL: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"[container-smoke] ok: {what}", file=sys.stderr)

status, health = call("GET", "/health")
expect(status == 200 and isinstance(health, dict) and health.get("status") == "ok",
       f"GET /health -> {status} {health}")

if phase == "first":
    status, auth = call("POST", "/2.0/auth/init",
                        {"client_id": "12345678", "client_secret": "sandbox-secret"})
    expect(status == 200 and isinstance(auth, dict), f"POST /2.0/auth/init -> {status}")
    expect(isinstance(auth.get("auth_token"), str) and auth["auth_token"], "auth_token is a non-empty string")
    expect(auth.get("type") == "permanent", f"type is permanent ({auth.get('type')!r})")
    expect(isinstance(auth.get("id_user"), int), f"id_user is an integer ({auth.get('id_user')!r})")
    status, bad = call("POST", "/2.0/auth/init", {"client_id": "12345678", "client_secret": "wrong"})
    expect(400 <= status < 500, f"POST /2.0/auth/init with a wrong secret -> {status}")
    with open(token_file, "w") as f:
        json.dump(auth, f)
else:
    with open(token_file) as f:
        auth = json.load(f)

status, me = call("GET", "/2.0/users/me", token=auth["auth_token"])
expect(status == 200 and isinstance(me, dict), f"GET /2.0/users/me -> {status} {me}")
expect(me.get("id") == auth["id_user"], f"users/me id {me.get('id')} == id_user {auth['id_user']}")
expect("signin" in me and "platform" in me, "users/me has signin and platform")
status, _ = call("GET", "/2.0/users/me", token="not-a-token")
expect(status == 401, f"GET /2.0/users/me with a bad token -> {status}")
PY
}

api_check first || fail "API checks failed"

uid=$("$ENGINE" exec "$CID" id -u 2>/dev/null) || uid=$("$ENGINE" inspect --format '{{.Config.User}}' "$CID")
log "server runs as uid ${uid}"
case "$uid" in 0|root|0:*|"") fail "the server runs as root" ;; esac

log "recreating the container (compose down, keeping the volume; compose up)"
(cd "$ROOT" && "${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml down) >/dev/null 2>&1 || fail "compose down failed"
up
wait_healthy
api_check again || fail "the token did not survive recreating the container: is the database on the /data volume?"

size=$("$ENGINE" image inspect --format '{{.Size}}' "$IMAGE")
log "image $IMAGE size: $(python3 -c "print(f'{$size/1e6:.1f} MB')") ($size bytes)"
MAX_MB=${SMOKE_MAX_IMAGE_MB:-30}
[ "$size" -lt $(( MAX_MB * 1000 * 1000 )) ] || fail "the image is $size bytes, over ${MAX_MB} MB"
log "ok: the image is under ${MAX_MB} MB"
exit 0
