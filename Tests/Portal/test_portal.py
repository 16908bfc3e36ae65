#!/usr/bin/env python3
"""End-to-end browser suite for the MedLedger portal (issue 9).

Runs against a node started by `medledger demo --serve` (scripts/portal-e2e.sh starts it and
passes --url and --demo-log). Real headless Chromium through Selenium; every cryptographic
step happens in the browser. Prints each step; exits non-zero on the first failure, with a
screenshot and the browser's console of every open session.

Usage: test_portal.py --url http://127.0.0.1:PORT/ --demo-log DEMO.LOG --medledger BIN... [--out DIR]
"""

import argparse
import base64
import datetime
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
WAIT = 45  # seconds for anything that commits a transaction (blocks come every few ms..1 s)

# DemoCast.reportBody / amendedBody (Sources/MedLedgerDemo/DemoCast.swift), byte for byte.
REPORT_BODY = (
    "Patient: Maria Gonzalez, born 1984-03-12\n"
    "Test: Complete blood count (LOINC 58410-2)\n"
    "Hemoglobin 13.2 g/dL (ref 12.0-15.5)\n"
    "White cell count 6.1 x10^9/L (ref 4.5-11.0)\n"
    "Platelets 251 x10^9/L (ref 150-400)\n"
    "Interpretation: within normal limits."
)
AMENDED_BODY = REPORT_BODY + "\nAddendum: ferritin 48 ng/mL, iron stores adequate."
DEMO_CATEGORY = "LP7789-9"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Portal:
    """One browser session (one person) on the portal."""

    def __init__(self, suite, name):
        self.suite = suite
        self.name = name
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                         "--disable-gpu", "--no-first-run", "--disable-extensions"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_script_timeout(60)
        self.downloads = suite.work / f"downloads-{name}"
        self.downloads.mkdir(parents=True, exist_ok=True)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads)})
        self.console = []

    # --- finding and waiting -------------------------------------------------------------
    def wait(self, condition, timeout=WAIT, message="condition"):
        try:
            # Pages re-render lists when live events arrive: an element found a moment ago may
            # be gone, so look again rather than fail.
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2,
                                 ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)).until(condition)
        except TimeoutException:
            raise Failure(f"[{self.name}] timed out after {timeout} s waiting for {message}; "
                          f"notices: {self.text_of('#notices')!r}; errors: {self.text_of('#errors')!r}") from None

    def css(self, selector, timeout=WAIT):
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, selector)), timeout, selector)

    def visible(self, selector, timeout=WAIT):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)), timeout, f"{selector} visible")

    def attrs(self, selector, name):
        """One attribute of every match, read in one script (no stale elements)."""
        return self.driver.execute_script(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))", selector, name)

    def all(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text_of(self, selector):
        found = self.all(selector)
        return found[0].text if found else ""

    def click(self, selector, timeout=WAIT):
        element = self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)), timeout, f"{selector} clickable")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        return element

    def fill(self, selector, text):
        element = self.visible(selector)
        element.clear()
        element.send_keys(text)
        return element

    def choose(self, selector, value):
        Select(self.visible(selector)).select_by_value(value)

    def go(self, route):
        """Hash navigation inside the single-page portal (no reload, so the session stays)."""
        self.driver.execute_script("location.hash = arguments[0]", route)
        self.wait(lambda d: d.execute_script("return location.hash") == route, 10, f"route {route}")
        time.sleep(0.3)

    # --- session ----------------------------------------------------------------------
    def open(self):
        self.driver.get(self.suite.url)
        self.css("#keyfile")

    def sign_in(self, key_path):
        self.open()
        self.css("#keyfile").send_keys(str(key_path))
        self.click("#signin-button")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#whoami") and d.find_element(By.CSS_SELECTOR, "#whoami").text.strip(),
                  WAIT, "#whoami after sign-in")

    def sign_out(self):
        self.click("#signout-button")
        self.css("#keyfile")

    def screenshot(self, name):
        path = self.suite.out / f"{self.suite.next_shot():02d}-{name}.png"
        try:  # the whole page, not only the window
            size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000), "scale": 1}})
            path.write_bytes(base64.b64decode(shot["data"]))
        except Exception:  # noqa: BLE001 - fall back to the window
            self.driver.save_screenshot(str(path))
        self.suite.check_labels(self, name)
        return path

    def blob_text(self, selector):
        """Clicks a Blob download link and returns the saved file's text (what the user gets).
        The CSP (connect-src) rightly keeps page scripts from fetching blob: URLs, so the file
        is really downloaded into this session's folder."""
        link = self.visible(selector)
        href = link.get_attribute("href")
        check(href and href.startswith("blob:"), f"{selector} is not a Blob download link: {href!r}")
        name = link.get_attribute("download")
        check(name, f"{selector} has no download file name")
        target = self.downloads / name
        if target.exists():
            target.unlink()
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        self.wait(lambda d: target.exists() and target.stat().st_size > 0, 20, f"the download {name}")
        time.sleep(0.2)
        return target.read_text()

    def drain_console(self):
        try:
            self.console += [f"{e['level']} {e['message']}" for e in self.driver.get_log("browser")]
        except Exception:  # noqa: BLE001 - logs are best effort
            pass
        return self.console

    def quit(self):
        self.drain_console()
        self.driver.quit()


class Suite:
    def __init__(self, args):
        self.url = args.url if args.url.endswith("/") else args.url + "/"
        self.base = self.url.rstrip("/")
        self.medledger = shlex.split(args.medledger)
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        for old in self.out.glob("*.png"):
            old.unlink()
        self.keys = parse_keys(Path(args.demo_log).read_text())
        self.ids = {name: json.loads(Path(path).read_text()).get("identity") for name, path in self.keys.items()}
        self.work = Path(tempfile.mkdtemp(prefix="portal-e2e-"))
        self.sessions = []
        self.shots = 0
        self.label_problems = []
        self.step_number = 0

    def next_shot(self):
        self.shots += 1
        return self.shots

    def browser(self, name):
        session = Portal(self, name)
        self.sessions.append(session)
        return session

    def step(self, text):
        self.step_number += 1
        print(f"STEP {self.step_number}: {text}", flush=True)

    def ok(self, text=""):
        print(f"    ok {text}".rstrip(), flush=True)

    def check_labels(self, portal, page):
        """Every input, select and textarea on the page has a label (WCAG 1.3.1 / 4.1.2)."""
        missing = portal.driver.execute_script("""
            const out = [];
            for (const c of document.querySelectorAll('input, select, textarea')) {
              if (c.type === 'hidden') continue;
              const labelled = (c.id && document.querySelector(`label[for="${CSS.escape(c.id)}"]`))
                || c.closest('label') || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby');
              if (!labelled) out.push(c.outerHTML.slice(0, 120));
            }
            return out;""")
        for control in missing:
            self.label_problems.append(f"{page}: {control}")


def parse_keys(log):
    keys = {}
    for match in re.finditer(r"^key (\S+) (\S.*)$", log, re.MULTILINE):
        keys[match.group(1)] = match.group(2).strip()
    check(keys, "the demo printed no `key <name> <path>` lines")
    return keys


def key_named(suite, *names):
    for name in names:
        if name in suite.keys:
            return str(suite.keys[name])
    raise Failure(f"the demo printed none of the keys {names}; it printed {sorted(suite.keys)}")


# --- the story ------------------------------------------------------------------------

def selftest(suite):
    suite.step("the portal's own crypto self-test (/portal/selftest.html) passes in Chromium")
    script = ROOT / "scripts" / "portal-selftest.py"
    if script.exists():
        result = subprocess.run([sys.executable, str(script), f"{suite.base}/portal"], capture_output=True, text=True, timeout=300)
        print(result.stdout[-3000:] + result.stderr[-2000:])
        check(result.returncode == 0, f"scripts/portal-selftest.py failed with exit code {result.returncode}")
        suite.ok("scripts/portal-selftest.py")
        return
    page = suite.browser("selftest")
    page.driver.get(f"{suite.base}/portal/selftest.html")
    page.wait(lambda d: d.execute_script(
        "return document.body && document.body.dataset.done === 'true' || /\\b(passed|failed)\\b/i.test(document.body.innerText)"),
        240, "the self-test to finish")
    text = page.driver.find_element(By.TAG_NAME, "body").text
    page.screenshot("selftest")
    failed = page.driver.execute_script("return document.body.dataset.failed")
    match = re.search(r"(\d+)\s+failed", text)
    failures = int(failed) if failed not in (None, "") else int(match.group(1)) if match else None
    check(failures == 0, f"the self-test reports failures ({failures}):\n{text[-2000:]}")
    suite.ok(text.strip().splitlines()[-1] if text.strip() else "")


def patient_opens_report(suite, patient):
    suite.step("the patient signs in with her key file and opens her report; the text matches the demo's")
    patient.open()
    patient.screenshot("signin")
    patient.sign_in(key_named(suite, "patient"))
    check(suite.ids["patient"][:12] in patient.text_of("#whoami"), f"#whoami does not show the patient id: {patient.text_of('#whoami')!r}")
    patient.go("#/patient/reports")
    row = patient.css("#reports tr[data-report]")
    suite.report = row.get_attribute("data-report")
    patient.screenshot("patient-reports")
    patient.click(f'#reports tr[data-report="{suite.report}"] button[data-action="open"]')
    patient.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#report-text").text.strip(), WAIT, "#report-text")
    text = patient.driver.execute_script("return document.querySelector('#report-text').textContent").strip()
    check(text in (REPORT_BODY, AMENDED_BODY), f"decrypted text differs from the demo's:\n{text!r}")
    check(patient.text_of("#report-verified").strip(), "#report-verified is empty")
    patient.screenshot("patient-report-open")
    suite.ok(f"report {suite.report[:12]}…, {len(text)} characters, {'amended' if text == AMENDED_BODY else 'original'} text")


def patient_shares(suite, patient):
    suite.step("the patient shares the report with the clinic physician (treatment, 30 days)")
    patient.go("#/patient/sharing")
    patient.css("#share-grantee")
    before = set(patient.attrs("#grants tr[data-grant]", "data-grant"))
    patient.fill("#share-grantee", suite.ids["clinic-physician"])
    patient.choose("#share-scope", "report")
    report_choice = patient.all("#share-report")
    if report_choice:
        Select(report_choice[0]).select_by_value(suite.report)
    patient.choose("#share-purpose", "treatment")
    expiry = (datetime.date.today() + datetime.timedelta(days=30))
    set_date(patient, "#share-expiry", expiry)
    patient.click("#share-submit")
    fresh = patient.wait(lambda d: set(patient.attrs("#grants tr[data-grant]", "data-grant")) - before, WAIT, "a new row in #grants")
    suite.grant = fresh.pop()
    patient.screenshot("patient-sharing")
    suite.ok(f"grant {suite.grant[:12]}…")


def set_date(portal, selector, day):
    element = portal.visible(selector)
    portal.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, day.isoformat() if day else "")


def timeline_cursors(patient):
    return set(patient.attrs("#timeline li[data-cursor]", "data-cursor"))


def clinician_reads(suite, clinician, expect):
    clinician.go("#/practitioner/worklist")
    clinician.fill("#read-report-id", suite.report)
    purpose = clinician.all("#read-purpose")
    if purpose:
        Select(purpose[0]).select_by_value("treatment")
    stale = clinician.driver.execute_script(
        "const r = document.querySelector('#read-result'); if (r) { r.removeAttribute('data-outcome'); } return !!r;")
    clinician.click("#read-button")
    outcome = clinician.wait(lambda d: (clinician.attrs("#read-result[data-outcome]", "data-outcome") or [None])[0],
                             WAIT, "#read-result[data-outcome]")
    text = clinician.text_of("#read-result")
    check(outcome == expect, f"the read came back {outcome!r}, expected {expect!r}: {text!r}")
    return text, stale


def clinician_reads_live(suite, patient, clinician):
    suite.step("the patient watches her timeline; the clinic physician reads in a second browser; the read appears live")
    patient.go("#/patient/timeline")
    patient.css("#timeline")
    time.sleep(1.0)
    before = timeline_cursors(patient)
    clinician.sign_in(key_named(suite, "clinic-physician"))
    clinician.go("#/practitioner/worklist")
    clinician.screenshot("clinician-worklist")
    clinician_reads(suite, clinician, "allowed")
    text = clinician.driver.execute_script("return document.querySelector('#report-text').textContent").strip()
    check(text in (REPORT_BODY, AMENDED_BODY), f"the clinician's decrypted text differs from the demo's: {text!r}")
    clinician.screenshot("clinician-read-allowed")
    reader = suite.ids["clinic-physician"]
    reloaded = patient.driver.execute_script("window.__noReload = true; return true")
    patient.wait(lambda d: set(patient.attrs(f'#timeline li[data-reader="{reader}"][data-outcome="allowed"]', "data-cursor")) - before,
                 WAIT, "the clinician's read on the timeline")
    check(reloaded and patient.driver.execute_script("return window.__noReload === true"), "the patient's page reloaded")
    patient.screenshot("patient-timeline-live")
    suite.ok("the new read arrived over /v1/events without a reload")


def patient_revokes(suite, patient, clinician):
    suite.step("the patient revokes the grant; the clinic physician's next read is denied")
    patient.go("#/patient/sharing")
    patient.click(f'#grants tr[data-grant="{suite.grant}"] button[data-action="revoke"]')
    confirm = patient.all("#revoke-confirm")
    if confirm:
        confirm[0].click()
    patient.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#grants tr[data-grant="{suite.grant}"] button[data-action="revoke"]'),
                 WAIT, "the grant to show as revoked")
    patient.screenshot("patient-revoked")
    text, _ = clinician_reads(suite, clinician, "denied")
    clinician.screenshot("clinician-read-denied")
    suite.ok(text.strip().splitlines()[0] if text.strip() else "denied")


def register(suite, admin, label, roles, file_name):
    """Registers a practitioner from the admin page; returns (identity id, key file path)."""
    admin.go("#/admin/practitioners")
    admin.css("#practitioners")
    admin.driver.execute_script("const r = document.querySelector('#reg-result'); if (r) delete r.dataset.identity;")
    admin.fill("#reg-keyfile-label", label)
    for box in admin.all('input[name="role"]'):
        if box.is_selected() != (box.get_attribute("value") in roles):
            box.click()
    admin.click("#reg-submit")
    identity = admin.css("#reg-result[data-identity]").get_attribute("data-identity")
    admin.visible("#reg-download")
    key_json = admin.blob_text("#reg-download")
    key = json.loads(key_json)
    check(key.get("signingKey") and key.get("encryptionKey"), f"the downloaded key file lacks keys: {list(key)}")
    check(key.get("identity") in (None, identity), "the downloaded key file names another identity")
    path = suite.work / file_name
    path.write_text(key_json)
    admin.css(f'#practitioners tr[data-identity="{identity}"]')
    return identity, path


def admin_registers(suite, admin):
    suite.step("the hospital's administrator (organization key) registers a practitioner; keys made in the browser")
    admin.sign_in(key_named(suite, "hospital"))
    suite.new_id, suite.new_key = register(suite, admin, "Dr. Eve Test (St. Mary's, e2e)", {"reader"}, "new-practitioner.json")
    admin.screenshot("admin-registered")
    suite.ok(f"practitioner {suite.new_id[:12]}… registered as reader; key file taken from the #reg-download Blob")
    if not any(name in suite.keys for name in ("privacy-officer", "hospital-privacy-officer")):
        # The demo names no privacy officer: the administrator registers one the same way.
        _, suite.keys["privacy-officer"] = register(suite, admin, "Privacy officer (St. Mary's, e2e)",
                                                    {"privacy-officer"}, "privacy-officer.json")
        suite.ok("the demo printed no privacy-officer key: registered one in the browser too")


def new_practitioner_denied(suite, browser):
    suite.step("the new hospital practitioner (no grant) tries to read the report three times: denied each time")
    browser.sign_in(suite.new_key)
    for attempt in range(3):
        clinician_reads(suite, browser, "denied")
    browser.screenshot("new-practitioner-denied")
    suite.ok("3 denied reads recorded on the ledger")


def privacy_officer_finds(suite, officer):
    suite.step("the hospital's privacy officer finds the denied reads, sees the spike, exports CSV and FHIR")
    officer.sign_in(key_named(suite, "privacy-officer", "hospital-privacy-officer"))
    officer.go("#/privacy/log")
    officer.css("#access-log")
    officer.choose("#filter-outcome", "denied")
    officer.fill("#filter-practitioner", suite.new_id)
    officer.click("#filter-apply")
    officer.css(f'#access-log[data-query*="practitioner={suite.new_id}"][data-query*="outcome=denied"]:not([aria-busy])')
    reader = suite.new_id
    officer.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, f'#access-log tr[data-outcome="denied"][data-reader="{reader}"]')) >= 3,
                 WAIT, "3 denied reads by the new practitioner in #access-log")
    check(not officer.all('#access-log tr[data-outcome="allowed"]'), "the outcome filter let allowed reads through")
    officer.css(f'#spikes .spike[data-reader="{reader}"]')
    patients = set(officer.attrs('#access-log tr[data-outcome]', "data-patient"))
    check(patients == {suite.ids["patient"]}, f"the log's patient pseudonyms: {patients}")
    officer.screenshot("privacy-log-denied")

    officer.click("#export-csv")
    csv_text = officer.blob_text("#export-download")
    lines = [line for line in csv_text.splitlines() if line]
    check(lines[0].startswith("time,"), f"CSV header: {lines[0]!r}")
    check(sum(1 for line in lines[1:] if reader in line and ",denied," in line) >= 3, f"CSV lacks the denied reads:\n{csv_text[:800]}")
    (suite.out / "access-log.csv").write_text(csv_text)

    officer.click("#export-fhir")
    bundle_text = officer.blob_text("#export-download")
    (suite.out / "access-log.fhir.json").write_text(bundle_text)
    from fhir.resources.R4B.bundle import Bundle
    bundle = Bundle.model_validate_json(bundle_text)
    check(bundle.type == "collection", f"bundle type {bundle.type}")
    events = [entry.resource for entry in bundle.entry]
    check(len(events) >= 3 and all(e.get_resource_type() == "AuditEvent" for e in events), "the bundle's entries are not AuditEvents")
    for event in events:
        check(event.type.code == "rest" and event.subtype[0].code == "read" and event.action == "R", "AuditEvent type/subtype/action")
        check(event.outcome == "4", f"a denied read exported with outcome {event.outcome}")
        check(event.agent[0].who.identifier.value == reader, "AuditEvent agent is not the reader")
        check(event.entity[0].what.identifier.value == suite.report, "AuditEvent entity is not the report")
        check(event.purposeOfEvent[0].coding[0].code == "TREAT", "purposeOfEvent is not TREAT")
    suite.ok(f"{len(lines) - 1} CSV rows; FHIR R4B Bundle of {len(events)} AuditEvents validated by fhir.resources")

    # The patient-pseudonym filter on its own: every read of this patient's reports by the
    # hospital's practitioners (the ordering physician's allowed reads among them).
    officer.fill("#filter-practitioner", "")
    officer.choose("#filter-outcome", "")
    officer.fill("#filter-patient", suite.ids["patient"])
    officer.click("#filter-apply")
    officer.css(f'#access-log[data-query*="patient={suite.ids["patient"]}"]:not([aria-busy])')
    outcomes = officer.attrs("#access-log tr[data-outcome]", "data-outcome")
    readers = set(officer.attrs("#access-log tr[data-outcome]", "data-reader"))
    check("allowed" in outcomes and "denied" in outcomes, f"patient filter: outcomes {outcomes}")
    check(suite.ids["ordering-physician"] in readers and reader in readers, "patient filter: the hospital's readers are missing")
    suite.ok(f"filtered by patient pseudonym: {len(outcomes)} reads by {len(readers)} hospital practitioners")

    # Dates: from today (local) keeps them all; from tomorrow leaves none.
    today = datetime.date.today()
    set_date(officer, "#filter-from", today)
    officer.click("#filter-apply")
    officer.css('#access-log[data-query*="from="]:not([aria-busy])')
    check(len(officer.attrs("#access-log tr[data-outcome]", "data-outcome")) == len(outcomes), "from today dropped reads")
    set_date(officer, "#filter-from", today + datetime.timedelta(days=1))
    officer.click("#filter-apply")
    officer.wait(lambda d: not officer.attrs("#access-log[aria-busy]", "id") and not officer.attrs("#access-log tr[data-outcome]", "data-outcome"),
                 WAIT, "an empty log from tomorrow on")
    set_date(officer, "#filter-from", "")
    suite.ok("date filter: from today keeps them, from tomorrow leaves none")


def patient_opens_case(suite, patient):
    suite.step("the patient reports the new practitioner's access from her timeline (opens a case)")
    patient.go("#/patient/timeline")
    reader = suite.new_id
    cursor = patient.wait(lambda d: (patient.attrs(f'#timeline li[data-reader="{reader}"][data-outcome="denied"]', "data-cursor") or [None])[0],
                          WAIT, "the new practitioner's denied read on the timeline")
    patient.click(f'#timeline li[data-cursor="{cursor}"] button[data-action="report-access"]')
    patient.choose("#case-concern", "not-involved-in-care")
    patient.click("#case-submit")
    suite.case = patient.wait(lambda d: (patient.attrs("#case-result[data-case]", "data-case") or [None])[0], WAIT, "#case-result[data-case]")
    patient.screenshot("patient-case-opened")
    patient.go("#/patient/cases")
    patient.css(f'#my-cases tr[data-case="{suite.case}"]')
    patient.screenshot("patient-concerns")
    patient.go("#/patient/guardians")
    patient.css("#guardian-id")
    # The list comes from the signed guardians route (the public identity proof names none).
    guardian = suite.new_id
    patient.fill("#guardian-id", guardian)
    patient.click("#guardian-add")
    patient.css(f'#guardians[data-source="ledger"] li[data-guardian="{guardian}"]')
    patient.screenshot("patient-guardians")
    patient.click(f'#guardians li[data-guardian="{guardian}"] button[data-action="remove"]')
    patient.wait(lambda d: patient.attrs('#guardians[data-source="ledger"] li.empty', "class"), WAIT, "an empty guardians list from the ledger")
    suite.ok(f"case {suite.case[:12]}… opened; it is listed under her concerns; a guardian added and removed, read from the ledger")


def privacy_officer_resolves(suite, officer):
    suite.step("the privacy officer opens the case, the inclusion proof is checked in the browser, resolves it on the ledger")
    officer.go("#/privacy/cases")
    reader = suite.new_id
    row = officer.css(f'#cases tr[data-case="{suite.case}"][data-reader="{reader}"]')
    case = suite.case
    officer.click(f'#cases tr[data-case="{case}"] button[data-action="evidence"]')
    proof = officer.wait(lambda d: (d.find_elements(By.CSS_SELECTOR, "#case-proof") or [None])[0], WAIT, "#case-proof")
    check("proof checked" in proof.text and proof.get_attribute("data-checked") == "true", f"inclusion proof: {proof.text!r}")
    officer.screenshot("privacy-case-evidence")
    suite.evidence_transaction = officer.text_of("#case-evidence dd code").strip()
    officer.choose("#case-resolution", "inappropriate")
    officer.click("#case-resolve")
    officer.css("#case-resolved")
    officer.screenshot("privacy-case-resolved")
    suite.ok(f"case {case[:12]}…: {proof.text.strip()}")


CHECKS_IN_BROWSER = """
const done = arguments[arguments.length - 1];
(async () => {
  const m = await import('/portal/js/pages/privacy-data.js');
  const tx = arguments[0];
  const view = await (await fetch(`/v1/transactions/${tx}`)).json();
  const args = { leafDataHex: view.hash, leafIndex: view.proof.leafIndex, treeSize: view.proof.treeSize,
                 path: view.proof.path, rootHex: view.transactionsRoot };
  const flip = (hex) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
  const out = { good: await m.verifyInclusion(args),
                wrongLeaf: await m.verifyInclusion({ ...args, leafDataHex: flip(args.leafDataHex) }),
                wrongRoot: await m.verifyInclusion({ ...args, rootHex: flip(args.rootHex) }),
                wrongIndex: await m.verifyInclusion({ ...args, leafIndex: args.leafIndex + 1 }),
                pathLength: args.path.length };
  if (args.path.length) out.wrongPath = await m.verifyInclusion({ ...args, path: [flip(args.path[0]), ...args.path.slice(1)] });
  // An independent RFC 6962 tree (MTH and PATH of §2.1) for 1-9 leaves: every leaf's path
  // verifies, and the same path with one sibling altered does not.
  const H = async (...parts) => new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(parts.flatMap((p) => [...p]))));
  const hex = (b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
  const mth = async (d) => d.length === 1 ? H([0], d[0]) : H([1], await mth(d.slice(0, split(d.length))), await mth(d.slice(split(d.length))));
  const pathOf = async (i, d) => { if (d.length === 1) return []; const k = split(d.length);
    return i < k ? [...await pathOf(i, d.slice(0, k)), await mth(d.slice(k))] : [...await pathOf(i - k, d.slice(k)), await mth(d.slice(0, k))]; };
  out.synthetic = 0; out.syntheticFailures = [];
  for (let n = 1; n <= 9; n++) {
    const leaves = [...Array(n)].map(() => crypto.getRandomValues(new Uint8Array(32)));
    const root = hex(await mth(leaves));
    for (let i = 0; i < n; i++) {
      const path = (await pathOf(i, leaves)).map(hex);
      const ok = await m.verifyInclusion({ leafDataHex: hex(leaves[i]), leafIndex: i, treeSize: n, path, rootHex: root });
      const altered = path.length ? await m.verifyInclusion({ leafDataHex: hex(leaves[i]), leafIndex: i, treeSize: n,
        path: [...path.slice(0, -1), flip(path[path.length - 1])], rootHex: root }) : false;
      if (ok && !altered) out.synthetic++; else out.syntheticFailures.push([n, i, ok, altered]);
    }
  }
  const at = (minutes, reader, outcome = 'denied') => m.normalizeEntry({ height: 1, position: 0, eventIndex: minutes,
    timeMs: Date.UTC(2026, 0, 5, 9) + minutes * 60000, reader, outcome, purpose: 'treatment', report: 'r' });
  out.two = m.findSpikes([at(0, 'a'), at(30, 'a')]).length;
  out.three = m.findSpikes([at(0, 'a'), at(30, 'a'), at(59, 'a')]).map((s) => s.reader);
  out.spread = m.findSpikes([at(0, 'a'), at(61, 'a'), at(122, 'a')]).length;
  out.mixed = m.findSpikes([at(0, 'a'), at(10, 'b'), at(20, 'a'), at(30, 'a', 'allowed')]).length;
  return out;
})().then(done, (e) => done({ error: String(e) }));
"""


def browser_checks(suite, officer):
    suite.step("the privacy page's own checks in the browser: an altered proof fails, the spike rule's edges")
    result = officer.driver.execute_async_script(CHECKS_IN_BROWSER, suite.evidence_transaction)
    check("error" not in result, f"in-browser checks: {result}")
    check(result["good"] is True, f"the real inclusion proof did not verify: {result}")
    for name in ("wrongLeaf", "wrongRoot", "wrongIndex", "wrongPath"):
        check(result.get(name, False) is False, f"an altered proof ({name}) verified: {result}")
    check(result["synthetic"] == 45 and not result["syntheticFailures"], f"RFC 6962 trees of 1-9 leaves: {result}")
    check(result["two"] == 0 and result["three"] == ["a"] and result["spread"] == 0 and result["mixed"] == 0,
          f"spike rule: {result}")
    suite.ok(f"the case's proof ({result['pathLength']} steps) and all 45 leaves of trees of 1-9 leaves verify; altered "
             "leaf, root, index and path do not; "
             "3 denied in an hour flagged, 2 or 3 spread over 2 hours not")


def admin_suspends(suite, admin):
    suite.step("the administrator suspends the new practitioner and reinstates them (set-identity-status, both on the ledger)")
    admin.go("#/admin/practitioners")
    row = f'#practitioners tr[data-identity="{suite.new_id}"]'
    admin.click(f'{row} button[data-action="suspend"]')
    admin.css(f'{row}[data-status="suspended"] button[data-action="reinstate"]')
    admin.screenshot("admin-suspended")
    admin.click(f'{row} button[data-action="reinstate"]')
    admin.css(f'{row}[data-status="active"] button[data-action="suspend"]')
    suite.ok("set-identity-status suspended, then active")


def dashboard(suite, officer):
    suite.step("the node dashboard shows height, validators, mempool and draws both charts")
    officer.go("#/dashboard")
    officer.wait(lambda d: re.fullmatch(r"\d+", d.find_element(By.CSS_SELECTOR, "#dash-height").text.strip() or "x"), WAIT, "#dash-height")
    officer.css("#dash-validators tr[data-validator]")
    officer.css("#chart-tps polyline")
    officer.css("#chart-interval polyline")
    officer.screenshot("dashboard")
    suite.ok(f"height {officer.text_of('#dash-height')}, mempool {officer.text_of('#dash-mempool')}")


def browser_submits_swift_reads(suite, author):
    suite.step("the lab technician submits a report from a file in the browser; the Swift CLI reads it back as the patient")
    author.sign_in(key_named(suite, "lab-technician"))
    author.go("#/practitioner/submit")
    body = ("Patient: pseudonymous\nTest: Serum ferritin (LOINC 2276-4)\nFerritin 52 ng/mL (ref 15-150)\n"
            f"Written in the browser by the e2e suite at {datetime.datetime.now(datetime.timezone.utc).isoformat()}.\n")
    source = suite.work / "ferritin.txt"
    source.write_text(body)
    author.fill("#submit-patient", suite.ids["patient"])
    category = author.visible("#submit-category")
    if category.tag_name == "select":
        Select(category).select_by_value(DEMO_CATEGORY)
    else:
        category.clear()
        category.send_keys(DEMO_CATEGORY)
    author.css("#submit-file").send_keys(str(source))
    author.click("#submit-button")
    result = author.wait(lambda d: (d.find_elements(By.CSS_SELECTOR, "#submit-result[data-report]") or [None])[0], WAIT, "#submit-result[data-report]")
    report = result.get_attribute("data-report")
    author.screenshot("practitioner-submitted")
    out = suite.work / "read-back.txt"
    command = suite.medledger + ["report", "read", "--node", suite.base, "--key", key_named(suite, "patient"),
                                 "--report", report, "--out", str(out)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    print("    $ " + " ".join(shlex.quote(c) for c in command[-9:]))
    print("    " + (run.stdout + run.stderr).strip().replace("\n", "\n    "))
    check(run.returncode == 0, f"medledger report read exited {run.returncode}")
    check(out.read_text() == body, f"the Swift side decrypted other text:\n{out.read_text()!r}")
    suite.ok(f"report {report[:12]}…: the browser's sealing opened in Swift, {len(body)} bytes identical")


def tab_to(portal, predicate, what, limit=120):
    """Presses TAB (only TAB) until the focused element satisfies `predicate`."""
    for _ in range(limit):
        active = portal.driver.switch_to.active_element
        if predicate(active):
            return active
        ActionChains(portal.driver).send_keys(Keys.TAB).perform()
    raise Failure(f"[{portal.name}] TAB never reached {what}")


def keyboard_only(suite, browser):
    suite.step("keyboard only: sign in and open a report using TAB and ENTER")
    browser.sign_out()
    browser.driver.get(suite.url)
    browser.css("#keyfile")
    browser.driver.find_element(By.TAG_NAME, "body").click()
    field = tab_to(browser, lambda e: e.get_attribute("id") == "keyfile", "#keyfile")
    field.send_keys(key_named(suite, "patient"))  # what the file chooser's typed path does
    tab_to(browser, lambda e: e.get_attribute("id") == "signin-button", "#signin-button")
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#whoami") and d.find_element(By.CSS_SELECTOR, "#whoami").text.strip(),
                 WAIT, "#whoami after a keyboard sign-in")
    if browser.driver.execute_script("return location.hash") != "#/patient/reports":
        tab_to(browser, lambda e: e.get_attribute("data-route") == "patient/reports", "the My reports link")
        ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    browser.css("#reports tr[data-report]")
    tab_to(browser, lambda e: e.get_attribute("data-action") == "open", "an Open button")
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    browser.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#report-text").text.strip(), WAIT, "#report-text by keyboard")
    text = browser.driver.execute_script("return document.querySelector('#report-text').textContent").strip()
    check(text in (REPORT_BODY, AMENDED_BODY) or "Ferritin 52" in text, f"keyboard-opened text: {text[:120]!r}")
    browser.screenshot("keyboard-only")
    suite.ok("signed in and opened a report with TAB and ENTER only")


def labels(suite):
    suite.step("every input, select and textarea on every page has a label")
    check(not suite.label_problems, "controls without a label:\n  " + "\n  ".join(suite.label_problems))
    suite.ok(f"checked on {suite.shots} pages")


def no_csp_violations(suite):
    suite.step("no browser console reports a Content Security Policy violation")
    found = [f"[{session.name}] {line[:300]}" for session in suite.sessions for line in session.drain_console()
             if "Content Security Policy" in line or "Content-Security-Policy" in line]
    check(not found, "CSP violations:\n  " + "\n  ".join(found))
    suite.ok(f"{sum(len(session.console) for session in suite.sessions)} console lines read")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--demo-log", required=True)
    parser.add_argument("--medledger", required=True, help="how to run the CLI, e.g. '.build/debug/medledger'")
    parser.add_argument("--out", default=str(ROOT / "test-output" / "portal"))
    parser.add_argument("--skip-selftest", action="store_true", help="debugging only: leave out the self-test page")
    args = parser.parse_args()
    suite = Suite(args)
    started = time.time()
    try:
        if args.skip_selftest:
            print("SKIPPED: the self-test page (--skip-selftest)")
        else:
            selftest(suite)
        patient = suite.browser("patient")
        clinician = suite.browser("clinician")
        patient_opens_report(suite, patient)
        patient_shares(suite, patient)
        clinician_reads_live(suite, patient, clinician)
        patient_revokes(suite, patient, clinician)
        admin = suite.browser("admin")
        admin_registers(suite, admin)
        clinician.sign_out()
        new_practitioner_denied(suite, clinician)
        officer = suite.browser("privacy-officer")
        privacy_officer_finds(suite, officer)
        patient_opens_case(suite, patient)
        privacy_officer_resolves(suite, officer)
        browser_checks(suite, officer)
        admin_suspends(suite, admin)
        dashboard(suite, officer)
        admin.sign_out()
        browser_submits_swift_reads(suite, admin)
        keyboard_only(suite, patient)
        labels(suite)
        no_csp_violations(suite)
    except Exception as error:  # noqa: BLE001 - report every failure the same way
        print(f"FAILED at step {suite.step_number}: {error}", flush=True)
        if not isinstance(error, Failure):
            traceback.print_exc()
        for session in suite.sessions:
            try:
                session.driver.save_screenshot(str(suite.out / f"FAILED-{session.name}.png"))
            except Exception:  # noqa: BLE001
                pass
            for line in session.drain_console()[-30:]:
                print(f"    [{session.name} console] {line[:400]}")
        return 1
    finally:
        for session in suite.sessions:
            try:
                session.quit()
            except Exception:  # noqa: BLE001
                pass
    shutil.rmtree(suite.work, ignore_errors=True)  # kept after a failure, for a look
    print(f"PASSED: {suite.step_number} steps in {time.time() - started:.0f} s; screenshots in {suite.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
