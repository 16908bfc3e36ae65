// Privacy officer (#/privacy/log and #/privacy/cases): the organization's access log with
// filters, denied-read spikes, CSV and FHIR AuditEvent exports, and the cases patients
// opened about reads by the organization's practitioners, with the evidence checked here.
//
// Who: a practitioner with `privacy-officer` (the node also lets `admin` practitioners and
// the organization's own key read these lists; the resolution must be signed by a privacy
// officer). Calls: GET /v1/organizations/{org}/access-log (following nextCursor),
// GET /v1/organizations/{org}/cases, GET /v1/cases/{id}, GET /v1/blocks/{height}, and the
// `resolve-case` transaction. The evidence's Merkle inclusion proof is verified in the
// browser against the transactionsRoot of the block header the node serves.

import { resolveCase } from "../lib/transactions.js";
import {
  describeError,
  downloadLink,
  el,
  field,
  fetchPages,
  formatTime,
  listOf,
  organizationOf,
  receiptProblem,
  select,
  shortId,
  table,
} from "./ops-kit.js";
import { findSpikes, normalizeEntry, PURPOSES, SPIKE_RULE, toCSV, toFHIRBundle, verifyInclusion } from "./privacy-data.js";

/** At most this many pages of 200 entries per "apply" or "load more" (bounded work). */
const MAX_PAGES = 10;

const CONCERNS = {
  "not-involved-in-care": "not involved in my care",
  "wrong-purpose": "wrong purpose",
  "unexpected-organization": "unexpected organization",
  other: "other",
};

export async function render(main, session, view) {
  const organization = organizationOf(session);
  const casesFirst = view === "cases" || location.hash.startsWith("#/privacy/cases");
  main.append(el("h1", { id: "page-title", tabindex: "-1" }, casesFirst ? "Patient concerns (cases)" : "Access log"));
  if (!organization) {
    main.append(el("p", {}, "This identity does not belong to an organization."));
    return {};
  }
  main.append(el("p", {}, "Organization ", shortId(organization),
    ". Every read of a report by the organization's practitioners, allowed and denied, as the ledger recorded it."));
  const log = accessLog(session, organization);
  const cases = caseList(session, organization);
  main.append(...(casesFirst ? [cases.section, log.section] : [log.section, cases.section]));
  await Promise.all([log.load(), cases.load()]);
  return {
    // SSE event names are the ledger event types (`access`, `case-changed`, …).
    onEvent(event) {
      const type = event?.data?.event?.type ?? event?.type ?? "";
      if (type.startsWith("case")) cases.load();
      if (type === "access") log.markStale();
    },
  };
}

function accessLog(session, organization) {
  const patient = el("input", { id: "filter-patient", type: "text", autocomplete: "off", spellcheck: "false",
    pattern: "[0-9a-fA-F]{64}" });
  const practitioner = el("input", { id: "filter-practitioner", type: "text", autocomplete: "off", spellcheck: "false",
    pattern: "[0-9a-fA-F]{64}" });
  const purpose = select("filter-purpose", [["", "any purpose"], ...PURPOSES.map((p) => [p, p])], "");
  const outcome = select("filter-outcome", [["", "allowed and denied"], ["allowed", "allowed"], ["denied", "denied"]], "");
  const from = el("input", { id: "filter-from", type: "date" });
  const to = el("input", { id: "filter-to", type: "date" });
  const apply = el("button", { type: "submit", id: "filter-apply" }, "Show");
  const form = el("form", { id: "filter-form", class: "filters" },
    field("Patient pseudonym (identity id)", patient), field("Practitioner (identity id)", practitioner),
    field("Purpose", purpose), field("Outcome", outcome), field("From (date)", from), field("To (date, inclusive)", to),
    apply);

  const { table: logTable, body } = table("access-log", "Access log, newest first",
    ["Time", "Practitioner", "Patient", "Report", "Purpose", "Outcome", "Block", "Transaction"]);
  const summary = el("p", { id: "access-log-summary", role: "status" });
  const more = el("button", { type: "button", id: "access-log-more", hidden: true }, "Load more");
  const spikes = el("ul", { id: "spikes", "aria-label": "Denied-read spikes" });
  const spikeRule = el("p", { id: "spike-rule" }, SPIKE_RULE);
  const csv = el("button", { type: "button", id: "export-csv" }, "Export CSV");
  const fhir = el("button", { type: "button", id: "export-fhir" }, "Export FHIR AuditEvent bundle");
  const download = el("a", { id: "export-download", hidden: true, class: "button" }, "Download");
  const section = el("section", { class: "card", "aria-labelledby": "log-heading" },
    el("h2", { id: "log-heading" }, "Access log"), form, summary,
    el("h3", { id: "spikes-heading" }, "Spikes of denied reads"), spikeRule, spikes,
    el("div", { class: "actions" }, csv, fhir, download), logTable, more);

  let entries = [];
  let nextCursor = null;

  function query() {
    const params = new URLSearchParams();
    const hex = (input, name) => {
      const value = input.value.trim().toLowerCase();
      if (!value) return true;
      if (!/^[0-9a-f]{64}$/.test(value)) {
        session.notify(`${name} must be a 64-digit identity id.`, { kind: "error" });
        input.focus();
        return false;
      }
      params.set(input === patient ? "patient" : "practitioner", value);
      return true;
    };
    if (!hex(patient, "Patient pseudonym") || !hex(practitioner, "Practitioner")) return null;
    if (purpose.value) params.set("purpose", purpose.value);
    if (outcome.value) params.set("outcome", outcome.value);
    // Dates are the user's local days: from midnight to the end of the "to" day.
    if (from.value) params.set("from", String(new Date(`${from.value}T00:00:00`).getTime()));
    if (to.value) params.set("to", String(new Date(`${to.value}T23:59:59.999`).getTime()));
    return params.toString();
  }

  let generation = 0;
  let shown = ""; // the filters of the rows on screen: "Load more" continues those
  async function load(append = false) {
    const filters = append ? shown : query();
    if (filters === null) return;
    const path = `/v1/organizations/${organization}/access-log${filters ? `?${filters}` : ""}`;
    // A later "Show" wins: answers to earlier requests that come back late are dropped.
    const mine = ++generation;
    logTable.setAttribute("aria-busy", "true");
    summary.textContent = "Loading…";
    try {
      const page = await fetchPages(session.client, path, (answer) => listOf(answer, "entries", "items", "events"),
        { maxPages: MAX_PAGES, limit: 200, cursor: append ? nextCursor : null });
      if (mine !== generation) return;
      const fresh = page.items.map(normalizeEntry);
      entries = append ? entries.concat(fresh) : fresh;
      nextCursor = page.nextCursor;
      logTable.dataset.query = filters;
      shown = filters;
      show();
    } catch (error) {
      if (mine !== generation) return;
      summary.textContent = `Could not load the access log: ${describeError(error)}`;
      session.notify(summary.textContent, { kind: "error" });
    } finally {
      if (mine === generation) logTable.removeAttribute("aria-busy");
    }
  }

  function show() {
    body.replaceChildren(...entries.map(row));
    const denied = entries.filter((e) => e.outcome === "denied").length;
    summary.textContent = `${entries.length} reads (${denied} denied)${nextCursor ? "; more are on the ledger: Load more" : ""}.`;
    more.hidden = !nextCursor;
    spikes.replaceChildren(...findSpikes(entries).map((spike) => el("li", { class: "spike", dataset: spike.kind === "practitioner"
      ? { kind: spike.kind, reader: spike.reader } : { kind: spike.kind, day: spike.day } },
    spike.kind === "practitioner"
      ? [el("strong", {}, `${spike.count} denied reads within an hour`), " by ", shortId(spike.reader),
        ` (${formatTime(spike.from)} to ${formatTime(spike.to)})`]
      : [el("strong", {}, `${spike.count} denied reads on ${spike.day}`), ` (median ${spike.median} a day)`])));
    if (spikes.children.length === 0) spikes.append(el("li", { class: "none" }, "No spikes among the reads shown."));
  }

  function row(entry) {
    return el("tr", { dataset: { outcome: entry.outcome, reader: entry.reader, transaction: entry.transaction,
      patient: entry.patient, cursor: entry.cursor } },
    el("td", {}, el("time", { datetime: entry.time }, formatTime(entry.timeMs))),
    el("td", {}, shortId(entry.reader)),
    el("td", {}, shortId(entry.patient)),
    el("td", {}, shortId(entry.report), entry.version ? ` v${entry.version}` : ""),
    el("td", {}, entry.purpose),
    el("td", { class: `outcome-${entry.outcome}` }, entry.outcome === "denied" ? `denied (${entry.codeName || entry.code})` : `allowed (${entry.basis})`),
    el("td", {}, entry.height),
    el("td", {}, shortId(entry.transaction)));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(false);
  });
  more.addEventListener("click", () => load(true));
  const stamp = () => new Date().toISOString().slice(0, 19).replaceAll(":", "");
  csv.addEventListener("click", () => {
    downloadLink(download, `access-log-${stamp()}.csv`, "text/csv", toCSV(entries));
    download.textContent = `Download CSV (${entries.length} reads)`;
    download.focus();
  });
  fhir.addEventListener("click", () => {
    const bundle = toFHIRBundle(entries, { organization, node: session.status?.nodeId });
    downloadLink(download, `access-log-${stamp()}.fhir.json`, "application/fhir+json", JSON.stringify(bundle, null, 2));
    download.textContent = `Download FHIR bundle (${entries.length} AuditEvents)`;
    download.focus();
  });

  return {
    section,
    load: () => load(false),
    markStale() {
      summary.textContent = `${summary.textContent.replace(/ New reads since.*$/, "")} New reads since: press Show to refresh.`;
    },
  };
}

function caseList(session, organization) {
  const status = select("cases-status", [["open", "open"], ["resolved", "resolved"], ["", "all"]], "open");
  const { table: casesTable, body } = table("cases", "Cases patients opened",
    ["Opened", "Patient", "Practitioner", "Report", "Concern", "Status", "Evidence"]);
  const detail = el("div", { id: "case-detail", hidden: true, tabindex: "-1" });
  const section = el("section", { class: "card", "aria-labelledby": "cases-heading" },
    el("h2", { id: "cases-heading" }, "Cases"), field("Show cases", status), casesTable, detail);

  async function load() {
    try {
      const query = status.value ? `?status=${status.value}` : "";
      const { items } = await fetchPages(session.client, `/v1/organizations/${organization}/cases${query}`,
        (answer) => listOf(answer, "cases", "items"), { maxPages: 5, limit: 100 });
      body.replaceChildren(...items.map(row));
      if (items.length === 0) body.append(el("tr", {}, el("td", { colspan: 7 }, "No cases.")));
    } catch (error) {
      session.notify(`Could not list cases: ${describeError(error)}`, { kind: "error" });
    }
  }

  function caseId(record) {
    return record.id ?? record.case ?? record.caseId;
  }

  function row(record) {
    const id = caseId(record);
    const open = el("button", { type: "button", dataset: { action: "evidence" }, "aria-label": `Evidence for case ${id.slice(0, 12)}` }, "Evidence");
    open.addEventListener("click", () => showEvidence(id));
    return el("tr", { dataset: { case: id, status: record.status ?? "", reader: record.reader ?? "", patient: record.patient ?? "" } },
      el("td", {}, record.openedAtMs ? formatTime(record.openedAtMs) : record.openedAt ?? "—"),
      el("td", {}, shortId(record.patient)), el("td", {}, shortId(record.reader)), el("td", {}, shortId(record.report)),
      el("td", {}, CONCERNS[record.concern] ?? record.concern ?? ""),
      el("td", {}, record.resolution ? `${record.status} (${record.resolution})` : record.status ?? ""), el("td", {}, open));
  }

  async function showEvidence(id) {
    detail.hidden = false;
    detail.replaceChildren(el("h3", {}, `Case ${id.slice(0, 12)}…`), el("p", {}, "Loading the evidence…"));
    detail.focus();
    try {
      const record = await session.client.get(`/v1/cases/${id}`);
      const evidence = record.evidence ?? {};
      const proof = await checkProof(session, evidence);
      const matches = record.evidenceMatches;
      const list = el("dl", { id: "case-evidence" },
        el("dt", {}, "Access transaction"), el("dd", {}, el("code", {}, evidence.hash ?? (record.case ?? record).accessTransaction ?? "—")),
        el("dt", {}, "Receipt"), el("dd", {}, `${evidence.codeName ?? evidence.code ?? "—"}: ${evidence.message ?? ""}`),
        el("dt", {}, "Block"), el("dd", {}, `${evidence.height ?? "—"}, position ${evidence.position ?? "—"}`),
        el("dt", {}, "Inclusion proof"), el("dd", { id: "case-proof", dataset: { checked: String(proof.ok) } }, proof.text),
        el("dt", {}, "Evidence names this case's report, patient and reader"),
        el("dd", { id: "case-matches" }, matches === undefined ? "—" : matches ? "yes" : `no: ${record.evidenceProblem ?? record.reason ?? ""}`));
      detail.replaceChildren(el("h3", {}, `Case ${id.slice(0, 12)}…`), list);
      const caseRecord = record.case ?? record;
      if ((caseRecord.status ?? "open") === "open") detail.append(resolutionForm(id));
      else detail.append(el("p", {}, `Resolved: ${caseRecord.resolution ?? ""}.`));
    } catch (error) {
      detail.replaceChildren(el("p", {}, `Could not load the case: ${describeError(error)}`));
    }
  }

  function resolutionForm(id) {
    const resolution = select("case-resolution", [["appropriate", "appropriate: the access was justified"],
      ["inappropriate", "inappropriate: the access was not justified"], ["referred", "referred: passed on for review"]], "appropriate");
    const resolve = el("button", { type: "submit", id: "case-resolve" }, "Record the resolution on the ledger");
    const form = el("form", { id: "case-resolve-form" }, field("Resolution", resolution), resolve);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      resolve.disabled = true;
      try {
        const view = await session.client.submit(resolveCase({ caseId: id, resolution: resolution.value }));
        const problem = receiptProblem(view);
        if (problem) session.notify(`Not resolved: ${problem}`, { kind: "error" });
        else {
          session.notify(`Case ${id.slice(0, 12)}… resolved as ${resolution.value} (block ${view.height}).`, { kind: "success" });
          form.replaceWith(el("p", { id: "case-resolved" }, `Resolved as ${resolution.value} in block ${view.height}.`));
          await load();
        }
      } catch (error) {
        session.notify(`Not resolved: ${describeError(error)}`, { kind: "error" });
      } finally {
        resolve.disabled = false;
      }
    });
    return form;
  }

  status.addEventListener("change", load);
  return { section, load };
}

/** Checks the evidence's inclusion proof against the transactionsRoot of the block header. */
async function checkProof(session, evidence) {
  if (!evidence.proof || evidence.height === undefined) return { ok: false, text: "no inclusion proof in the evidence" };
  const block = await session.client.get(`/v1/blocks/${evidence.height}`, { signed: false });
  if (evidence.transactionsRoot && evidence.transactionsRoot !== block.transactionsRoot) {
    return { ok: false, text: "the evidence names another transactions root than the block header: NOT checked" };
  }
  const ok = await verifyInclusion({ leafDataHex: evidence.hash, leafIndex: evidence.proof.leafIndex,
    treeSize: evidence.proof.treeSize, path: evidence.proof.path, rootHex: block.transactionsRoot });
  return ok
    ? { ok, text: `proof checked: transaction ${evidence.proof.leafIndex + 1} of ${evidence.proof.treeSize} in block ${block.height} (transactions root ${block.transactionsRoot.slice(0, 12)}…)` }
    : { ok, text: "the inclusion proof does NOT lead to the block's transactions root" };
}
