// Opening a report in the browser: the read is recorded on the ledger (access-report), the
// key is unwrapped here, the text decrypted here, and the content checked against what the
// author signed. The result goes in #read-result (data-outcome allowed|denied|failed) with
// the text in #report-text and the check in #report-verified.

import { readReport } from "../lib/vault.js";
import { NodeClient } from "../lib/api.js";
import { h, replace, focus } from "./dom.js";
import { explain } from "./explain.js";
import { purposeWords, shortId, categoryWords } from "./format.js";

const textTypes = /^(text\/|application\/(json|fhir\+json|xml|fhir\+xml))/;

/**
 * Reads `reportId` version `version` for `purpose` and shows it in `slot` (emptied first).
 * `who` is "the lab" or similar for the verified line.
 */
export async function openReport({ session, slot, reportId, version, purpose, category, signedBy = "the lab", versions = [] }) {
  replace(slot, h("p", { class: "hint" }, `Opening report ${shortId(reportId)}: recording the read on the ledger, then decrypting in this browser…`));
  let opened;
  try {
    opened = await readReport({ client: session.client, reportId, version, purpose, custodianClients: custodianClients(session) });
  } catch (error) {
    const denied = isDenied(error);
    const result = h(
      "section",
      { id: "read-result", class: "card result", "data-outcome": denied ? "denied" : "failed", tabindex: "-1", "aria-labelledby": "read-result-heading" },
      h("h2", { id: "read-result-heading" }, denied ? "Not allowed" : "The report could not be opened"),
      h("p", {}, explain(error)),
      denied ? h("p", { class: "hint" }, `Your attempt to read report ${shortId(reportId)} ${purposeWords(purpose)} is recorded on the ledger, like every read.`) : null,
    );
    replace(slot, result);
    focus(result);
    return { outcome: denied ? "denied" : "failed", error };
  }
  const metadata = opened.metadata ?? {};
  const mediaType = metadata.mediaType ?? "text/plain";
  const title = metadata.title || (category ? categoryWords(category) : `Report ${shortId(reportId)}`);
  const body = textTypes.test(mediaType)
    ? h("pre", { id: "report-text" }, new TextDecoder().decode(opened.plaintext))
    : fileLink(opened.plaintext, mediaType, metadata.fileName || `report-${shortId(reportId)}`);
  const result = h(
    "section",
    { id: "read-result", class: "card result report-view", "data-outcome": "allowed", "data-report": reportId, tabindex: "-1", "aria-labelledby": "read-result-heading" },
    h("h2", { id: "read-result-heading" }, title),
    h(
      "p",
      { id: "report-verified", "data-verified": String(opened.verified === true) },
      opened.verified === true
        ? `✓ Checked: this is exactly what ${signedBy} signed${opened.proven ? ", as recorded on the ledger" : ""}.`
        : "This report could not be checked against what was signed.",
    ),
    h("p", { class: "hint" }, `Report ${shortId(reportId)}, version ${version}. Decrypted in this browser; this read is recorded on the ledger ${purposeWords(purpose)}.`),
    body,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "button-secondary", onclick: () => slot.replaceChildren() }, "Close the report"),
      versions
        .filter((v) => v !== version)
        .map((v) =>
          h(
            "button",
            {
              type: "button",
              class: "button-secondary",
              "data-action": "open-version",
              "data-version": String(v),
              onclick: () => openReport({ session, slot, reportId, version: v, purpose, category, signedBy, versions }),
            },
            `Open version ${v}`,
          ),
        ),
    ),
  );
  replace(slot, result);
  focus(result);
  return { outcome: "allowed", opened };
}

/** A read the ledger recorded as denied (not a report id that does not exist, not a failed
 * check or a network problem). */
function isDenied(error) {
  const code = error?.codeName ?? error?.receipt?.codeName;
  if (code === "unknown-report" || code === "unknown-version") return false;
  return code === "no-active-grant" || error?.denied === true || (error?.status === 403 && !code);
}

function fileLink(bytes, mediaType, fileName) {
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  return h(
    "p",
    { id: "report-text", class: "report-file" },
    `This report is a file (${mediaType}). `,
    h("a", { href: url, download: fileName, class: "button" }, `Download ${fileName}`),
  );
}

const custodianKey = "medledger.custodian-nodes";
const custodianMax = 16;

/** The other custodian nodes' addresses kept in this browser (a network of several
 * validators needs key shares from k of them; the genesis names no addresses). */
export function custodianURLs() {
  try {
    const list = JSON.parse(localStorage.getItem(custodianKey) ?? "[]");
    return Array.isArray(list) ? list.filter((u) => typeof u === "string").slice(0, custodianMax) : [];
  } catch {
    return [];
  }
}

/** Keeps the addresses (one per line); throws naming the first that is not an http(s) URL. */
export function saveCustodianURLs(text) {
  const urls = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    let url;
    try {
      url = new URL(part);
    } catch {
      throw new Error(`"${part.slice(0, 60)}" is not a node address. Write it like http://10.0.0.2:8080, one per line.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`"${part.slice(0, 60)}" must start with http:// or https://.`);
    const origin = url.origin;
    if (origin !== location.origin && !urls.includes(origin)) urls.push(origin);
  }
  if (urls.length > custodianMax) throw new Error(`At most ${custodianMax} other nodes.`);
  localStorage.setItem(custodianKey, JSON.stringify(urls));
  return urls;
}

function custodianClients(session) {
  return custodianURLs().map(
    (baseURL) => new NodeClient({ baseURL, identity: session.identity, chainId: session.status?.chainId, genesis: session.genesis }),
  );
}
