#!/usr/bin/env python3
"""Checks the node's FHIR R4 facade (issue 10) with independent tools.

Runs against a node started by `medledger demo --serve` (scripts/fhir-tools.sh starts it and
passes --url and --demo-log). A client assertion is made here, in Python, from a demo key file
(Ed25519 via `cryptography`); every resource the facade returns is validated with
`fhir.resources.R4B`; `fhirclient` (strict R4, reads /metadata) and `fhirpy` read by id and
search by patient, following `next` links; unsupported parameters must be refused with an
OperationOutcome. Prints each step; exits non-zero on any failure.

Usage: test_facade.py --url http://127.0.0.1:PORT/ --demo-log DEMO.LOG
"""

import argparse
import base64
import hashlib
import json
import re
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FHIR_JSON = "application/fhir+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Identity:
    """A demo key file: the Ed25519 seed and the identity id (SHA-256 of the public key)."""

    def __init__(self, name, path):
        key = json.load(open(path))
        self.name = name
        self.path = path
        self.private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key["signingKey"]))
        public = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.id = key.get("identity") or hashlib.sha256(public).hexdigest()

    def assertion(self, audience, lifetime=240, jti=None):
        header = {"alg": "EdDSA", "typ": "JWT"}
        now = int(time.time())
        claims = {"iss": self.id, "sub": self.id, "aud": audience, "exp": now + lifetime, "iat": now,
                  "jti": jti or str(uuid.uuid4())}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        return signing_input + "." + b64url(self.private.sign(signing_input.encode()))


def validate(resource):
    """Validates one resource (and, for a Bundle, every entry) with fhir.resources' R4B models."""
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    for entry in resource.get("entry", []) if resource["resourceType"] == "Bundle" else []:
        if "resource" in entry:
            validate(entry["resource"])


class Suite:
    def __init__(self, base, keys):
        self.base = base.rstrip("/")
        self.fhir = self.base + "/fhir"
        self.keys = keys
        self.validated = 0
        self.steps = 0

    def step(self, text):
        self.steps += 1
        print(f"-- {self.steps}. {text}", flush=True)

    def ok(self, text):
        print(f"   ok: {text}", flush=True)

    def token(self, identity):
        url = self.fhir + "/auth/token"
        response = requests.post(url, data={
            "grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": identity.assertion(url), "scope": "system/*.read"})
        check(response.status_code == 200, f"token for {identity.name}: {response.status_code} {response.text}")
        body = response.json()
        check(body["token_type"] == "bearer" and body["expires_in"] <= 300, f"token answer: {body}")
        return body["access_token"]

    def get(self, path_or_url, token, status=200):
        url = path_or_url if path_or_url.startswith("http") else self.fhir + path_or_url
        headers = {"Accept": FHIR_JSON}
        if token:
            headers["Authorization"] = "Bearer " + token
        response = requests.get(url, headers=headers)
        check(response.status_code == status, f"GET {url}: {response.status_code} (expected {status}) {response.text[:400]}")
        check(response.headers.get("Content-Type", "").startswith(FHIR_JSON),
              f"GET {url}: Content-Type {response.headers.get('Content-Type')}")
        body = response.json()
        validate(body)
        self.validated += 1 + len(body.get("entry", []))
        return body, response

    def search_all(self, path, token):
        """Follows next links; returns (entries, totals seen, pages)."""
        bundle, _ = self.get(path, token)
        entries, pages, total = [], 0, bundle.get("total")
        while True:
            pages += 1
            check(bundle["type"] == "searchset", "a search answers a searchset Bundle")
            check(bundle.get("total") == total, "Bundle.total stays the same across pages")
            entries += [e for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]
            nxt = [link["url"] for link in bundle.get("link", []) if link["relation"] == "next"]
            if not nxt:
                break
            check(nxt[0].startswith("http://") or nxt[0].startswith("https://"), f"next link is absolute: {nxt[0]}")
            bundle, _ = self.get(nxt[0], token)
        check(len(entries) == total, f"{len(entries)} matches over {pages} pages, Bundle.total {total}")
        ids = [e["resource"]["id"] for e in entries]
        check(len(ids) == len(set(ids)), "no match appears twice across pages")
        return entries, total, pages

    def outcome(self, path, token, status, code=None):
        body, _ = self.get(path, token, status=status)
        check(body["resourceType"] == "OperationOutcome", f"{path}: an OperationOutcome, not {body['resourceType']}")
        issue = body["issue"][0]
        check(issue["severity"] in ("error", "fatal") and issue.get("diagnostics"), f"{path}: issue {issue}")
        if code:
            check(issue["code"] == code, f"{path}: issue code {issue['code']}, expected {code}")
        return issue


def run(suite):
    patient = suite.keys["patient"]
    others = {name: key for name, key in suite.keys.items() if name != "patient"}

    suite.step("GET /fhir/metadata is an R4 CapabilityStatement listing what is served")
    statement, _ = suite.get("/metadata", None)
    check(statement["fhirVersion"] == "4.0.1", "fhirVersion 4.0.1")
    types = [r["type"] for r in statement["rest"][0]["resource"]]
    check(set(types) == {"Patient", "Practitioner", "Organization", "PractitionerRole", "DiagnosticReport", "DocumentReference",
                         "Consent", "AuditEvent", "Provenance"}, f"resources {types}")
    suite.ok(f"{len(types)} resource types: {', '.join(types)}")

    suite.step("without a token: 401 OperationOutcome")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}", None, 401, "login")
    suite.ok("refused")

    suite.step("token endpoint: a client assertion signed in Python with the patient's Ed25519 key")
    token = suite.token(patient)
    url = suite.fhir + "/auth/token"
    reused = patient.assertion(url, jti="replay-" + str(uuid.uuid4()))
    first = requests.post(url, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                     "client_assertion": reused})
    again = requests.post(url, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                     "client_assertion": reused})
    check(first.status_code == 200 and again.status_code in (400, 401), f"replayed jti: {first.status_code}, {again.status_code}")
    long = requests.post(url, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                    "client_assertion": patient.assertion(url, lifetime=3600)})
    check(long.status_code in (400, 401), f"an assertion valid for an hour is refused: {long.status_code}")
    wrong = requests.post(url, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                     "client_assertion": patient.assertion("http://elsewhere/token")})
    check(wrong.status_code in (400, 401), f"a wrong aud is refused: {wrong.status_code}")
    tampered = patient.assertion(url)
    tampered = tampered[:-4] + ("AAAA" if not tampered.endswith("AAAA") else "BBBB")
    bad = requests.post(url, data={"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                                   "client_assertion": tampered})
    check(bad.status_code in (400, 401), f"a bad signature is refused: {bad.status_code}")
    suite.ok("token issued; replayed jti, 1 h exp, wrong aud and bad signature refused")

    suite.step("search DiagnosticReport by patient with _count=1, following next links")
    reports, total, pages = suite.search_all(f"/DiagnosticReport?patient=Patient/{patient.id}&_count=1", token)
    check(total >= 1, "the demo patient has at least one report")
    for entry in reports:
        report = entry["resource"]
        check(report["subject"]["reference"] == f"Patient/{patient.id}", "subject is the patient")
        form = report["presentedForm"][0]
        check("data" not in form and form["url"].startswith("http"), "the attachment points at the ciphertext")
        sha = [x for x in form.get("extension", []) if x["url"].endswith("content-sha256")]
        check(sha and sha[0]["valueString"] in form["url"], "the SHA-256 extension names the ciphertext address")
        check(entry["fullUrl"].startswith("http"), "fullUrl is absolute")
    suite.ok(f"{total} reports over {pages} pages, each validated by fhir.resources R4B")

    suite.step("read by id, versioned read and ETag")
    report_id = reports[0]["resource"]["id"]
    report, response = suite.get(f"/DiagnosticReport/{report_id}", token)
    version = report["meta"]["versionId"]
    check(response.headers.get("ETag") == f'W/"{version}"', f"ETag {response.headers.get('ETag')}")
    first, _ = suite.get(f"/DiagnosticReport/{report_id}/_history/1", token)
    check(first["meta"]["versionId"] == "1", "the first version")
    document, _ = suite.get(f"/DocumentReference/{report_id}", token)
    check(document["content"][0]["attachment"]["url"] == report["presentedForm"][0]["url"], "same ciphertext")
    suite.get(f"/DiagnosticReport/{report_id}/_history/999", token, status=404)
    suite.ok(f"DiagnosticReport/{report_id[:8]}… version {version}, ETag matches; DocumentReference agrees")

    suite.step("every other resource type searched by patient, with _include paging")
    with_include, total_inc, _ = suite.search_all(
        f"/DiagnosticReport?patient={patient.id}&_count=1&_include=DiagnosticReport:subject", token)
    check(total_inc == total, "_include does not change Bundle.total")
    page, _ = suite.get(f"/DiagnosticReport?patient={patient.id}&_count=1&_include=DiagnosticReport:subject", token)
    includes = [e for e in page["entry"] if e["search"]["mode"] == "include"]
    check([e["resource"]["resourceType"] for e in includes] == ["Patient"], "the subject is included once per page")
    patient_resource = includes[0]["resource"]
    check("name" not in patient_resource and patient_resource["identifier"][0]["value"] == patient.id,
          "the Patient is pseudonymous")
    counts = {}
    for kind in ("DocumentReference", "Consent", "AuditEvent", "Provenance"):
        entries, count, _ = suite.search_all(f"/{kind}?patient={patient.id}&_count=2", token)
        counts[kind] = count
        if entries:
            suite.get(f"/{kind}/{entries[0]['resource']['id']}", token)
    check(counts["AuditEvent"] >= 2 and counts["Provenance"] >= 2, "the demo's reads and signatures are there")
    _, _, provenance_pages = suite.search_all(f"/Provenance?patient={patient.id}&_count=1", token)
    check(provenance_pages >= 2, "Provenance paging followed more than one next link")
    audits, _, _ = suite.search_all(f"/AuditEvent?patient={patient.id}&_count=100", token)
    outcomes = {a["resource"]["outcome"] for a in audits}
    suite.ok(f"{counts}; AuditEvent outcomes {sorted(outcomes)}")
    suite.get(f"/Patient/{patient.id}", token)
    bundle, _ = suite.get(f"/Patient?identifier=urn:medledger:identity|{patient.id}", token)
    check(bundle["total"] == 1, "Patient search by identifier")
    physician = suite.keys["ordering-physician"]
    role, _ = suite.get(f"/PractitionerRole/{physician.id}", token)
    check(role["practitioner"]["reference"] == f"Practitioner/{physician.id}"
          and role["organization"]["reference"].startswith("Organization/"), "PractitionerRole names both")
    bundle, _ = suite.get(f"/PractitionerRole?practitioner=Practitioner/{physician.id}", token)
    check(bundle["total"] == 1, "PractitionerRole search by practitioner")

    suite.step("strict search parameters: unknown, unsupported and malformed ones are refused")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}&foo=bar", token, 400, "not-supported")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}&code=1234-5", token, 400, "not-supported")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}&category:text=x", token, 400, "not-supported")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}&_include=DiagnosticReport:result", token, 400,
                  "not-supported")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}&_count=1000", token, 400, "invalid")
    suite.outcome(f"/DiagnosticReport?patient={patient.id}&date=yesterday", token, 400, "invalid")
    suite.outcome("/DiagnosticReport", token, 400, "invalid")
    suite.outcome("/Medication?patient=x", token, 404, "not-supported")
    suite.outcome(f"/DiagnosticReport/{'0' * 32}", token, 404, "not-found")
    issue = suite.outcome(f"/DiagnosticReport?patient={patient.id}&foo=bar", token, 400)
    check(issue.get("expression") == ["foo"], f"the refusal names the parameter: {issue}")
    suite.ok("refused with OperationOutcome (400 / 404), the parameter named")

    suite.step("filters: status, category, date")
    status = reports[0]["resource"]["status"]
    filtered, n, _ = suite.search_all(f"/DiagnosticReport?patient={patient.id}&status={status}", token)
    check(n >= 1 and all(e["resource"]["status"] == status for e in filtered), "status filter")
    none, n0, _ = suite.search_all(f"/DiagnosticReport?patient={patient.id}&status=cancelled", token)
    check(all(e["resource"]["status"] == "cancelled" for e in none), "status=cancelled")
    _, before, _ = suite.search_all(f"/DiagnosticReport?patient={patient.id}&date=lt2000-01-01", token)
    check(before == 0, "nothing issued before 2000")
    _, after, _ = suite.search_all(f"/DiagnosticReport?patient={patient.id}&date=ge2000-01-01", token)
    check(after == total, "everything issued after 2000")
    category = reports[0]["resource"]["category"][0]["coding"][0]
    _, by_category, _ = suite.search_all(
        f"/DiagnosticReport?patient={patient.id}&category={category['system']}|{category['code']}", token)
    check(by_category >= 1, "category filter")
    suite.ok(f"status={status}: {n}; cancelled: {n0}; date lt2000: 0, ge2000: {after}; category: {by_category}")

    suite.step("another identity sees only what it may see")
    report_ids = {e["resource"]["id"] for e in reports}
    audit_ids = {a["resource"]["id"] for a in audits}
    fewer_reports = fewer_audits = 0
    for name, identity in others.items():
        other_token = suite.token(identity)
        visible, _, _ = suite.search_all(f"/DiagnosticReport?patient={patient.id}", other_token)
        seen, _, _ = suite.search_all(f"/AuditEvent?patient={patient.id}&_count=100", other_token)
        visible_ids = {e["resource"]["id"] for e in visible}
        check(visible_ids <= report_ids, f"{name} sees only the patient's reports")
        check({a["resource"]["id"] for a in seen} <= audit_ids, f"{name} sees only the patient's audit events")
        for hidden in report_ids - visible_ids:
            suite.outcome(f"/DiagnosticReport/{hidden}", other_token, 404, "not-found")
        for entry in visible:
            suite.get(f"/DiagnosticReport/{entry['resource']['id']}", other_token)
        fewer_reports += len(visible_ids) < len(report_ids)
        fewer_audits += len(seen) < len(audit_ids)
        print(f"   {name}: {len(visible)} of {len(report_ids)} reports, {len(seen)} of {len(audit_ids)} audit events",
              flush=True)
    check(fewer_reports and fewer_audits, "some identity sees fewer reports and fewer audit events than the patient")
    suite.ok("each identity sees a subset; a report it may not see is 404 on read")

    suite.step("fhirclient (strict R4) reads by id and searches by patient")
    from fhirclient import client as fhir_client
    from fhirclient.models.diagnosticreport import DiagnosticReport as FCReport

    smart = fhir_client.FHIRClient(settings={"app_id": "medledger-test", "api_base": suite.fhir + "/"})
    smart.server.session.headers["Authorization"] = "Bearer " + token
    smart.prepare()
    read = FCReport.read(report_id, smart.server)
    check(read.id == report_id and read.subject.reference == f"Patient/{patient.id}", "fhirclient read")
    found = []
    search = FCReport.where(struct={"patient": patient.id, "_count": "1"})
    bundle = search.perform(smart.server)
    while bundle is not None:
        found += [e.resource.id for e in bundle.entry or []]
        nxt = [link.url for link in bundle.link or [] if link.relation == "next"]
        if not nxt:
            break
        from fhirclient.models.bundle import Bundle as FCBundle

        bundle = FCBundle(smart.server.request_json(nxt[0]))
    check(sorted(found) == sorted(e["resource"]["id"] for e in reports), f"fhirclient found {len(found)}")
    from fhirclient.models.auditevent import AuditEvent as FCAudit
    from fhirclient.models.bundle import Bundle as FCBundle

    audit_found, pages = [], 0
    bundle = FCAudit.where(struct={"patient": patient.id, "_count": "1"}).perform(smart.server)
    while bundle is not None:
        pages += 1
        audit_found += [e.resource.id for e in bundle.entry or []]
        nxt = [link.url for link in bundle.link or [] if link.relation == "next"]
        bundle = FCBundle(smart.server.request_json(nxt[0])) if nxt else None
    check(sorted(audit_found) == sorted(audit_ids) and pages == len(audit_ids), f"fhirclient AuditEvent paging: {pages}")
    suite.ok(f"fhirclient: read {report_id[:8]}…, DiagnosticReport search found {len(found)}, "
             f"AuditEvent search {len(audit_found)} over {pages} pages")

    suite.step("fhirpy reads by id and searches by patient")
    from fhirpy import SyncFHIRClient

    client = SyncFHIRClient(suite.fhir, authorization="Bearer " + token, extra_headers={"Accept": FHIR_JSON})
    resource = client.reference("DiagnosticReport", report_id).to_resource()
    check(resource.id == report_id, "fhirpy read")
    fetched = client.resources("DiagnosticReport").search(patient=patient.id).limit(1).fetch_all()
    check(sorted(r.id for r in fetched) == sorted(e["resource"]["id"] for e in reports),
          f"fhirpy fetch_all found {len(fetched)}")
    fetched_audits = client.resources("AuditEvent").search(patient=patient.id).limit(1).fetch_all()
    check(sorted(r.id for r in fetched_audits) == sorted(audit_ids), f"fhirpy AuditEvent fetch_all: {len(fetched_audits)}")
    suite.ok(f"fhirpy: read, fetch_all over next links found {len(fetched)} reports, {len(fetched_audits)} audit events")



def run_docs_example(suite):
    """docs/fhir.md's worked curl example, run as written against this node (its address,
    the demo's patient key file and this Python substituted), so the docs stay true."""
    suite.step("docs/fhir.md's worked example with curl")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "fhir.md").read_text()
    section = docs.split("## Worked example with curl", 1)[1]
    script = section.split("```sh\n", 1)[1].split("```", 1)[0]
    check("http://127.0.0.1:8080/fhir" in script and "/tmp/demo/demo-keys/patient.json" in script,
          "the example names the demo's address and key file")
    script = (script.replace("http://127.0.0.1:8080/fhir", suite.fhir)
              .replace("/tmp/demo/demo-keys/patient.json", suite.keys["patient"].path)
              .replace("python3", sys.executable))
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120)
    check(run.returncode == 0, f"the example exits 0: {run.returncode} {run.stderr[-400:]}")
    # curl prints bodies without a newline: find each JSON object in the output.
    answers, decoder, at = [], json.JSONDecoder(), 0
    while (at := run.stdout.find("{", at)) >= 0:
        try:
            answer, at = decoder.raw_decode(run.stdout, at)
            answers.append(answer)
        except ValueError:
            at += 1
    searches = [a for a in answers if a.get("resourceType") == "Bundle"]
    check(searches and searches[0]["type"] == "searchset" and searches[0]["total"] >= 1
          and any(link["relation"] == "next" or searches[0]["total"] == 1 for link in searches[0]["link"]),
          f"step 3 answers a searchset: {run.stdout[:300]}")
    refusals = [a for a in answers if a.get("resourceType") == "OperationOutcome"]
    check(any(issue.get("code") == "not-supported" and issue.get("expression") == ["code"]
              for a in refusals for issue in a["issue"]), f"step 5 is refused naming code: {run.stdout[-400:]}")
    suite.ok("the example's token, search and refusal work as the docs say")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--demo-log", required=True)
    args = parser.parse_args()
    log = open(args.demo_log).read()
    keys = {m.group(1): Identity(m.group(1), m.group(2).strip())
            for m in re.finditer(r"^key (\S+) (\S.*)$", log, re.MULTILINE)}
    if "patient" not in keys:
        print("the demo printed no `key patient <path>` line", file=sys.stderr)
        return 1
    suite = Suite(args.url, keys)
    try:
        run(suite)
        run_docs_example(suite)
        print(f"FHIR facade checks passed: {suite.steps} steps, {suite.validated} resources validated with fhir.resources R4B")
    except Exception as error:  # noqa: BLE001 - every failure ends the run with its trace
        traceback.print_exc()
        print(f"FAILED at step {suite.steps}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
