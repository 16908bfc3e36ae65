#!/usr/bin/env python3
"""The FHIR gateway checked by an independent FHIR library.

Runs against a node (`medledger demo --serve`) and `medledger fhir gateway` that
scripts/fhir-gateway-e2e.sh starts; takes their addresses and files from the environment:
FHIR_GATEWAY (e.g. http://127.0.0.1:18811/fhir), MEDLEDGER_NODE, MEDLEDGER_GENESIS,
MEDLEDGER_BIN, DEMO_KEYS (the demo's demo-keys folder), FHIR_WORK (a scratch folder),
GATEWAY_STORE (the running gateway's --store).

Every resource the gateway returns is validated with fhir.resources' R4B models (the
default package is R5, which rejects valid R4 resources). The fixtures in Tests/FHIR/fixtures
are written for this project in the shape of the HL7 R4 examples: a DiagnosticReport with
contained Observations and a presentedForm, a DocumentReference, a transaction Bundle with
urn:uuid references.
"""
import concurrent.futures
import copy
import json
import os
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from fhir.resources.R4B import get_fhir_model_class

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BAD_FIXTURES = HERE / "fixtures-bad"
GATEWAY = os.environ["FHIR_GATEWAY"].rstrip("/")
NODE = os.environ["MEDLEDGER_NODE"]
GENESIS = os.environ["MEDLEDGER_GENESIS"]
BIN = os.environ["MEDLEDGER_BIN"]
KEYS = Path(os.environ["DEMO_KEYS"])
WORK = Path(os.environ["FHIR_WORK"])
MRN_SYSTEM = "urn:oid:1.2.36.146.595.217.0.1"
MRN = "MRN-12345"

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"  FAIL {message}")
    return condition


def validate(resource):
    """Parses the resource with the R4B model of its type; raises when it is not valid R4."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    return resource


def renumbered_fixtures(tag):
    """The fixtures copied to WORK/tag with their reports' identifiers (and the bundle's
    ifNoneExist conditions on them) suffixed by tag: new reports for an import to make."""
    folder = WORK / tag
    folder.mkdir(parents=True, exist_ok=True)

    def renumber(resource, request=None):
        if resource["resourceType"] not in ("DiagnosticReport", "DocumentReference"):
            return
        for identifier in resource.get("identifier", []):
            old = f"{identifier['system']}|{identifier['value']}"
            identifier["value"] += f"-{tag}"
            if request and request.get("ifNoneExist") == f"identifier={old}":
                request["ifNoneExist"] = f"identifier={identifier['system']}|{identifier['value']}"

    for source in sorted(FIXTURES.glob("*.json")):
        resource = json.loads(source.read_text())
        if resource["resourceType"] == "Bundle":
            for entry in resource["entry"]:
                renumber(entry["resource"], entry.get("request"))
        else:
            renumber(resource)
        (folder / source.name).write_text(json.dumps(resource))
    return folder


def request(method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(GATEWAY + path, data=data, method=method)
    req.add_header("Content-Type", "application/fhir+json")
    req.add_header("Accept", "application/fhir+json")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=120) as answer:
            text = answer.read()
            return answer.status, dict(answer.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, dict(error.headers), json.loads(text) if text else None


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def without_server_fields(resource):
    copy_ = copy.deepcopy(resource)
    copy_.pop("id", None)
    copy_.pop("meta", None)
    return copy_


def step(text):
    print(f"- {text}")


def main():
    patient_id = json.loads((KEYS / "patient.json").read_text())["identity"]

    step("metadata is a valid R4 CapabilityStatement")
    status, _, capability = request("GET", "/metadata")
    check(status == 200, f"metadata answered {status}")
    validate(capability)

    step("POST Patient files the MRN under the patient's ledger pseudonym (gateway store only)")
    status, _, patient = request("POST", "/Patient", {
        "resourceType": "Patient",
        "identifier": [{"system": MRN_SYSTEM, "value": MRN},
                       {"system": "urn:medledger:identity", "value": patient_id}]})
    check(status == 200, f"POST Patient answered {status}: {patient}")
    validate(patient)
    check(patient["id"] == patient_id and "name" not in patient, "the Patient is pseudonymous")

    step("DiagnosticReport with contained Observations and presentedForm reads back equal")
    cbc = fixture("diagnosticreport-cbc.json")
    status, headers, created = request("POST", "/DiagnosticReport", cbc)
    check(status == 201, f"POST DiagnosticReport answered {status}: {created}")
    validate(created)
    report_id = created["id"]
    check(headers.get("ETag") == 'W/"1"', f"ETag {headers.get('ETag')}")
    status, headers, read = request("GET", f"/DiagnosticReport/{report_id}?_purpose=treatment")
    check(status == 200, f"GET answered {status}: {read}")
    validate(read)
    check(without_server_fields(read) == without_server_fields(cbc), "the read differs from what was posted")
    check(read["meta"]["versionId"] == "1", "meta.versionId is the ledger version")

    step("DocumentReference reads back equal")
    document = fixture("documentreference-discharge.json")
    status, _, created_doc = request("POST", "/DocumentReference", document)
    check(status == 201, f"POST DocumentReference answered {status}: {created_doc}")
    status, _, read_doc = request("GET", f"/DocumentReference/{created_doc['id']}",
                                  headers={"X-MedLedger-Purpose": "treatment"})
    check(status == 200, f"GET DocumentReference answered {status}")
    validate(read_doc)
    check(without_server_fields(read_doc) == without_server_fields(document), "the DocumentReference differs")

    step("transaction Bundle: urn:uuid references resolved, the Observation contained")
    bundle = fixture("bundle-transaction-lab.json")
    status, _, answer = request("POST", "", bundle)
    check(status == 200, f"transaction answered {status}: {answer}")
    validate(answer)
    check(answer["type"] == "transaction-response", "a transaction-response")
    location = answer["entry"][2]["response"]["location"]
    glucose_id = location.split("/")[1]
    status, _, glucose = request("GET", f"/DiagnosticReport/{glucose_id}")
    check(status == 200, f"GET the bundle's report answered {status}")
    validate(glucose)
    observation = copy.deepcopy(bundle["entry"][1]["resource"])
    observation["id"] = "88f151c0-a954-468a-88bd-5ae15c08e059"
    observation["subject"] = {"reference": f"Patient/{patient_id}"}
    check(glucose["contained"] == [observation], "the Observation is contained, its subject resolved")
    check(glucose["result"] == [{"reference": "#88f151c0-a954-468a-88bd-5ae15c08e059"}], "result points at it")
    check(glucose["subject"] == {"reference": f"Patient/{patient_id}"}, "subject resolved to the ledger patient")
    expected = without_server_fields(bundle["entry"][2]["resource"])
    got = without_server_fields(glucose)
    got.pop("contained")
    expected["subject"] = got["subject"]
    expected["result"] = got["result"]
    check(got == expected, "the bundle's report differs apart from resolved references")
    status, _, again = request("POST", "", bundle)
    check(status == 200 and again["entry"][2]["response"]["status"] == "200 OK",
          "resending the bundle with ifNoneExist does not duplicate the report")

    step("concurrent conditional creates make exactly one report")
    conditional = fixture("diagnosticreport-cbc.json")
    conditional["identifier"] = [{"system": "http://acme.example/lab/reports", "value": "CONCURRENT-1"}]
    condition = {"If-None-Exist": "identifier=http://acme.example/lab/reports|CONCURRENT-1"}
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _: request("POST", "/DiagnosticReport", conditional, condition), range(5)))
    statuses = sorted(a[0] for a in answers)
    check(statuses == [200, 200, 200, 200, 201], f"statuses {statuses}")
    check(len({a[2]["id"] for a in answers}) == 1, "one report id")

    step("If-Match: a stale version is 412, the latest makes version 2")
    # The lab technician only authors: its reports wait for an approver (the pathologist)
    # before a new version may follow.
    run = subprocess.run([BIN, "report", "approve", "--key", str(KEYS / "pathologist.json"), "--node", NODE,
                          "--report", report_id, "--version", "1"], capture_output=True, text=True, timeout=120)
    check(run.returncode == 0, f"approve: {run.stdout} {run.stderr}")
    amended = copy.deepcopy(cbc)
    amended["status"] = "amended"
    amended["conclusion"] = "Full blood count within normal limits; repeat in 12 months."
    status, _, outcome = request("PUT", f"/DiagnosticReport/{report_id}", amended, {"If-Match": 'W/"9"'})
    check(status == 412, f"stale If-Match answered {status}")
    validate(outcome)
    status, headers, updated = request("PUT", f"/DiagnosticReport/{report_id}", amended, {"If-Match": 'W/"1"'})
    check(status == 200 and headers.get("ETag") == 'W/"2"', f"update answered {status} {headers.get('ETag')}")

    step("searches: strict parameters, patient by MRN, identifier")
    status, _, outcome = request("GET", "/DiagnosticReport?patient.identifier=x|y&colour=red")
    check(status == 400, f"unknown parameter answered {status}")
    validate(outcome)
    check(outcome["issue"][0]["code"] == "not-supported", "not-supported")
    status, _, found = request("GET", f"/DiagnosticReport?patient.identifier={MRN_SYSTEM}%7C{MRN}&_count=2")
    check(status == 200, f"search answered {status}: {found}")
    validate(found)
    check(found["total"] >= 3 and len(found["entry"]) == 2, f"total {found.get('total')}")
    check(any(link["relation"] == "next" for link in found["link"]), "a next link")
    nxt = next(link["url"] for link in found["link"] if link["relation"] == "next")
    status, _, second = request("GET", nxt[len(GATEWAY):])
    check(status == 200 and second["entry"][0]["resource"]["id"] not in
          {e["resource"]["id"] for e in found["entry"]}, "the next page continues")
    for entry in found["entry"]:
        validate(entry["resource"])

    step("fhir import: a folder, per-file errors, resumption")
    store = WORK / "import-store"
    # The suite posted the fixtures above: the import's conditional creates find them.
    run = subprocess.run([BIN, "fhir", "import", str(FIXTURES), "--gateway", GATEWAY, "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    print(run.stdout, run.stderr)
    check("0 imported, 0 already done, 3 already on the ledger" in run.stdout,
          f"reports posted before are found by identifier, not made twice: {run.stdout}")
    store = WORK / "import-store-fresh"
    folder = renumbered_fixtures("import")
    run = subprocess.run([BIN, "fhir", "import", str(folder), "--gateway", GATEWAY, "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    print(run.stdout, run.stderr)
    check(run.returncode == 0, f"import exit {run.returncode}")
    check("3 imported, 0 already done, 0 already on the ledger" in run.stdout, f"three files imported: {run.stdout}")
    run = subprocess.run([BIN, "fhir", "import", str(folder), "--gateway", GATEWAY, "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    check("0 imported, 3 already done" in run.stdout, f"rerun skips: {run.stdout}")

    # An interruption between a report's commit and its journal line: the journal lost its
    # lines, and the rerun must still make no second report.
    def report_totals():
        totals = {}
        for kind in ("DiagnosticReport", "DocumentReference"):
            status, _, found = request("GET", f"/{kind}?patient.identifier={MRN_SYSTEM}%7C{MRN}&_count=1")
            check(status == 200, f"{kind} search answered {status}")
            totals[kind] = found["total"]
        return totals
    before = report_totals()
    (store / "import-journal.tsv").unlink()
    run = subprocess.run([BIN, "fhir", "import", str(folder), "--gateway", GATEWAY, "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    print(run.stdout, run.stderr)
    check("0 imported, 0 already done, 3 already on the ledger" in run.stdout,
          f"a rerun without its journal finds every report on the ledger: {run.stdout}")
    check(report_totals() == before, f"no report made twice: {before} then {report_totals()}")
    run = subprocess.run([BIN, "fhir", "import", str(BAD_FIXTURES), "--gateway", GATEWAY, "--store", str(store)],
                         capture_output=True, text=True, timeout=300)
    print(run.stdout, run.stderr)
    check(run.returncode == 1, "bad files fail the import")
    check("diagnosticreport-no-code.json" in run.stderr and "DiagnosticReport.code" in run.stderr,
          "the missing code is named with its path")
    check("bundle-dangling-reference.json" in run.stderr and "Bundle.entry[0].resource" in run.stderr,
          "the dangling reference is named with its path")
    check("not-json.json" in run.stderr, "the broken file is named")

    step("fhir import on a terminal draws a progress bar")
    command = " ".join(shlex.quote(part) for part in [
        BIN, "fhir", "import", str(renumbered_fixtures("tty")), "--gateway", GATEWAY,
        "--store", str(WORK / "import-store-tty")])
    # script(1) gives the import a pseudo-terminal, as a person running it would.
    run = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, text=True, timeout=300)
    check(run.returncode == 0, f"import on a terminal exit {run.returncode}: {run.stdout[-300:]}")
    check("[" + "#" * 30 + "] 3/3" in run.stdout, f"the bar reaches 3/3: {run.stdout[-300:]!r}")
    check("\x1b[2K" in run.stdout and "3 imported" in run.stdout, "the bar redraws one line, then the summary")

    step("fhir import directly (--key, --node), with the gateway's store for the MRN map")
    direct = subprocess.run([BIN, "fhir", "import", str(renumbered_fixtures("direct") / "diagnosticreport-cbc.json"),
                             "--key", str(KEYS / "lab-technician.json"), "--node", NODE, "--genesis", GENESIS,
                             "--store", os.environ["GATEWAY_STORE"]], capture_output=True, text=True, timeout=300)
    print(direct.stdout, direct.stderr)
    check(direct.returncode == 0 and "1 imported" in direct.stdout, "direct import")

    step("fhirclient (strict R4) and fhirpy read by id and search by patient through the gateway")
    from fhirclient import client as fhir_client
    from fhirclient.models.bundle import Bundle as FCBundle
    from fhirclient.models.diagnosticreport import DiagnosticReport as FCReport
    from fhirpy import SyncFHIRClient

    smart = fhir_client.FHIRClient(settings={"app_id": "medledger-gateway-test", "api_base": GATEWAY + "/"})
    smart.prepare()  # reads and parses /metadata strictly
    check(smart.ready, "fhirclient accepted the gateway's CapabilityStatement")
    read = FCReport.read(report_id, smart.server)
    check(read.id == report_id and read.conclusion == amended["conclusion"],
          "fhirclient read the decrypted, amended report")
    by_mrn = {"patient.identifier": f"{MRN_SYSTEM}|{MRN}", "_count": "2"}
    found, pages, total = [], 0, None
    bundle = FCReport.where(struct=by_mrn).perform(smart.server)
    while bundle is not None:
        pages += 1
        total = bundle.total
        found += [e.resource.id for e in bundle.entry or []]
        nxt = [link.url for link in bundle.link or [] if link.relation == "next"]
        bundle = FCBundle(smart.server.request_json(nxt[0])) if nxt else None
    check(pages >= 2 and len(found) == total and len(set(found)) == total and report_id in found,
          f"fhirclient followed next links: {len(found)} of {total} over {pages} pages")
    fhirpy_client = SyncFHIRClient(GATEWAY, extra_headers={"Accept": "application/fhir+json"})
    resource = fhirpy_client.reference("DiagnosticReport", report_id).to_resource()
    check(resource.id == report_id and resource["conclusion"] == amended["conclusion"], "fhirpy read")
    fetched = fhirpy_client.resources("DiagnosticReport").search(
        **{"patient.identifier": f"{MRN_SYSTEM}|{MRN}"}).limit(2).fetch_all()
    check(sorted(r.id for r in fetched) == sorted(found), f"fhirpy fetch_all found {len(fetched)} of {total}")

    step("fhir export as the patient: one decrypted Bundle with Provenance")
    out = WORK / "export.json"
    run = subprocess.run([BIN, "fhir", "export", "--key", str(KEYS / "patient.json"), "--node", NODE,
                          "--genesis", GENESIS, "--out", str(out)], capture_output=True, text=True, timeout=300)
    print(run.stdout, run.stderr)
    check(run.returncode == 0, f"export exit {run.returncode}")
    exported = json.loads(out.read_text())
    validate(exported)
    types = [e["resource"]["resourceType"] for e in exported["entry"]]
    check("Provenance" in types, "Provenance entries")
    ids = {e["resource"].get("id") for e in exported["entry"]}
    check(report_id in ids and glucose_id in ids, "the gateway's reports are exported")
    check(types.count("Provenance") * 2 == len(types), "one Provenance per report")
    exported_cbc = next(e["resource"] for e in exported["entry"] if e["resource"].get("id") == report_id)
    check(exported_cbc["conclusion"] == amended["conclusion"], "the export has the latest version, decrypted")
    for entry in exported["entry"]:
        validate(entry["resource"])

    print()
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("all FHIR gateway checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
