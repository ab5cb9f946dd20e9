#!/usr/bin/env bash
# The container image's runtime without a container engine: the jar the Maven build just made, extracted
# as the Dockerfile does (Spring Boot's layers with the launcher, copied over one another in the
# Dockerfile's order), started with the Dockerfile's entry class in the migrate role (must exit 0) and then
# in the worker role (the Dockerfile's health check command must pass; the API must be 404; the metrics answer on
# the management port, not on the HTTP port).
# Embedded PostgreSQL in a temporary directory: no database needed. Called by .ci/run after ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/../.."

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=$(ls api-gateway/target/api-gateway-*-exec.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ]; then
  echo "[image-layout] no api-gateway/target/*-exec.jar: build first (./mvnw verify)" >&2
  exit 1
fi
work=$(mktemp -d)
worker_pid=""
cleanup() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    kill "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$JAVA" -Djarmode=tools -jar "$jar" extract --layers --launcher --destination "$work/layers" >/dev/null
mkdir -p "$work/app"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do   # the Dockerfile's COPY order
  cp -R "$work/layers/$layer/." "$work/app/"
done
entry=$(sed -n 's/.*exec java \$JAVA_OPTS \([A-Za-z.]*\) .*/\1/p' Dockerfile)
[ -n "$entry" ] || { echo "[image-layout] no entry class found in the Dockerfile's ENTRYPOINT" >&2; exit 1; }

export HERALD_DATA_DIR="$work/data" HERALD_LOG_FORMAT=json AXONIQ_UPDATE_CHECK_DISABLED=true
unset HERALD_DATABASE_URL SPRING_DATASOURCE_URL
flags=(-Xmx384m -XX:+ExitOnOutOfMemoryError -Daxoniq.update-checker.disabled=true -Daxoniq.update-check.disabled=true
       -Ddisable-axoniq-console-message=true)

echo "[image-layout] migrate role"
if ! (cd "$work/app" && HERALD_ROLE=migrate timeout 180 "$JAVA" "${flags[@]}" "$entry" >"$work/migrate.log" 2>&1); then
  tail -40 "$work/migrate.log" >&2
  echo "[image-layout] the migrate role did not exit 0" >&2
  exit 1
fi
grep -q "Herald migrations applied" "$work/migrate.log"

echo "[image-layout] worker role"
# a free port whose next one (the management port) is free too
port=$(python3 -c '
import socket
while True:
    s, t = socket.socket(), socket.socket()
    s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    try:
        t.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError:
        pass
    finally:
        s.close(); t.close()' 2>/dev/null || echo 18089)
(cd "$work/app" && HERALD_ROLE=worker HERALD_PORT="$port" exec "$JAVA" "${flags[@]}" "$entry" >"$work/worker.log" 2>&1) &
worker_pid=$!
# the Dockerfile's HEALTHCHECK command, as the container runs it
health=$(sed -n 's/^  CMD \["bash", "-c", "\(.*\)"\]$/\1/p' Dockerfile | sed 's/\\"/"/g; s/\\\\/\\/g')
[ -n "$health" ] || { echo "[image-layout] no HEALTHCHECK command found in the Dockerfile" >&2; exit 1; }
healthy=""
for _ in $(seq 1 120); do
  if HERALD_PORT="$port" bash -c "$health" 2>/dev/null; then healthy=yes; break; fi
  kill -0 "$worker_pid" 2>/dev/null || break
  sleep 1
done
if [ -z "$healthy" ]; then
  tail -40 "$work/worker.log" >&2
  echo "[image-layout] the worker never passed the image's health check" >&2
  exit 1
fi
code=$(bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /api/contacts HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && head -1 <&3" | awk '{print $2}')
if [ "$code" != "404" ]; then
  echo "[image-layout] the worker answered /api/contacts with $code, not 404" >&2
  exit 1
fi
# the metrics: on the management port (HERALD_PORT + 1 by default, as the image leaves it), not on the HTTP port
status_line() {
  bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && printf 'GET $2 HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && head -1 <&3" | awk '{print $2}'
}
metrics=$(status_line $((port + 1)) /actuator/prometheus)
public_metrics=$(status_line "$port" /actuator/prometheus)
if [ "$metrics" != "200" ] || [ "$public_metrics" != "404" ]; then
  echo "[image-layout] /actuator/prometheus answered $metrics on the management port $((port + 1)) (not 200) and $public_metrics on the HTTP port (not 404)" >&2
  exit 1
fi
echo "[image-layout] the image's layout starts: migrate exits 0, the worker passes its health check, serves no API, and its metrics on the management port only"
