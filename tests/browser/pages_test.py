#!/usr/bin/env python3
"""Every page, in a real browser (headless Chromium through Selenium), checked by axe-core
(axe-selenium-python): zero serious or critical violations, signed out and signed in, at
desktop width and at 375 px (where nothing may overflow sideways), every form control
reachable with the keyboard. Saves a screenshot of each main page.

Runs the demo (`shiftbridge demo`) in a scratch folder, so the pages hold real data: a
rotation following PagerDuty, one feeding Slack, provisioning rules and a planned run.

usage: pages_test.py PATH_TO_shiftbridge_BINARY [SCREENSHOT_DIR] [--docs]
  --docs  also refresh the README's pictures (docs/overview.png, docs/rotation.png)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from browser_support import chromium, wait_for

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

BINARY = os.path.abspath(sys.argv[1])
SHOTS = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else tempfile.mkdtemp(prefix="shiftbridge-shots-")
DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs") if "--docs" in sys.argv else None
PORT = int(os.environ.get("PAGES_TEST_PORT", "18480"))
APP = f"http://127.0.0.1:{PORT}"
os.makedirs(SHOTS, exist_ok=True)
workdir = tempfile.mkdtemp(prefix="shiftbridge-pages-")
env = dict(os.environ, LOG_LEVEL="warning")
env.pop("DATABASE_URL", None)
problems = []
checked = 0


demo = subprocess.Popen([BINARY, "demo", "--port", str(PORT)], cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
driver = None
try:
    password = None
    deadline = time.time() + 120
    while password is None and time.time() < deadline:
        line = demo.stdout.readline()
        match = re.search(r"Password\s+(\S+)", line)
        if match:
            password = match.group(1)
    assert password, "the demo printed no password"
    wait_for(APP + "/healthz", seconds=90)

    driver = chromium("--force-prefers-reduced-motion")

    def audit(name, path):
        """axe at desktop width and at 375 px; keyboard reach; a screenshot."""
        global checked
        for width in (1280, 375):
            driver.set_window_size(width, 1000)
            driver.get(APP + path)
            axe = Axe(driver)
            axe.inject()
            results = axe.run(options={"resultTypes": ["violations"]})
            for violation in results["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{name} @{width}px: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
            if width == 375:
                overflow = driver.execute_script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 1:
                    wide = driver.execute_script("""
                        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                          .slice(0, 4).map(e => e.tagName + '.' + (e.getAttribute('class') || '') + '#' + e.id)""")
                    problems.append(f"{name} @375px: the page is {overflow}px wider than the screen: {wide}")
                driver.execute_script("window.scrollTo(0, 0)")
                driver.save_screenshot(os.path.join(SHOTS, f"{name}-375.png"))
            else:
                driver.execute_script("window.scrollTo(0, 0)")
                driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
                unreachable = driver.execute_script("""
                    return [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button')]
                      .filter(e => !e.closest('.modal') && (e.tabIndex < 0 || e.disabled === undefined)).map(e => e.name || e.id)""")
                if unreachable:
                    problems.append(f"{name}: not reachable with the keyboard: {unreachable}")
        checked += 1
        print(f"  checked {name} ({path})")

    # Signed out.
    audit("sign-in", "/sign-in")

    # Sign in with the keyboard alone: Tab into the fields, type, Enter.
    driver.set_window_size(1280, 1000)
    driver.get(APP + "/sign-in")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(12):
        active = driver.switch_to.active_element
        if active.get_attribute("name") == "email":
            break
        active.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("name") == "email", "Tab never reached the email field"
    active.send_keys("admin@demo.shiftbridge.local", Keys.TAB)
    driver.switch_to.active_element.send_keys(password, Keys.ENTER)
    deadline = time.time() + 15
    while "/sign-in" in driver.current_url and time.time() < deadline:
        time.sleep(0.2)
    assert "/sign-in" not in driver.current_url, "signing in with the keyboard failed"
    print("  signed in with the keyboard alone")

    # Give provisioning a run to review: import the sample and plan it.
    driver.get(APP + "/provisioning")
    sample = os.path.join(workdir, "data", "demo", "hr-sample.csv")
    driver.find_element(By.ID, "import-file").send_keys(sample)
    driver.find_element(By.ID, "import-submit").click()
    time.sleep(1)
    driver.get(APP + "/provisioning")
    driver.find_element(By.ID, "plan-run").click()
    time.sleep(1.5)
    run_path = driver.current_url.replace(APP, "") if "/provisioning/runs/" in driver.current_url else None

    pages = [("overview", "/"), ("rotations", "/rotations"), ("rotation", "/rotations/DEMO-PRIMARY"), ("rotation-pagerduty", "/rotations/PLATFORM"),
             ("people", "/people"), ("provisioning", "/provisioning"), ("integrations", "/settings/integrations"),
             ("integrations-slack-dialog", "/settings/integrations#connect-slack"), ("webhooks", "/settings/webhooks"), ("users", "/settings/users"),
             ("tokens", "/settings/tokens"), ("scim", "/settings/scim"), ("preferences", "/settings/preferences"), ("audit", "/audit"),
             ("audit-filtered", "/audit?action=rotation.created")]
    if run_path:
        pages.append(("provisioning-run", run_path))
    for name, path in pages:
        audit(name, path)

    # Signed out again: the page an invitation link opens.
    driver.set_window_size(1280, 1000)
    driver.get(APP + "/settings/users")
    driver.find_element(By.CSS_SELECTOR, "form[action='/settings/users/invitations'] input[name=email]").send_keys("new.person@example.com")
    driver.find_element(By.CSS_SELECTOR, "form[action='/settings/users/invitations'] button[type=submit]").click()
    time.sleep(1)
    link = driver.find_element(By.ID, "invitation-link").text
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
    time.sleep(1)
    audit("invitation", link.replace(APP, ""))
finally:
    if driver:
        driver.quit()
    demo.terminate()
    try:
        demo.wait(timeout=10)
    except subprocess.TimeoutExpired:
        demo.kill()
    shutil.rmtree(workdir, ignore_errors=True)

if DOCS:
    os.makedirs(DOCS, exist_ok=True)
    for name in ["overview", "rotation"]:
        shutil.copy(os.path.join(SHOTS, f"{name}.png"), os.path.join(DOCS, f"{name}.png"))
if problems:
    print("\n".join(problems))
    raise SystemExit(f"pages: {len(problems)} problem(s) on {checked} pages")
print(f"pages: {checked} pages, zero serious or critical axe-core violations, nothing wider than 375 px; screenshots in {SHOTS}")
