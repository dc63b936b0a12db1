#!/usr/bin/env python3
"""Holds the Slack emulator to Slack's own description and client.

usage: slack_check.py EMULATOR_URL SPEC_PATH

Drives the emulator with Slack's official Python SDK (`slack-sdk` on PyPI), unchanged apart
from `base_url`: paging, 429 handling (the SDK's own RateLimitErrorRetryHandler) and every
Web API method the product uses. Every answer the SDK receives is validated against the
method's schema in Slack's published OpenAPI description (`web-openapi-v2.json`): success
bodies strictly; error bodies for `ok: false` and an error code.
"""
import json
import sys
import urllib.request

import jsonschema
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8082"
SPEC = json.load(open(sys.argv[2] if len(sys.argv) > 2 else "../shared/slack/web-openapi-v2.json"))


def alternatives(node):
    """Slack's description writes "one of" as a tuple-style `items` list on non-arrays."""
    if isinstance(node, dict):
        node = {key: alternatives(value) for key, value in node.items()}
        if isinstance(node.get("items"), list) and node.get("type") != "array":
            options = node.pop("items")
            node["anyOf"] = options
        return node
    if isinstance(node, list):
        return [alternatives(value) for value in node]
    return node


DEFINITIONS = alternatives(SPEC["definitions"])
validated = {"ok": 0, "error": 0}


def validate(method, body):
    path = SPEC["paths"]["/" + method]
    operation = next(iter(path.values()))
    if body.get("ok"):
        schema = dict(alternatives(operation["responses"]["200"]["schema"]))
        schema["definitions"] = DEFINITIONS
        jsonschema.Draft4Validator(schema).validate(body)
        validated["ok"] += 1
    else:
        assert body.get("ok") is False and isinstance(body.get("error"), str), body
        validated["error"] += 1


class CheckedClient(WebClient):
    """The SDK's client; every parsed answer also goes through the spec."""

    def api_call(self, api_method, **kwargs):
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            validate(api_method, error.response.data)
            raise
        validate(api_method, response.data)
        return response


def control(method, path, body=None):
    request = urllib.request.Request(BASE + path, data=json.dumps(body or {}).encode(), method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if raw else {}


def expect_error(code, call):
    try:
        call()
    except SlackApiError as error:
        assert error.response["error"] == code, (code, error.response.data)
        return error.response
    raise AssertionError(f"expected {code}")


SCOPES = ["usergroups:read", "usergroups:write", "users:read", "users:read.email", "channels:read", "groups:read",
          "channels:manage", "groups:write", "chat:write", "chat:write.public", "im:write", "commands",
          "channels:history", "groups:history", "im:history"]

control("POST", "/_emulator/reset", {"seed": "demo"})
control("PUT", "/_emulator/settings", {"usergroup_editors": "everyone", "plan": "standard", "rate_window_seconds": 60})
bot = control("POST", "/_emulator/tokens", {"type": "bot", "scopes": SCOPES})["token"]
client = CheckedClient(token=bot, base_url=BASE + "/api/")
client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=5))

# Who the token is.
me = client.auth_test()
assert me["team_id"].startswith("T") and me["bot_id"].startswith("B"), me.data

# Every member, paged by cursor, 7 at a time; nothing repeated or missed.
seen, pages = [], 0
for page in client.users_list(limit=7):
    pages += 1
    seen += [member["id"] for member in page["members"]]
assert pages > 5 and len(seen) == len(set(seen)), (pages, len(seen))
everyone = {member["id"]: member for member in client.users_list(limit=1000)["members"]}
assert set(seen) == set(everyone), "paging lost or invented members"
assert "USLACKBOT" in everyone and any(m["is_bot"] for m in everyone.values())
assert any(m.get("is_restricted") for m in everyone.values()) and any(m.get("deleted") for m in everyone.values())
alex = client.users_lookupByEmail(email="alex.nguyen@shiftbridge-demo.example")["user"]
expect_error("users_not_found", lambda: client.users_lookupByEmail(email="nobody@example.com"))
blake = client.users_lookupByEmail(email="blake.okafor@shiftbridge-demo.example")["user"]

# A group: created, filled, refused an empty list and a bot, disabled, enabled.
group = client.usergroups_create(name="Checks on call", handle="checks-oncall")["usergroup"]
expect_error("name_already_exists", lambda: client.usergroups_create(name="Checks on call", handle="other-handle"))
expect_error("handle_already_exists", lambda: client.usergroups_create(name="Other", handle="checks-oncall"))
updated = client.usergroups_users_update(usergroup=group["id"], users=[alex["id"], blake["id"]])["usergroup"]
assert updated["users"] == [alex["id"], blake["id"]], updated
assert client.usergroups_users_list(usergroup=group["id"])["users"] == [alex["id"], blake["id"]]
expect_error("no_users_provided", lambda: client.usergroups_users_update(usergroup=group["id"], users=[]))
bot_member = next(m["id"] for m in everyone.values() if m["is_bot"])
expect_error("invalid_users", lambda: client.usergroups_users_update(usergroup=group["id"], users=[alex["id"], bot_member]))
assert client.usergroups_disable(usergroup=group["id"])["usergroup"]["date_delete"] != 0
listed = client.usergroups_list(include_users=True)["usergroups"]
assert group["id"] not in [g["id"] for g in listed]
listed = client.usergroups_list(include_users=True, include_disabled=True)["usergroups"]
assert group["id"] in [g["id"] for g in listed]
assert client.usergroups_enable(usergroup=group["id"])["usergroup"]["date_delete"] == 0
expect_error("no_such_subteam", lambda: client.usergroups_users_list(usergroup="SNOSUCHGRP1"))

# A channel: info, topic, a message, a direct message.
channel = control("POST", "/_emulator/channels", {"name": "checks", "is_private": False})["id"]
info = client.conversations_info(channel=channel)["channel"]
assert info["name"] == "checks"
assert client.conversations_setTopic(channel=channel, topic="On duty: <@%s>" % alex["id"])["channel"]["topic"]["value"].startswith("On duty")
expect_error("too_long", lambda: client.conversations_setTopic(channel=channel, topic="x" * 251))
posted = client.chat_postMessage(channel=channel, text="Handover: &lt;script&gt; is text")
assert posted["message"]["text"] == "Handover: &lt;script&gt; is text"
dm = client.conversations_open(users=alex["id"])["channel"]["id"]
client.chat_postMessage(channel=dm, text="You are on duty in 15 minutes")
messages = control("GET", f"/_emulator/channels/{channel}/messages")["messages"]
assert [m["text"] for m in messages] == ["Handover: &lt;script&gt; is text"], messages
# Reading the channel back (how a message whose answer was lost is looked for) and its members.
history = client.conversations_history(channel=channel, oldest="0")
assert [m["text"] for m in history["messages"]] == ["Handover: &lt;script&gt; is text"] and history["has_more"] is False, history.data
members = client.conversations_members(channel=channel)
assert posted["message"]["user"] in members["members"] and members["response_metadata"]["next_cursor"] == "", members.data
stranger = control("POST", "/_emulator/channels", {"name": "elsewhere", "is_private": False, "bot_member": False})["id"]
expect_error("not_in_channel", lambda: client.conversations_history(channel=stranger))
expect_error("channel_not_found", lambda: client.chat_postMessage(channel="CNOSUCHCHN1", text="hi"))

# Scopes: a token without users:read.email is told what it lacks.
narrow = CheckedClient(token=control("POST", "/_emulator/tokens", {"type": "bot", "scopes": ["users:read"]})["token"], base_url=BASE + "/api/")
error = expect_error("missing_scope", lambda: narrow.users_lookupByEmail(email="alex.nguyen@shiftbridge-demo.example"))
assert error["needed"] == "users:read.email" and error["provided"] == "users:read", error.data
assert all("email" not in m["profile"] for m in narrow.users_list()["members"])
expect_error("invalid_auth", lambda: CheckedClient(token="xoxb-nope", base_url=BASE + "/api/").auth_test())

# Admins-only groups: the bot is refused, an admin's user token works. A free plan has none.
control("PUT", "/_emulator/settings", {"usergroup_editors": "admins"})
expect_error("permission_denied", lambda: client.usergroups_users_update(usergroup=group["id"], users=[alex["id"]]))
admin = CheckedClient(token=control("POST", "/_emulator/tokens", {"type": "user", "scopes": SCOPES, "admin": True})["token"], base_url=BASE + "/api/")
assert admin.usergroups_users_update(usergroup=group["id"], users=[alex["id"]])["usergroup"]["users"] == [alex["id"]]
control("PUT", "/_emulator/settings", {"usergroup_editors": "everyone", "plan": "free"})
expect_error("plan_upgrade_required", lambda: client.usergroups_list())
control("PUT", "/_emulator/settings", {"plan": "standard"})

# Tier limits: three tier-2 calls in a 3-second window (Tier 2 scaled: 1 allowed per window);
# the SDK's retry handler waits out Retry-After and every call lands.
control("PUT", "/_emulator/settings", {"rate_window_seconds": 3})
for _ in range(3):
    client.usergroups_users_list(usergroup=group["id"])
stats = control("GET", "/_emulator/stats")
assert stats["by_error"].get("ratelimited", 0) >= 1, stats
control("PUT", "/_emulator/settings", {"rate_window_seconds": 60})

# OAuth v2: consent, code exchange, token rotation.
app = control("POST", "/_emulator/oauth-apps", {"redirect_uri": "http://127.0.0.1:9/callback", "token_rotation": True})
form = urllib.parse.urlencode({"client_id": app["client_id"], "scope": ",".join(SCOPES), "user_scope": "usergroups:write",
                               "redirect_uri": "http://127.0.0.1:9/callback", "state": "s1", "decision": "allow"}).encode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)
try:
    opener.open(urllib.request.Request(BASE + "/oauth/v2/authorize", data=form, method="POST"))
    raise AssertionError("consent did not redirect")
except urllib.error.HTTPError as redirect:
    location = redirect.headers["Location"]
code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
anonymous = CheckedClient(base_url=BASE + "/api/")
grant = anonymous.oauth_v2_access(client_id=app["client_id"], client_secret=app["client_secret"], code=code,
                                  redirect_uri="http://127.0.0.1:9/callback")
assert grant["access_token"].startswith("xoxb-") and grant["refresh_token"] and grant["expires_in"] == 43200
assert grant["authed_user"]["access_token"].startswith("xoxp-")
expect_error("invalid_code", lambda: anonymous.oauth_v2_access(client_id=app["client_id"], client_secret=app["client_secret"], code=code))
renewed = anonymous.oauth_v2_access(client_id=app["client_id"], client_secret=app["client_secret"], grant_type="refresh_token",
                                    refresh_token=grant["refresh_token"])
assert renewed["refresh_token"] != grant["refresh_token"]
expect_error("invalid_refresh_token", lambda: anonymous.oauth_v2_access(client_id=app["client_id"], client_secret=app["client_secret"],
                                                                       grant_type="refresh_token", refresh_token=grant["refresh_token"]))
assert CheckedClient(token=renewed["access_token"], base_url=BASE + "/api/").auth_test()["ok"]

print(f"slack conformance: {validated['ok']} successful and {validated['error']} error answers valid against the spec; "
      f"{pages} pages of users; 429s waited out by the SDK")
