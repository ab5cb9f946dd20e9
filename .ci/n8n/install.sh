#!/usr/bin/env bash
# Installs n8n 2.8.4 (the newest that runs on Node 20) into a cache directory outside the repository,
# so later runs on the same machine reuse it. Idempotent: a marker file written last says the install
# is complete; without it (first run, or a killed install) the install is redone from scratch.
#   HERALD_N8N_HOME  where n8n goes (default ~/.cache/herald/n8n-2.8.4)
# Prints the n8n home on its last line.
set -euo pipefail

N8N_VERSION=2.8.4
home="${HERALD_N8N_HOME:-$HOME/.cache/herald/n8n-$N8N_VERSION}"
marker="$home/.herald-install-complete"
expected="n8n@$N8N_VERSION xlsx@0.18.5"

if [ -f "$marker" ] && [ "$(cat "$marker")" = "$expected" ] && [ -x "$home/node_modules/.bin/n8n" ]; then
  echo "n8n $N8N_VERSION already installed in $home" >&2
  echo "$home"
  exit 0
fi

command -v node >/dev/null || { echo "install.sh: node is not on PATH" >&2; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
node_minor="$(node -p 'process.versions.node.split(".")[1]')"
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "install.sh: n8n $N8N_VERSION needs Node >= 20.19 (found $(node --version))" >&2; exit 1
fi

echo "Installing n8n $N8N_VERSION into $home (cold: ~10 min, 2.3 GB)" >&2
# A half-finished install is never reused: start from an empty directory.
rm -rf "$home"
mkdir -p "$home"
# xlsx: n8n's default pulls it from a CDN that cannot be reached; 0.18.5 is on the npm registry.
cat > "$home/package.json" <<JSON
{
  "name": "herald-n8n-peer",
  "private": true,
  "description": "n8n for Herald's end-to-end test (.ci/n8n/install.sh)",
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
(cd "$home" && npm install --no-audit --no-fund --loglevel=error >&2)
"$home/node_modules/.bin/n8n" --version >&2
# Written last: only a complete install carries it.
echo "$expected" > "$marker"
echo "$home"
