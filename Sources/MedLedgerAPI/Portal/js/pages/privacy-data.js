// The privacy officer's data work, free of the DOM so it can be checked on its own:
// access-log entries in one shape, the denied-read spike rules, the CSV and FHIR exports,
// and the RFC 6962 / RFC 9162 Merkle inclusion check of a case's evidence.

export const PURPOSES = ["treatment", "research", "emergency", "payment", "legal"];

/** HL7 v3 ActReason codes for the ledger's purposes (FHIR AuditEvent.purposeOfEvent). */
export const PURPOSE_OF_USE = {
  treatment: ["TREAT", "treatment"],
  research: ["HRESCH", "healthcare research"],
  emergency: ["ETREAT", "Emergency Treatment"],
  payment: ["HPAYMT", "healthcare payment"],
  legal: ["HLEGAL", "legal"],
};

/**
 * One access-log entry in one shape, whether the node answered the flat audit-entry JSON
 * (reader, purpose, outcome at the top) or the indexed-event JSON (`event` {type: access…}).
 */
export function normalizeEntry(entry) {
  const event = entry.event ?? entry;
  const basis = event.basis ?? entry.basis;
  const outcome = entry.outcome ?? event.outcome ?? (basis === "denied" ? "denied" : "allowed");
  const timeMs = entry.timeMs ?? (entry.time ? Date.parse(entry.time) : NaN);
  return {
    cursor: entry.cursor ?? `${entry.height}.${entry.position}.${entry.eventIndex ?? 0}`,
    height: entry.height,
    position: entry.position,
    eventIndex: entry.eventIndex ?? 0,
    time: entry.time ?? new Date(timeMs).toISOString(),
    timeMs,
    transaction: entry.transaction ?? "",
    patient: event.patient ?? entry.patient ?? patientOfAccessEvent(entry.canonical) ?? "",
    report: event.report ?? entry.report ?? "",
    version: event.version ?? entry.version ?? "",
    reader: event.reader ?? entry.reader ?? "",
    purpose: event.purpose ?? entry.purpose ?? "",
    outcome,
    basis: basis ?? "",
    code: event.code ?? entry.code ?? (outcome === "allowed" ? 0 : ""),
    codeName: event.codeName ?? entry.codeName ?? (outcome === "allowed" ? "ok" : ""),
  };
}

/**
 * The patient pseudonym of an access event from its canonical bytes (docs/spec/encoding.md:
 * tag 5, report id16, version u32, patient id32, …): the audit-entry JSON leaves it out.
 */
export function patientOfAccessEvent(canonicalBase64) {
  if (typeof canonicalBase64 !== "string") return null;
  let bytes;
  try {
    bytes = Uint8Array.from(atob(canonicalBase64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  if (bytes.length < 53 || bytes[0] !== 5) return null;
  return [...bytes.subarray(21, 53)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const SPIKE_RULE =
  "Flagged: a practitioner with 3 or more denied reads within any 60 minutes, and a day whose " +
  "denied reads are at least 3 and more than 3 times the median daily count of the days shown.";

/**
 * Denied-read spikes among `entries` (normalized). Two rules, both stated in SPIKE_RULE:
 * per practitioner, a sliding 60-minute window holding ≥ 3 denied reads (one flag per
 * practitioner, with the worst window); per UTC day from the first to the last entry (days
 * without denials count as 0), a count ≥ 3 and > 3 × the median.
 */
export function findSpikes(entries, { windowMs = 3_600_000, perWindow = 3, dayFactor = 3, dayMinimum = 3 } = {}) {
  const denied = entries.filter((e) => e.outcome === "denied" && Number.isFinite(e.timeMs));
  const spikes = [];
  const byReader = new Map();
  for (const entry of denied) {
    if (!byReader.has(entry.reader)) byReader.set(entry.reader, []);
    byReader.get(entry.reader).push(entry.timeMs);
  }
  for (const [reader, times] of [...byReader.entries()].sort()) {
    times.sort((a, b) => a - b);
    let best = { count: 0, from: 0, to: 0 };
    for (let start = 0, end = 0; end < times.length; end++) {
      while (times[end] - times[start] > windowMs) start++;
      const count = end - start + 1;
      if (count > best.count) best = { count, from: times[start], to: times[end] };
    }
    if (best.count >= perWindow) spikes.push({ kind: "practitioner", reader, count: best.count, from: best.from, to: best.to });
  }
  const all = entries.filter((e) => Number.isFinite(e.timeMs));
  if (all.length > 0) {
    const day = (ms) => Math.floor(ms / 86_400_000);
    const first = Math.min(...all.map((e) => day(e.timeMs)));
    const last = Math.max(...all.map((e) => day(e.timeMs)));
    if (last - first <= 3660) {
      const counts = new Array(last - first + 1).fill(0);
      for (const entry of denied) counts[day(entry.timeMs) - first]++;
      const sorted = [...counts].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
      counts.forEach((count, offset) => {
        if (count >= dayMinimum && count > dayFactor * median) {
          spikes.push({ kind: "day", day: new Date((first + offset) * 86_400_000).toISOString().slice(0, 10), count, median });
        }
      });
    }
  }
  return spikes;
}

const CSV_COLUMNS = ["time", "height", "transaction", "patient", "report", "version", "reader", "purpose", "outcome",
  "basis", "code", "codeName"];

/** RFC 4180 CSV (CRLF line ends, fields quoted when they hold a comma, quote or line end). */
export function toCSV(entries) {
  const quote = (value) => {
    const text = value === undefined || value === null ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(",")];
  for (const entry of entries) lines.push(CSV_COLUMNS.map((column) => quote(entry[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * A FHIR R4 Bundle (type collection) with one AuditEvent per access: a RESTful read
 * (type rest, subtype read, action R), recorded at the block time, outcome 0 (allowed) or
 * 4 (denied: minor failure, the ledger refused), the reader as agent, the report and the
 * patient pseudonym as entities, the purpose as purposeOfEvent, the ledger as source.
 */
export function toFHIRBundle(entries, { organization, node, generated = new Date() } = {}) {
  const identifier = (system, value) => ({ identifier: { system, value } });
  return {
    resourceType: "Bundle",
    type: "collection",
    timestamp: generated.toISOString(),
    entry: entries.map((entry) => {
      const [code, display] = PURPOSE_OF_USE[entry.purpose] ?? [];
      const resource = {
        resourceType: "AuditEvent",
        id: `access-${entry.height}-${entry.position}-${entry.eventIndex}`,
        type: { system: "http://terminology.hl7.org/CodeSystem/audit-event-type", code: "rest", display: "RESTful Operation" },
        subtype: [{ system: "http://hl7.org/fhir/restful-interaction", code: "read", display: "read" }],
        action: "R",
        recorded: entry.time,
        outcome: entry.outcome === "allowed" ? "0" : "4",
        agent: [{
          who: identifier("urn:medledger:identity", entry.reader),
          requestor: true,
        }],
        source: {
          site: "medledger",
          observer: identifier("urn:medledger:identity", node ?? organization ?? "medledger"),
        },
        entity: [
          {
            what: identifier("urn:medledger:report", entry.report),
            type: { system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "2", display: "System Object" },
            detail: [{ type: "version", valueString: String(entry.version) },
              { type: "transaction", valueString: entry.transaction }],
          },
          {
            what: identifier("urn:medledger:patient", entry.patient),
            type: { system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "1", display: "Person" },
            role: { system: "http://terminology.hl7.org/CodeSystem/object-role", code: "1", display: "Patient" },
          },
        ],
      };
      if (entry.outcome !== "allowed") resource.outcomeDesc = `denied: ${entry.codeName || entry.code}`;
      if (code) {
        resource.purposeOfEvent = [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code, display }] }];
      }
      if (!entry.patient) resource.entity.pop();
      return { fullUrl: `urn:medledger:access:${entry.cursor}`, resource };
    }),
  };
}

function fromHex(text) {
  if (typeof text !== "string" || !/^([0-9a-f]{2})*$/i.test(text)) throw new Error(`not hex: ${text}`);
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

async function sha256(...parts) {
  const total = parts.reduce((n, part) => n + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

function equal(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * RFC 9162 §2.1.3.2: does the audit path prove that leaf `leafIndex` of a tree of
 * `treeSize` leaves holds `leafData` under `rootHex`? The transactions root's leaf data is
 * the transaction hash (leaf hash = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ l ‖ r)).
 */
export async function verifyInclusion({ leafDataHex, leafIndex, treeSize, path, rootHex }) {
  if (!(Number.isInteger(leafIndex) && Number.isInteger(treeSize)) || leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = await sha256(Uint8Array.of(0), fromHex(leafDataHex));
  for (const siblingHex of path ?? []) {
    const p = fromHex(siblingHex);
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(Uint8Array.of(1), p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(Uint8Array.of(1), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, fromHex(rootHex));
}
