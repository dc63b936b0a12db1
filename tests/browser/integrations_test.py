#!/usr/bin/env python3
"""Real-browser check of Settings → Integrations (headless Chromium through Selenium).

Starts the app and the PagerDuty emulator on loopback, then, as an admin would: signs in,
connects PagerDuty with an API key, sees its last four characters, edits the key,
disconnects after confirming, connects with OAuth through the emulator's consent page,
binds a new rotation to a PagerDuty schedule after searching and previewing it, connects
Slack (the Slack emulator) and sets the rotation's outputs, sees its user group filled and
its topic set, and runs HR provisioning: upload, rules with a live preview, plan, approve,
applied report.

usage: integrations_test.py PATH_TO_shiftbridge_BINARY
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from browser_support import chromium, wait_for

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BINARY = sys.argv[1]
APP_PORT = int(os.environ.get("BROWSER_TEST_APP_PORT", "18281"))
EMULATOR_PORT = int(os.environ.get("BROWSER_TEST_EMULATOR_PORT", "18282"))
SLACK_PORT = int(os.environ.get("BROWSER_TEST_SLACK_PORT", "18283"))
APP = f"http://127.0.0.1:{APP_PORT}"
EMULATOR = f"http://127.0.0.1:{EMULATOR_PORT}"
SLACK = f"http://127.0.0.1:{SLACK_PORT}"
EMAIL, PASSWORD = "browser-admin@example.com", "a long browser passphrase"
SHOTS = os.environ.get("BROWSER_TEST_SCREENSHOTS", tempfile.gettempdir())

data_dir = tempfile.mkdtemp(prefix="shiftbridge-browser-")
# The emulators are the only vendor hosts this app may use (a stand-in needs saying so).
env = dict(os.environ, SHIFTBRIDGE_DATA_DIR=data_dir, LOG_LEVEL="warning", SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS=f"{EMULATOR},{SLACK}", SHIFTBRIDGE_PUBLIC_URL=APP)
env.pop("DATABASE_URL", None)
processes = []
checks = 0


def control(path, body, base=EMULATOR, method="POST"):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def passed(what):
    global checks
    checks += 1
    print(f"  ok - {what}")


driver = None
try:
    subprocess.run([BINARY, "admin", "create", "--email", EMAIL, "--password", PASSWORD], env=env, check=True, capture_output=True, timeout=120)
    processes.append(subprocess.Popen([BINARY, "pagerduty-emulator", "--port", str(EMULATOR_PORT), "--seed", "demo"], env=env, stdout=subprocess.DEVNULL))
    processes.append(subprocess.Popen([BINARY, "slack-emulator", "--port", str(SLACK_PORT), "--seed", "demo"], env=env, stdout=subprocess.DEVNULL))
    processes.append(subprocess.Popen([BINARY, "serve", "--hostname", "127.0.0.1", "--port", str(APP_PORT)], env=env, stdout=subprocess.DEVNULL))
    wait_for(EMULATOR + "/_emulator/clock")
    wait_for(SLACK + "/_emulator/clock")
    wait_for(APP + "/healthz")
    first_key = control("/_emulator/api-keys", {"read_only": True})["key"]
    second_key = control("/_emulator/api-keys", {"read_only": False})["key"]
    oauth_app = control("/_emulator/oauth-apps", {"redirect_uri": f"{APP}/api/integrations/pagerduty/login/callback", "scopes": []})

    driver = chromium()
    # A condition may look at an element while the page it was on is being replaced (a form
    # just posted): Chrome then answers with an inspector error; look again.
    wait = WebDriverWait(driver, 15, ignored_exceptions=[StaleElementReferenceException, WebDriverException])

    def text(selector):
        return driver.find_element(By.CSS_SELECTOR, selector).text

    def fill(selector, value):
        field = driver.find_element(By.CSS_SELECTOR, selector)
        field.clear()
        field.send_keys(value)

    def open_advanced(form_selector):
        driver.find_element(By.CSS_SELECTOR, f"{form_selector} details.advanced summary").click()

    def submit_key(opener_id, dialog_id, key):
        """Opens the card's key dialog, enters the key and the emulator's address, submits."""
        driver.find_element(By.ID, opener_id).click()
        form = f"#{dialog_id} form[action$='api-key']"
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, form)))
        fill(f"{form} input[name=api_key]", key)
        open_advanced(form)
        fill(f"{form} input[name=base_url]", EMULATOR)
        driver.find_element(By.CSS_SELECTOR, f"{form} button[type=submit]").click()

    def disconnect():
        driver.find_element(By.ID, "disconnect-button").click()
        wait.until(EC.element_to_be_clickable((By.ID, "confirm-disconnect"))).click()
        wait.until(EC.text_to_be_present_in_element((By.ID, "pagerduty-status"), "Not connected"))

    # Sign in: the protected page sends us to sign-in and back.
    driver.get(APP + "/settings/integrations")
    wait.until(EC.url_contains("/sign-in"))
    fill("input[name=email]", EMAIL)
    fill("input[name=password]", PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    wait.until(EC.url_contains("/settings/integrations"))
    assert text("#pagerduty-status") == "Not connected"
    passed("signed in and reached Settings → Integrations")

    # Connect with an API key.
    submit_key("connect-pagerduty-button", "connect-pagerduty", first_key)
    wait.until(EC.text_to_be_present_in_element((By.ID, "pagerduty-status"), "Active"))
    assert text("#pagerduty-last4") == "…" + first_key[-4:], text("#pagerduty-last4")
    assert first_key not in driver.page_source
    assert "Read-only key" in driver.page_source
    passed("connected with an API key; the card shows only its last 4 characters")

    # Edit the key.
    submit_key("edit-key-button", "edit-pagerduty-key", second_key)
    wait.until(EC.text_to_be_present_in_element((By.ID, "pagerduty-last4"), second_key[-4:]))
    assert "Read-only key" not in driver.page_source
    passed("edited the API key")

    # Disconnect, after confirming.
    disconnect()
    passed("disconnected after confirming")

    # Connect with OAuth through the emulator's consent page.
    driver.find_element(By.ID, "connect-pagerduty-button").click()
    form = "#connect-pagerduty form[action$='oauth']"
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, form)))
    assert f"{APP}/api/integrations/pagerduty/login/callback" in text("#redirect-uri")
    fill(f"{form} input[name=client_id]", oauth_app["client_id"])
    fill(f"{form} input[name=client_secret]", oauth_app["client_secret"])
    open_advanced(form)
    fill(f"{form} input[name=base_url]", EMULATOR)
    fill(f"{form} input[name=identity_url]", EMULATOR)
    driver.find_element(By.CSS_SELECTOR, f"{form} button[type=submit]").click()
    approve = wait.until(EC.element_to_be_clickable((By.ID, "approve")))
    assert driver.current_url.startswith(EMULATOR + "/oauth/authorize")
    approve.click()
    wait.until(EC.url_contains(APP + "/settings/integrations"))
    wait.until(EC.text_to_be_present_in_element((By.ID, "pagerduty-status"), "Active"))
    assert "OAuth 2.0" in driver.page_source and "Refresh Connection" in driver.page_source
    assert oauth_app["client_secret"] not in driver.page_source
    passed("connected with OAuth through the consent page and came back active")
    driver.save_screenshot(os.path.join(SHOTS, "integrations-oauth-active.png"))

    # A rotation that follows a PagerDuty schedule: create it, search, preview, follow.
    driver.get(APP + "/rotations")
    fill("form[action='/rotations'] input[name=code]", "platform")
    fill("form[action='/rotations'] input[name=name]", "Platform")
    driver.find_element(By.CSS_SELECTOR, "form[action='/rotations'] button[type=submit]").click()
    wait.until(EC.url_contains("/rotations/PLATFORM"))
    fill("input[name=pd_query]", "Platform Primary")
    driver.find_element(By.CSS_SELECTOR, ".search-row button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#pd-results a"))).click()
    follow = wait.until(EC.element_to_be_clickable((By.ID, "bind-schedule")))
    assert "Preview: Platform Primary" in driver.page_source
    follow.click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Follows PagerDuty; last synced"))
    assert "linked" in driver.page_source and "Members come from PagerDuty" in driver.page_source
    assert driver.find_elements(By.CSS_SELECTOR, "#on-duty li"), "nobody on duty"
    passed("created a rotation and bound it to a PagerDuty schedule after a preview")
    driver.save_screenshot(os.path.join(SHOTS, "rotation-follows-pagerduty.png"))

    # Slack: connect with a bot token, then send the rotation's duty to a group and a topic.
    bot_token = control("/_emulator/tokens", {"type": "bot", "scopes": [
        "usergroups:read", "usergroups:write", "users:read", "users:read.email", "channels:read", "groups:read", "channels:manage",
        "groups:write", "chat:write", "chat:write.public", "im:write", "commands", "channels:history", "groups:history", "im:history"]}, base=SLACK)["token"]
    channel = control("/_emulator/channels", {"name": "browser-platform", "is_private": False}, base=SLACK)["id"]
    driver.get(APP + "/settings/integrations")
    driver.find_element(By.ID, "connect-slack-button").click()
    slack_form = "#connect-slack form[action$='slack/token']"
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, slack_form)))
    fill(f"{slack_form} input[name=bot_token]", bot_token)
    open_advanced(slack_form)
    fill(f"{slack_form} input[name=base_url]", SLACK + "/api/")
    driver.find_element(By.CSS_SELECTOR, f"{slack_form} button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "slack-status"), "Active"))
    assert text("#slack-last4") == "…" + bot_token[-4:] and bot_token not in driver.page_source
    passed("connected Slack with a bot token and saw only its last four characters")

    driver.get(APP + "/rotations/PLATFORM")
    fill("#slack-outputs input[name=on_duty_usergroup]", "browser-oncall")
    fill("#slack-outputs input[name=channel]", channel)
    fill("#slack-outputs input[name=topic_template]", "On duty: {on_duty} until {until}")
    driver.find_element(By.ID, "save-slack-outputs").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Slack outputs saved"))
    deadline = time.time() + 20
    group = None
    while time.time() < deadline:
        state = control("/_emulator/state", None, base=SLACK, method="GET")
        group = next((g for g in state["usergroups"] if g["handle"] == "browser-oncall"), None)
        topic = next(c["topic"] for c in state["channels"] if c["id"] == channel)
        if group and group["users"] and topic.startswith("On duty: <@"):
            break
        time.sleep(0.5)
    assert group and group["users"] and group["enabled"], f"group not filled: {group}"
    driver.get(APP + "/rotations/PLATFORM")
    wait.until(EC.text_to_be_present_in_element((By.ID, "slack-outputs-state"), "member(s), last right"))
    assert "linked to Slack" in driver.page_source
    passed("set the rotation's Slack outputs and saw its group filled and its topic set")
    driver.save_screenshot(os.path.join(SHOTS, "rotation-slack-outputs.png"))

    # Markup typed into a field stays text: the browser builds no element or attribute from it.
    hostile = '"><x-evil data-evil="1"><base href="http://evil.example/">\'<img src=x onerror=alert(1)>'
    driver.get(APP + "/rotations")
    fill("form[action='/rotations'] input[name=code]", "evil")
    fill("form[action='/rotations'] input[name=name]", hostile)
    driver.find_element(By.CSS_SELECTOR, "form[action='/rotations'] button[type=submit]").click()
    wait.until(EC.url_contains("/rotations/EVIL"))
    for page in ["/rotations/EVIL?pd_query=" + urllib.parse.quote(hostile), "/rotations", "/audit", "/sign-in?next=" + urllib.parse.quote(hostile)]:
        driver.get(APP + page)
        injected = driver.execute_script(
            "return document.querySelectorAll('x-evil, base, img').length + document.querySelectorAll('[data-evil], [onerror]').length")
        assert injected == 0, f"{page}: {injected} injected element(s)"
    passed("markup in a rotation's name and in query parameters stays text in the real DOM")

    # HR provisioning needs write access: reconnect with the full-access key.
    driver.get(APP + "/settings/integrations")
    disconnect()
    submit_key("connect-pagerduty-button", "connect-pagerduty", second_key)
    wait.until(EC.text_to_be_present_in_element((By.ID, "pagerduty-status"), "Active"))

    # Import an HR export through the upload form.
    csv_path = os.path.join(data_dir, "hr.csv")
    with open(csv_path, "w") as handle:
        handle.write("employee_id,email,first_name,last_name,status,department,title,time_zone\n"
                     "B1,bea@corp.example,Bea,Ito,active,Platform,Engineer,Europe/Berlin\n"
                     "B2,bo@corp.example,Bo,Lund,active,Platform,SRE,Europe/Oslo\n"
                     "B3,cy@corp.example,Cy,Park,active,Sales,Rep,America/New_York\n")
    driver.get(APP + "/provisioning")
    driver.find_element(By.ID, "import-file").send_keys(csv_path)
    driver.find_element(By.ID, "import-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "employee-counts"), "3 employees"))
    passed("imported an HR export through the upload form")

    # Rules: the live preview counts matches as the JSON is typed, before saving.
    rules = json.dumps({"default_role": "limited_user", "rules": [
        {"name": "Platform", "role": "user", "teams": [{"team": "Platform", "role": "responder"}],
         "when": {"attribute": "department", "operator": "equals", "value": "platform"}}]})
    driver.find_element(By.ID, "rules-advanced").click()
    area = driver.find_element(By.ID, "rules-json")
    driver.execute_script("arguments[0].value = arguments[1];", area, rules[:-1])
    area.send_keys("}")
    wait.until(EC.text_to_be_present_in_element((By.ID, "rules-preview"), "Platform: 2 employee(s)"))
    driver.find_element(By.ID, "save-rules").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Rules saved."))
    passed("edited the rules as JSON (Advanced) with a live preview and saved them")

    # The same rules in the builder: add a condition, watch the preview follow, save.
    driver.get(APP + "/provisioning")
    assert driver.find_element(By.NAME, "r0.g0.t0.attribute").get_attribute("value") == "department"
    driver.find_element(By.ID, "add-test-0-0").click()
    wait.until(EC.presence_of_element_located((By.NAME, "r0.g0.t1.attribute")))
    fill("input[name='r0.g0.t1.attribute']", "title")
    fill("input[name='r0.g0.t1.value']", "SRE")
    wait.until(EC.text_to_be_present_in_element((By.ID, "rules-preview"), "Platform: 1 employee(s)"))
    driver.find_element(By.ID, "save-rule-builder").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Rules saved."))
    assert '"title"' in driver.find_element(By.ID, "rules-json").get_attribute("value")
    # Back to one condition, so the run below provisions both Platform employees.
    driver.find_element(By.ID, "remove-test-0-0-1").click()
    wait.until(EC.invisibility_of_element_located((By.NAME, "r0.g0.t1.attribute")))
    driver.find_element(By.ID, "save-rule-builder").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main"), "Rules saved."))
    passed("edited the rules in the builder (add and remove a condition) with the preview following, and saved them")

    # Plan (supervised by default), review, approve all, watch it apply.
    driver.find_element(By.ID, "plan-run").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "run-status"), "pending approval"))
    assert "bea@corp.example" in driver.page_source and "role: user" in driver.page_source
    driver.find_element(By.ID, "approve-all").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "run-status"), "completed"))
    assert driver.find_element(By.CSS_SELECTOR, "[data-report=processed]").text == "3"
    assert driver.find_element(By.CSS_SELECTOR, "[data-report=failed]").text == "0"
    passed("planned a run, approved it, and saw it applied with its report")
    driver.save_screenshot(os.path.join(SHOTS, "provisioning-run.png"))
except Exception:
    if driver:
        driver.save_screenshot(os.path.join(SHOTS, "integrations-failure.png"))
        print("page at failure:", driver.current_url)
    raise
finally:
    if driver:
        driver.quit()
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    shutil.rmtree(data_dir, ignore_errors=True)

print(f"browser: {checks} checks passed")
