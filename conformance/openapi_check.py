#!/usr/bin/env python3
"""Validates the PagerDuty emulator's responses against PagerDuty's published OpenAPI spec.

Every operation the product uses is called over HTTP; each answer's status must be one the
spec lists for that operation, and its JSON body must match the spec's schema for it.

usage: openapi_check.py EMULATOR_URL SPEC_PATH
"""
import datetime
import json
import sys
import urllib.error
import urllib.request

from openapi_schema_validator import OAS30Validator

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8081"
SPEC_PATH = sys.argv[2] if len(sys.argv) > 2 else "../shared/pagerduty/rest-openapiv3.json"
OWNER = "owner@shiftbridge-demo.example"

with open(SPEC_PATH) as handle:
    SPEC = json.load(handle)

failures = []
checked = 0

# Where the published spec contradicts PagerDuty's documented behaviour, the behaviour wins;
# each entry says why. (method, path template, status)
SPEC_ERRATA = {
    ("GET", "/schedules/{id}/overrides", 200): "the spec lists only 201 for this read; the API answers 200",
}


def without_nulls(value):
    """PagerDuty sends null for absent optional fields although the spec rarely marks them
    nullable (../shared/pagerduty/NOTES.md: non-required fields may be null). Dropping them
    keeps required fields checked: a required field sent as null then fails as missing."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def call(method, path, key=None, body=None, headers=None, bearer=None):
    request = urllib.request.Request(BASE + path, method=method)
    if key:
        request.add_header("Authorization", f"Token token={key}")
    if bearer:
        request.add_header("Authorization", f"Bearer {bearer}")
    request.add_header("Accept", "application/vnd.pagerduty+json;version=2")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"].lstrip("#/").split("/")
        node = SPEC
        for part in pointer:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def check(method, template, path, key=None, body=None, headers=None, expect=None, bearer=None):
    """Calls the emulator and validates the answer against the spec's operation."""
    global checked
    status, raw = call(method, path, key=key, body=body, headers=headers, bearer=bearer)
    label = f"{method} {path} → {status}"
    operation = SPEC["paths"][template][method.lower()]
    responses = operation["responses"]
    if expect is not None and status != expect:
        failures.append(f"{label}: expected {expect}")
    if str(status) not in responses:
        if (method, template, status) not in SPEC_ERRATA:
            failures.append(f"{label}: status not listed in the spec ({sorted(responses)})")
        checked += 1
        return status, raw
    response = resolve(responses[str(status)])
    content = response.get("content", {})
    schema_holder = content.get("application/json") or next(iter(content.values()), None)
    if schema_holder and "schema" in schema_holder:
        try:
            document = json.loads(raw)
        except ValueError:
            failures.append(f"{label}: body is not JSON: {raw[:80]!r}")
            return status, raw
        root = {"$ref": "#/x-schema", "x-schema": schema_holder["schema"], "components": SPEC["components"], "paths": SPEC["paths"]}
        errors = sorted(OAS30Validator(root).iter_errors(without_nulls(document)), key=lambda error: list(error.path))
        for error in errors[:3]:
            failures.append(f"{label}: {'/'.join(map(str, error.path))}: {error.message[:200]}")
    checked += 1
    return status, raw


def control(method, path, body=None):
    status, raw = call(method, path, body=body)
    assert status < 300, f"control {path} answered {status}"
    return json.loads(raw) if raw else {}


def schema_errors(template, method, status, document):
    holder = resolve(SPEC["paths"][template][method]["responses"][status])["content"]["application/json"]
    root = {"$ref": "#/x-schema", "x-schema": holder["schema"], "components": SPEC["components"], "paths": SPEC["paths"]}
    return list(OAS30Validator(root).iter_errors(document))


# The checker must be able to fail: a wrong body is rejected.
assert schema_errors("/users", "get", "200", {"users": "not a list"}), "validator accepted a wrong body"
assert schema_errors("/oncalls", "get", "200", {"oncalls": [{"escalation_level": "one"}]}), "validator accepted a wrong type"

control("POST", "/_emulator/reset", {"seed": "demo"})
key = control("POST", "/_emulator/api-keys", {"read_only": False})["key"]
read_only = control("POST", "/_emulator/api-keys", {"read_only": True})["key"]
owner_headers = {"From": OWNER}

# The spec models users' contact methods as references only, so `include[]` (which expands
# them) is checked by the Swift tests, not here.
_, raw = check("GET", "/users", "/users?limit=100&total=true", key, expect=200)
users = json.loads(raw)["users"]
user_id = users[5]["id"]
check("GET", "/users/{id}", f"/users/{user_id}", key, expect=200)
check("GET", "/users/{id}", "/users/PNOSUCH", key, expect=404)
check("GET", "/users/{id}/license", f"/users/{user_id}/license", key, expect=200)
check("GET", "/users", "/users", None, expect=401)
check("GET", "/users", "/users?offset=9990&limit=100", key, expect=400)
new_user = {"user": {"type": "user", "name": "Conformance Person", "email": "conformance.person@example.com", "role": "limited_user", "time_zone": "Europe/Berlin"}}
_, raw = check("POST", "/users", "/users", key, body=new_user, headers=owner_headers, expect=201)
created = json.loads(raw)["user"]["id"]
check("POST", "/users", "/users", key, body=new_user, headers=owner_headers, expect=400)
check("POST", "/users", "/users", read_only, body=new_user, headers=owner_headers, expect=403)
check("PUT", "/users/{id}", f"/users/{created}", key, body={"user": {"type": "user", "job_title": "Tester", "role": "user"}}, expect=200)

_, raw = check("GET", "/teams", "/teams", key, expect=200)
team_id = json.loads(raw)["teams"][0]["id"]
check("GET", "/teams/{id}", f"/teams/{team_id}", key, expect=200)
check("GET", "/teams/{id}/members", f"/teams/{team_id}/members", key, expect=200)
check("PUT", "/teams/{id}/users/{user_id}", f"/teams/{team_id}/users/{created}", key, body={"role": "responder"}, expect=204)
check("DELETE", "/teams/{id}/users/{user_id}", f"/teams/{team_id}/users/{created}", key, expect=204)
check("DELETE", "/users/{id}", f"/users/{created}", key, expect=204)

_, raw = check("GET", "/schedules", "/schedules?query=platform", key, expect=200)
schedule_id = json.loads(raw)["schedules"][0]["id"]
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
since, until = now.strftime("%Y-%m-%dT%H:%M:%SZ"), (now + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%SZ")
_, raw = check("GET", "/schedules/{id}", f"/schedules/{schedule_id}?since={since}&until={until}&time_zone=Europe/London", key, expect=200)
assert json.loads(raw)["schedule"]["final_schedule"]["rendered_schedule_entries"], "the demo schedule rendered nothing"
check("GET", "/schedules/{id}", f"/schedules/{schedule_id}", key, expect=200)
check("GET", "/schedules/{id}", "/schedules/PNOSUCH", key, expect=404)
check("GET", "/schedules/{id}/users", f"/schedules/{schedule_id}/users?since=2026-01-05T00:00:00Z&until=2026-01-12T00:00:00Z", key, expect=200)
layer = {"start": "2026-01-01T00:00:00Z", "rotation_virtual_start": "2026-01-05T09:00:00Z", "rotation_turn_length_seconds": 86400,
         "users": [{"user": {"id": users[1]["id"], "type": "user_reference"}}, {"user": {"id": users[2]["id"], "type": "user_reference"}}],
         "restrictions": [{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 28800}]}
_, raw = check("POST", "/schedules", "/schedules", key, body={"schedule": {"type": "schedule", "name": "Conformance", "time_zone": "Etc/UTC", "schedule_layers": [layer]}}, expect=201)
new_schedule = json.loads(raw)["schedule"]["id"]
check("PUT", "/schedules/{id}", f"/schedules/{new_schedule}", key, body={"schedule": {"type": "schedule", "name": "Conformance 2", "time_zone": "Etc/UTC", "schedule_layers": [layer]}}, expect=200)
override = {"overrides": [{"start": "2026-01-06T10:00:00Z", "end": "2026-01-06T12:00:00Z", "user": {"id": users[3]["id"], "type": "user_reference"}}]}
_, raw = check("POST", "/schedules/{id}/overrides", f"/schedules/{new_schedule}/overrides", key, body=override, expect=201)
override_id = json.loads(raw)[0]["override"]["id"]
check("GET", "/schedules/{id}/overrides", f"/schedules/{new_schedule}/overrides?since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z", key, expect=200)
check("DELETE", "/schedules/{id}/overrides/{override_id}", f"/schedules/{new_schedule}/overrides/{override_id}", key)
check("DELETE", "/schedules/{id}", f"/schedules/{new_schedule}", key, expect=204)

check("GET", "/oncalls", "/oncalls?limit=100", key, expect=200)
check("GET", "/oncalls", f"/oncalls?schedule_ids[]={schedule_id}&since=2026-01-05T00:00:00Z&until=2026-01-12T00:00:00Z&earliest=true", key, expect=200)
_, raw = check("GET", "/escalation_policies", "/escalation_policies", key, expect=200)
check("GET", "/escalation_policies/{id}", f"/escalation_policies/{json.loads(raw)['escalation_policies'][0]['id']}", key, expect=200)
check("GET", "/incidents", "/incidents?statuses[]=triggered", key, expect=200)
check("GET", "/licenses", "/licenses", key, expect=200)
check("GET", "/abilities", "/abilities", key, expect=200)
check("GET", "/audit/records", "/audit/records?root_resource_types[]=users&limit=10", key, expect=200)

print(f"openapi conformance: {checked} responses checked against the spec, {len(failures)} problems")
for failure in failures:
    print("  -", failure)
sys.exit(1 if failures else 0)
