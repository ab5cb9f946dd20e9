#!/usr/bin/env bash
# The end-to-end test against a real n8n (issue 17): n8n 2.8.4 from the cache (installed on first use, ~10 min
# cold), the Herald node package checked, built and packed, then Maven runs N8nEndToEndIT only, which starts Herald
# from its exec jar, n8n headless on loopback with the package installed, GreenMail and an HTTP sink.
# Run by .ci/run after ./mvnw verify; about 3-4 minutes on 2 cores without the install.
#   HERALD_N8N_HOME      the n8n cache (default ~/.cache/herald/n8n-2.8.4)
#   HERALD_MAVEN_FLAGS   extra Maven flags (e.g. -o)
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v node >/dev/null 2>&1 || { echo "No Node.js on this machine: n8n end-to-end test skipped"; exit 0; }

HERALD_N8N_HOME="$(bash .ci/n8n/install.sh | tail -1)"
export HERALD_N8N_HOME

pack_dir="$(mktemp -d)"
trap 'rm -rf "$pack_dir"' EXIT
(
  cd integrations/n8n-nodes-herald
  ./ci.sh
  npm pack --silent --pack-destination "$pack_dir" >/dev/null
)
HERALD_N8N_PACKAGE="$(ls "$pack_dir"/n8n-nodes-herald-*.tgz)"
export HERALD_N8N_PACKAGE

export AXONIQ_UPDATE_CHECKER_DISABLED=true AXONIQ_UPDATE_CHECK_DISABLED=true
# shellcheck disable=SC2086
./mvnw -B -ntp ${HERALD_MAVEN_FLAGS:-} -Dskip.dashboard -pl api-gateway -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=N8nEndToEndIT -Dfailsafe.failIfNoSpecifiedTests=false
