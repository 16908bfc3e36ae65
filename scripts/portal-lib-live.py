#!/usr/bin/env python3
"""The portal library against a real four-validator network, in headless Chromium.

Usage:
  portal-lib-live.py --medledger PATH/TO/medledger [--dir DIR] [--base-port 18370]

Creates a 4-validator testnet (X-Wing custodians, threshold 3), an X-Wing patient, an
X25519 author and an X-Wing reader (registered with the CLI), starts the nodes (each
serves the portal at /portal/), and then, in the browser, with the library's own modules:
runs selftest.html on node 0; seals a report to the proven patient key and the custodians,
uploads it to every node and submits it; reads it as the reader, collecting key shares from
the other three custodians across origins (CORS) with the version record proven against
the genesis; reads it as the patient (own envelope) while her event stream shows the
reader's access; stops one custodian and reads again (3 of the 3 left), naming the one
that failed. Exits 1 on any failure. Kills every process it started.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

# Runs in the page (selftest.html of node 0): the library imported as ES modules.
SCENARIO = r"""
const [keyTexts, urls, done] = arguments;
const log = [];
(async () => {
  const { importKeyFile } = await import("/portal/js/lib/keys.js");
  const { NodeClient } = await import("/portal/js/lib/api.js");
  const tx = await import("/portal/js/lib/transactions.js");
  const vault = await import("/portal/js/lib/vault.js");
  const { provenIdentity } = await import("/portal/js/lib/proofs.js");
  const { utf8, fromUtf8 } = await import("/portal/js/lib/bytes.js");
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const [patient, author, reader] = await Promise.all(keyTexts.map(importKeyFile));
  const genesis = await new NodeClient().genesis();
  const client = (identity, url = urls[0]) => new NodeClient({ baseURL: url, identity, genesis });

  const events = [];
  const stream = client(patient).events({ onEvent: (e) => events.push(e) });
  const record = await provenIdentity(client(author), patient.id, genesis);
  log.push(`patient key proven (${record.encryptionKey.suite})`);
  const reportId = tx.newReportId();
  const plaintext = utf8("Four custodians, three shares: ferritin 80 ng/mL\n");
  const custody = vault.custodyFromGenesis(genesis);
  const { blob, content } = await vault.sealReport({
    reportId, version: 1, plaintext, metadata: { title: "Iron studies", fileName: "iron.txt", mediaType: "text/plain" },
    patient: { id: patient.id, encryptionKey: record.encryptionKey }, author, ...custody,
  });
  for (const url of urls) await client(author, url).putBlob(blob);
  const submitted = await client(author).submit(tx.submitReport({ report: reportId, patient: patient.id, category: "LAB", content, recipients: [] }));
  if (submitted.code !== 0) throw new Error(`submit-report: ${submitted.codeName} ${submitted.message}`);
  log.push(`submitted in block ${submitted.height}, ${custody.custodyThreshold} of ${custody.custodians.length} custodians`);

  const others = urls.slice(1).map((url) => client(reader, url));
  const read = await vault.readReport({ client: client(reader), reportId, purpose: "treatment", custodianClients: others });
  if (fromUtf8(read.plaintext) !== fromUtf8(plaintext) || !read.proven || !read.verified) throw new Error("reader: wrong text or unchecked");
  log.push(`reader: shares ${read.custody.sharesUsed.join(",")} of ${read.custody.goodShares} good, proven record`);

  const own = await vault.readReport({ client: client(patient), reportId, version: 1, purpose: "treatment" });
  if (own.custody !== null || own.metadata.fileName !== "iron.txt") throw new Error("patient: expected her own envelope and the file name");
  log.push("patient: own envelope");
  for (let i = 0; i < 20 && !events.some((e) => e.type === "access"); i++) await sleep(250);
  stream.close();
  if (!events.some((e) => e.type === "access")) throw new Error(`no live access event for the patient: ${events.map((e) => e.type)}`);
  log.push(`patient's live events: ${events.map((e) => e.type).join(" ")}`);
  return { reportId };
})().then((r) => done({ ok: true, log, ...r }), (e) => done({ ok: false, log, error: `${e.name}: ${e.message}` }));
"""

# After one custodian is stopped: the read still succeeds and names it.
SECOND_READ = r"""
const [keyTexts, urls, reportId, stopped, done] = arguments;
(async () => {
  const { importKeyFile } = await import("/portal/js/lib/keys.js");
  const { NodeClient } = await import("/portal/js/lib/api.js");
  const vault = await import("/portal/js/lib/vault.js");
  const reader = await importKeyFile(keyTexts[2]);
  const genesis = await new NodeClient().genesis();
  const others = urls.slice(1).map((url) => new NodeClient({ baseURL: url, identity: reader, genesis }));
  const read = await vault.readReport({ client: new NodeClient({ identity: reader, genesis }), reportId, version: 1, purpose: "treatment", custodianClients: others });
  const named = read.custody.failures.map((f) => f.node);
  if (!named.includes(stopped)) throw new Error(`the stopped custodian ${stopped} is not named: ${JSON.stringify(read.custody.failures)}`);
  return `read with ${read.custody.sharesUsed.length} shares; failed custodian named: ${named.join(", ")}`;
})().then((r) => done({ ok: true, log: [r] }), (e) => done({ ok: false, log: [], error: `${e.name}: ${e.message}` }));
"""


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs).stdout


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--medledger", required=True)
    parser.add_argument("--dir")
    parser.add_argument("--base-port", type=int, default=18370)
    args = parser.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="portal-lib-live-")
    net = os.path.join(work, "net")
    ml = args.medledger
    urls = [f"http://127.0.0.1:{args.base_port + 10 * i}" for i in range(4)]
    nodes = []
    driver = None
    failures = 0
    try:
        run([ml, "testnet", "init", "--validators", "4", "--dir", net, "--base-port", str(args.base_port), "--chain-id", "portal-lib-live", "--suite", "xwing"])
        for i in range(4):
            log = open(os.path.join(work, f"node{i}.log"), "w")
            nodes.append(subprocess.Popen([ml, "node", "start", "--data-dir", os.path.join(net, f"node{i}")], stdout=log, stderr=log, start_new_session=True))
        for url in urls:
            wait_for(url + "/v1/status")
        keys = {}
        for name, suite in (("patient", "xwing"), ("author", "x25519"), ("reader", "xwing")):
            path = os.path.join(work, f"{name}.json")
            run([ml, "keys", "new", "--out", path, "--label", name, "--suite", suite])
            keys[name] = path
        node = ["--node", urls[0]]
        org = os.path.join(net, "org-keys", "org0.json")
        run([ml, "patient", "register", *node, "--key", keys["patient"]])
        run([ml, "practitioner", "register", *node, "--key", org, "--practitioner-key", keys["author"], "--roles", "author,approver"])
        run([ml, "practitioner", "register", *node, "--key", org, "--practitioner-key", keys["reader"], "--roles", "reader"])
        texts = [open(keys[n], encoding="utf-8").read() for n in ("patient", "author", "reader")]

        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
        driver.set_script_timeout(180)
        driver.get(urls[0] + "/portal/selftest.html")
        summary = driver.find_element(By.ID, "summary")
        deadline = time.monotonic() + 120
        while summary.get_attribute("data-failed") in (None, "") and time.monotonic() < deadline:
            time.sleep(0.5)
        for item in driver.find_elements(By.CSS_SELECTOR, "#results li[data-status='fail']"):
            print(item.text)
        print(f"selftest on node 0: {summary.text}")
        if summary.get_attribute("data-failed") != "0":
            failures += 1

        result = driver.execute_async_script(SCENARIO, texts, urls)
        for line in result["log"]:
            print("  " + line)
        if not result["ok"]:
            print(f"FAIL scenario: {result['error']}")
            failures += 1
        else:
            stopped = urls[2]
            nodes[2].send_signal(signal.SIGTERM)
            nodes[2].wait(timeout=30)
            again = driver.execute_async_script(SECOND_READ, texts, urls, result["reportId"], stopped)
            for line in again["log"]:
                print("  " + line)
            if not again["ok"]:
                print(f"FAIL read with a custodian down: {again['error']}")
                failures += 1
        print("portal-lib-live: " + ("all passed" if failures == 0 else f"{failures} failed") + f" (logs in {work})")
        return 0 if failures == 0 else 1
    finally:
        if driver:
            driver.quit()
        for process in nodes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    sys.exit(main())
