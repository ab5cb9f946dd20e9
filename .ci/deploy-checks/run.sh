#!/usr/bin/env bash
# The deployment files' checks, in seconds and without a container engine or Terraform's registry
# (called by .ci/run; README, "Deploy" says which checks run here and which in GitHub Actions):
#   1. terraform fmt -check -recursive terraform/
#   2. docker-compose.yml read by Compose itself (`docker compose config`, or Debian's docker-compose 1.29,
#      installed from apt when missing and this runs as root)
#   3. promtool check config/rules and test rules on compose/prometheus/ (Debian's prometheus package, installed when missing)
#   4. check.mjs: every Terraform file parsed with @cdktf/hcl2json, the compose file, the workflows and the
#      k6 scripts parsed, and what the deployment needs asserted (resources, modules, variables, jobs, …)
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "[deploy-checks] terraform fmt"
if command -v terraform >/dev/null 2>&1; then
  tf_cli_config="$(mktemp)"   # an empty CLI configuration: no warning about a missing ~/.terraformrc
  TF_CLI_CONFIG_FILE="$tf_cli_config" terraform fmt -check -recursive -list=true terraform
  rm -f "$tf_cli_config"
else
  echo "[deploy-checks] no terraform on this machine: formatting not checked (GitHub Actions checks it)"
fi

echo "[deploy-checks] docker-compose.yml"
compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[deploy-checks] installing Debian's docker-compose to read the compose file"
  if timeout 180 apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 \
      || { timeout 120 apt-get update -qq >/dev/null 2>&1 \
           && timeout 180 apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1; }; then
    compose=(docker-compose)
  fi
fi
if [ ${#compose[@]} -gt 0 ]; then
  "${compose[@]}" --env-file .env.example -f docker-compose.yml config --quiet
  echo "[deploy-checks] ${compose[*]} config: the compose file is valid"
else
  echo "[deploy-checks] no Compose here: the compose file is checked by check.mjs only"
fi

echo "[deploy-checks] Prometheus configuration and alert rules"
if ! command -v promtool >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  # Debian's prometheus package brings promtool (installing it starts no server here)
  timeout 180 apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 || true
fi
if command -v promtool >/dev/null 2>&1; then
  promtool check config compose/prometheus/prometheus.yml
  promtool check rules compose/prometheus/rules/*.yml
  # the alert rules' own tests: each fires on its case and stays silent just short of it
  promtool test rules compose/prometheus/tests/*.yml
else
  echo "[deploy-checks] no promtool: the Prometheus files are checked as YAML by check.mjs only"
fi

echo "[deploy-checks] structure (check.mjs)"
if command -v node >/dev/null 2>&1; then
  (cd .ci/deploy-checks && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  node .ci/deploy-checks/check.mjs
else
  echo "[deploy-checks] no Node.js: HCL, YAML and k6 checks skipped"
fi
