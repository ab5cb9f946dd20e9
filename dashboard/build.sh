#!/usr/bin/env bash
# Builds the dashboard's static export and puts it where a jar serves it from:
#   build.sh [skip] [target-dir]
# - skip = "true" (Maven: -Dskip.dashboard) → nothing is built
# - without Node 20.9+ → a clear message and nothing is built (Herald then serves the API only)
# - otherwise: npm ci when package-lock.json changed, npm run build, out/ copied to <target-dir>/static
# Exit status is non-zero only when Node is there and the build itself fails.
set -euo pipefail
cd "$(dirname "$0")"

SKIP="${1:-false}"
TARGET="${2:-target/classes}"
export NEXT_TELEMETRY_DISABLED=1

if [[ "$SKIP" == "true" || "${HERALD_SKIP_DASHBOARD:-}" == "true" ]]; then
  echo "[dashboard] skipped (-Dskip.dashboard): Herald will serve the API only"
  exit 0
fi

if ! command -v node >/dev/null 2>&1; then
  echo "[dashboard] Node.js not found: the dashboard is NOT built and Herald will serve the API only."
  echo "[dashboard] Install Node 20.9 or newer to build it, or pass -Dskip.dashboard to silence this."
  exit 0
fi
NODE_VERSION="$(node --version | sed 's/^v//')"
NODE_MAJOR="${NODE_VERSION%%.*}"
NODE_MINOR="$(echo "$NODE_VERSION" | cut -d. -f2)"
if (( NODE_MAJOR < 20 || (NODE_MAJOR == 20 && NODE_MINOR < 9) )); then
  echo "[dashboard] Node $NODE_VERSION is older than 20.9: the dashboard is NOT built and Herald will serve the API only."
  echo "[dashboard] Install Node 20.9 or newer to build it, or pass -Dskip.dashboard to silence this."
  exit 0
fi

# npm ci only when the lock file changed since the last install (it wipes node_modules: ~45 s)
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[dashboard] npm ci (Node $NODE_VERSION)"
  npm ci --no-audit --no-fund
fi
echo "[dashboard] npm run build"
npm run build

rm -rf "$TARGET/static"
mkdir -p "$TARGET/static"
cp -R out/. "$TARGET/static/"
echo "[dashboard] static export copied to $TARGET/static ($(find "$TARGET/static" -type f | wc -l) files)"
