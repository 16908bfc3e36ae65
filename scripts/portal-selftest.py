#!/usr/bin/env python3
"""Runs the portal's cryptography self-test (selftest.html) in headless Chromium.

Usage:
  portal-selftest.py BASE_URL [--write-js-vectors PATH] [--timeout SECONDS]

BASE_URL is where selftest.html is served: the node's http://HOST:PORT/portal, or a plain
static server of Sources/MedLedgerAPI/Portal (python3 -m http.server). Prints every check,
then the summary; exits 1 when any check failed or the page did not finish, 2 on usage
errors. With --write-js-vectors, saves the report the browser sealed (for the Swift test
PortalVectorTests.theBrowserSealedReportOpens) to PATH.

Needs Selenium (the lead's venv /work/venv, or .ci/run's), /usr/bin/chromium and
/usr/bin/chromedriver. Set SE_OFFLINE=true so Selenium Manager never downloads a driver.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url")
    parser.add_argument("--write-js-vectors", metavar="PATH")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        url = args.base_url.rstrip("/") + "/selftest.html"
        driver.get(url)
        deadline = time.monotonic() + args.timeout
        summary = driver.find_element(By.ID, "summary")
        while summary.get_attribute("data-failed") in (None, "") and time.monotonic() < deadline:
            time.sleep(0.5)
        failed_attr = summary.get_attribute("data-failed")
        for item in driver.find_elements(By.CSS_SELECTOR, "#results li"):
            print(item.text)
        if failed_attr in (None, ""):
            print(f"TIMEOUT: {url} did not finish within {args.timeout:.0f} s", file=sys.stderr)
            for entry in driver.get_log("browser") if hasattr(driver, "get_log") else []:
                print(entry, file=sys.stderr)
            return 1
        print(summary.text)
        if args.write_js_vectors:
            text = driver.find_element(By.ID, "js-vectors").get_attribute("textContent")
            if not text.strip():
                print("no browser-sealed report on the page", file=sys.stderr)
                return 1
            with open(args.write_js_vectors, "w", encoding="utf-8") as out:
                out.write(text + "\n")
        return 0 if failed_attr == "0" else 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
