#!/bin/sh
# n8n with Herald's workflows: every n8n-workflows/*.json is imported (by its id: a re-import updates it)
# before n8n starts. No workflows there yet: n8n starts empty.
set -e
if ls /workflows/*.json >/dev/null 2>&1; then
  n8n import:workflow --separate --input=/workflows
else
  echo "n8n-workflows/ has no workflow to import"
fi
exec n8n start
