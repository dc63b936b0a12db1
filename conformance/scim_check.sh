#!/usr/bin/env bash
# The SCIM service provider at /scim/v2 with scim2-tester (conformance/scim_check.py): the app
# on loopback, a SCIM token made through the API, every check that applies to Users.
#
# usage: conformance/scim_check.sh PATH_TO_shiftbridge_BINARY
set -euo pipefail
binary=$1
app_port=${SCIM_CHECK_APP_PORT:-18393}
app="http://127.0.0.1:$app_port"
work=$(mktemp -d /tmp/shiftbridge-scim-check.XXXXXX)
export SHIFTBRIDGE_DATA_DIR=$work LOG_LEVEL=warning SHIFTBRIDGE_PUBLIC_URL=$app
app_pid=
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$binary" admin create --email scim-check@example.com --password 'correct horse battery staple' > /dev/null
token=$("$binary" admin token --email scim-check@example.com --name scim-check)
"$binary" serve --hostname 127.0.0.1 --port "$app_port" > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do curl -fs "$app/healthz" > /dev/null 2>&1 && break; sleep 0.2; done
scim_token=$(curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"name":"scim2-tester"}' \
  "$app/api/v1/scim/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 conformance/scim_check.py "$app/scim/v2" "$scim_token"
kill -0 "$app_pid" || { echo "the app died during the SCIM check"; tail -50 "$work/app.log"; exit 1; }
if grep -q "Fatal error\|Precondition failed" "$work/app.log"; then echo "the app's log shows a crash"; exit 1; fi
