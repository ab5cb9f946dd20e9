#!/usr/bin/env bash
# The dashboard's CI: component tests (Vitest), the static export, and the end-to-end run in Debian's
# Chromium (playwright-core, never a downloaded browser) against a real Herald on a fresh embedded
# PostgreSQL. Meant to be called by .ci/run after ./mvnw verify:
#   dashboard/ci.sh [api-gateway exec jar]   (default: ../api-gateway/target/api-gateway-*-exec.jar)
# Screenshots of every screen: dashboard/e2e-artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
export NEXT_TELEMETRY_DISABLED=1

NODE_VERSION="$(node --version 2>/dev/null | sed 's/^v//' || true)"
if [[ -z "$NODE_VERSION" ]] || (( ${NODE_VERSION%%.*} < 20 )); then
  echo "[dashboard-ci] Node 20.9+ is required (found: ${NODE_VERSION:-none})" >&2
  exit 1
fi

# Chromium from Debian's packages only
if [[ ! -x /usr/bin/chromium ]]; then
  echo "[dashboard-ci] installing chromium from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm test
npm run build
npm run typecheck   # after the build, which writes next-env.d.ts and the route types

JAR="${1:-$(ls ../api-gateway/target/api-gateway-*-exec.jar 2>/dev/null | head -1)}"
if [[ -z "$JAR" || ! -f "$JAR" ]]; then
  echo "[dashboard-ci] no api-gateway exec jar (build it with ./mvnw -pl api-gateway -am package)" >&2
  exit 1
fi
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
DATA="$(mktemp -d)"
LOG="$DATA/herald.log"
echo "[dashboard-ci] starting Herald ($JAR) on port $PORT, data in $DATA"
# With its delivery worker: the end-to-end walk launches a webhook campaign to a sink of its own on
# 127.0.0.1 (hence private targets allowed, which the SSRF guard refuses by default) and watches the
# progress stream reach 100 %.
AXONIQ_UPDATE_CHECK_DISABLED=true HERALD_DATA_DIR="$DATA" HERALD_PORT="$PORT" HERALD_DELIVERY_ALLOW_PRIVATE_TARGETS=true \
  "$JAVA" -Daxoniq.update-check.disabled=true -Ddisable-axoniq-console-message=true -jar "$JAR" >"$LOG" 2>&1 &
HERALD_PID=$!
cleanup() {
  kill "$HERALD_PID" 2>/dev/null || true
  wait "$HERALD_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null && break
  if ! kill -0 "$HERALD_PID" 2>/dev/null; then
    echo "[dashboard-ci] Herald stopped:" >&2
    tail -50 "$LOG" >&2
    exit 1
  fi
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null || { tail -50 "$LOG" >&2; exit 1; }

HERALD_URL="http://127.0.0.1:$PORT" npm run e2e
