#!/usr/bin/env python3
"""Drives the PagerDuty emulator with PagerDuty's official Python client (`pagerduty` on PyPI).

usage: python_client_check.py EMULATOR_URL
Expects the emulator to run with a small rate limit (e.g. --rate-limit 40 --rate-window 2)
so the client's own 429 handling is exercised.
"""
import datetime
import json
import sys
import urllib.request

import pagerduty

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8081"


def control(path, body):
    request = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def loopback_url(self, new_base_url):
    # The client insists on https://; the emulator serves plain HTTP on loopback only.
    # Everything else the client does (paging, retries, 429 handling) runs unchanged.
    if not (new_base_url.startswith("https://") or new_base_url.startswith("http://127.0.0.1:")):
        raise pagerduty.errors.UrlError("API base URL must use scheme https://")
    self._url = new_base_url


pagerduty.api_client.ApiClient.url = pagerduty.api_client.ApiClient.url.setter(loopback_url)

control("/_emulator/reset", {"seed": "demo"})
key = control("/_emulator/api-keys", {"read_only": False})["key"]
client = pagerduty.RestApiV2Client(key, default_from="owner@shiftbridge-demo.example", base_url=BASE)
client.sleep_timer = 0.2
checks = 0

# Every user, across pages of 25.
users = list(client.iter_all("users", page_size=25))
assert len(users) == 60, f"expected 60 users across pages, got {len(users)}"
assert len({user["id"] for user in users}) == 60, "a user came twice"
checks += 1

# Create, find, update, delete.
created = client.rpost("users", json={"user": {"type": "user", "name": "Py Client", "email": "py.client@example.com"}})
assert created["email"] == "py.client@example.com"
found = client.find("users", "py.client@example.com", attribute="email")
assert found and found["id"] == created["id"]
updated = client.rput(f"users/{created['id']}", json={"user": {"type": "user", "job_title": "Checker"}})
assert updated["job_title"] == "Checker"
client.rdelete(f"users/{created['id']}")
gone = client.get(f"users/{created['id']}")
assert gone.status_code == 404
checks += 1

# Schedules and on-calls.
schedules = list(client.iter_all("schedules"))
assert len(schedules) == 8, f"expected 8 demo schedules, got {len(schedules)}"
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
window = {"since": now.isoformat(), "until": (now + datetime.timedelta(days=7)).isoformat()}
schedule = client.rget(f"schedules/{schedules[0]['id']}", params=window)
assert schedule["final_schedule"]["rendered_schedule_entries"], "no rendered entries"
oncalls = list(client.iter_all("oncalls", params={"schedule_ids[]": [schedules[0]["id"]]}))
assert oncalls and all(entry["schedule"]["id"] == schedules[0]["id"] for entry in oncalls)
checks += 1

# Hit the rate limit and recover: the client waits out 429s and every call succeeds.
for _ in range(60):
    assert client.rget("abilities")
stats = json.loads(urllib.request.urlopen(BASE + "/_emulator/stats", timeout=10).read())
limited = stats["by_status"].get("429", 0)
assert limited > 0, "the rate limit was never reached; start the emulator with a small --rate-limit"
checks += 1

print(f"python client conformance: {checks} checks passed, {limited} rate-limited answers recovered")
