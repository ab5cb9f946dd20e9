#!/usr/bin/env bash
# The node package's own checks: install from the lock, lint (n8n's community-node rules), build, unit tests.
# Works offline once npm's cache holds the locked packages.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --prefer-offline
npm run lint
npm run build
npm test
