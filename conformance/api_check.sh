#!/usr/bin/env bash
# The JSON API against its own OpenAPI document, with schemathesis (PyPI): the app on
# loopback, connected to a PagerDuty emulator, an API token, every operation. Passes only
# with zero 5xx, zero responses the document does not allow, and the process alive at the end.
#
# usage: conformance/api_check.sh PATH_TO_shiftbridge_BINARY
set -euo pipefail
binary=$1
app_port=${API_CHECK_APP_PORT:-18391}
emulator_port=${API_CHECK_EMULATOR_PORT:-18392}
app="http://127.0.0.1:$app_port"
emulator="http://127.0.0.1:$emulator_port"
work=$(mktemp -d /tmp/shiftbridge-api-check.XXXXXX)
export SHIFTBRIDGE_DATA_DIR=$work SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS=$emulator LOG_LEVEL=warning SHIFTBRIDGE_PUBLIC_URL=http://127.0.0.1:$app_port
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$binary" pagerduty-emulator --port "$emulator_port" --seed demo > "$work/emulator.log" 2>&1 &
pids+=($!)
"$binary" admin create --email api-check@example.com --password 'correct horse battery staple' > /dev/null
token=$("$binary" admin token --email api-check@example.com --name schemathesis)
"$binary" serve --hostname 127.0.0.1 --port "$app_port" > "$work/app.log" 2>&1 &
app_pid=$!
pids+=($app_pid)
for _ in $(seq 1 100); do curl -fs "$app/healthz" > /dev/null 2>&1 && curl -fs "$emulator/_emulator/clock" > /dev/null 2>&1 && break; sleep 0.2; done
key=$(curl -fs -X POST "$emulator/_emulator/api-keys" -d '{"read_only":false}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
curl -fs -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"api_key\":\"$key\",\"base_url\":\"$emulator\"}" "$app/api/v1/integrations/pagerduty/api-key" > /dev/null

# positive_data_acceptance is left out: it expects every schema-valid body to be accepted,
# and the API also refuses what no schema can say (an email not in People, an unknown time zone).
common=(--url "$app" -H "Authorization: Bearer $token" --checks all --exclude-checks positive_data_acceptance
        --request-timeout 30 --generation-database none --max-examples "${API_CHECK_EXAMPLES:-40}" --suppress-health-check all)
# First every operation but the three that would end the run (revoke its token, remove its
# account, disconnect PagerDuty), with stateful sequences; then those three on their own.
schemathesis run "$app/api/v1/openapi.json" "${common[@]}" -w 2 \
  --exclude-operation-id revokeToken --exclude-operation-id removeUser --exclude-operation-id disconnectPagerDuty
schemathesis run "$app/api/v1/openapi.json" "${common[@]}" -w 1 --phases coverage,fuzzing \
  --include-operation-id revokeToken --include-operation-id removeUser --include-operation-id disconnectPagerDuty

kill -0 "$app_pid" || { echo "the app died during the API check"; tail -50 "$work/app.log"; exit 1; }
curl -fs "$app/healthz" > /dev/null || { echo "the app stopped answering"; exit 1; }
if grep -q "Fatal error\|Precondition failed" "$work/app.log"; then echo "the app's log shows a crash"; exit 1; fi
echo "api check: schemathesis passed, the app is alive"
