"""What the browser tests share: waiting for a server, and a headless Chromium."""
import shutil
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def chromium(*extra):
    """Debian's chromium through its chromedriver, headless, 1280×1000."""
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", *extra]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver
