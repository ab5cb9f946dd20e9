# Sourced by .ci/run: an S3-compatible server for the tests of herald.files.s3 (S3FilesIT, ContactImportS3IT).
# s3rver (npm, checks each request's SigV4 signature; access key and secret S3RVER) installed once into the
# machine's cache, started on a free loopback port with a fresh data directory; HERALD_TEST_S3_URL names it.
# Without Node the tests that need it are skipped (they say so).
S3RVER_VERSION=3.7.1
S3RVER_HOME="${HERALD_CACHE:-$HOME/.cache/herald}/s3rver-$S3RVER_VERSION"
if ! command -v node >/dev/null 2>&1; then
  echo "No Node.js: no S3-compatible server, the S3 tests are skipped"
  return 0
fi
if [ ! -f "$S3RVER_HOME/.herald-install-complete" ]; then
  rm -rf "$S3RVER_HOME" && mkdir -p "$S3RVER_HOME"
  (cd "$S3RVER_HOME" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "s3rver@$S3RVER_VERSION" >/dev/null)
  touch "$S3RVER_HOME/.herald-install-complete"
fi
S3RVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
S3RVER_DATA=$(mktemp -d)
node "$S3RVER_HOME/node_modules/s3rver/bin/s3rver.js" -d "$S3RVER_DATA" -a 127.0.0.1 -p "$S3RVER_PORT" \
  --no-vhost-buckets -s >"$S3RVER_DATA.log" 2>&1 &
S3RVER_PID=$!
trap 'kill "$S3RVER_PID" 2>/dev/null || true; rm -rf "$S3RVER_DATA" "$S3RVER_DATA.log"' EXIT
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$S3RVER_PORT/" && break
  sleep 0.2
done
export HERALD_TEST_S3_URL="http://127.0.0.1:$S3RVER_PORT"
echo "s3rver $S3RVER_VERSION at $HERALD_TEST_S3_URL (pid $S3RVER_PID)"
