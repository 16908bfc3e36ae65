// Worklist: reports shared or sent to me, and (with the approver role) my organization's
// preliminary reports waiting for approval. Read (with a purpose), approve, amend or
// correct; or open any report by its id.

import { approveReport, reviseReport } from "../lib/transactions.js";
import { h, replace, focus } from "../ui/dom.js";
import { field, form, select, busy, fileBytes } from "../ui/forms.js";
import { table, badge, keepUnchangedRows } from "../ui/table.js";
import { notify } from "../ui/messages.js";
import { record, latestVersion } from "../ui/ledger.js";
import { openReport, custodianURLs, saveCustodianURLs } from "../ui/reader.js";
import { sealAndUpload, metadataFor } from "../ui/sealing.js";
import {
  purposeChoices, purposeName, categoryWords, statusWords, statusTone, shortId, day, when, changeReasons, cleanId, reportIdPattern,
} from "../ui/format.js";
import { personName, learnPeople } from "../ui/people.js";

const roles = (session) => session.record.roles ?? [];
/** Statuses a revision may follow (revise-report refuses the others). */
const releasedStatuses = new Set(["final", "amended", "corrected", "appended"]);

export async function render(main, session) {
  const me = session.identity.id;
  const isApprover = roles(session).includes("approver");
  const isAuthor = roles(session).includes("author");
  main.append(
    h("h1", {}, "Worklist"),
    h(
      "p",
      { class: "lead" },
      isApprover
        ? "Reports shared with you or sent to you, and your organization's reports waiting for approval. Every read is recorded with its reason."
        : "Reports shared with you or sent to you. Every read is recorded with its reason.",
    ),
  );

  const purpose = select(purposeChoices.map(([v, t]) => [v, t]), { value: "treatment" });
  const reportId = h("input", { type: "text", pattern: `\\s*${reportIdPattern}\\s*`, autocomplete: "off", spellcheck: "false" });
  const resultSlot = h("div", { id: "read-slot" });
  const amendSlot = h("div", { id: "amend-slot" });
  const listSlot = h("section", { "aria-labelledby": "worklist-heading" }, h("h2", { id: "worklist-heading" }, "My worklist"), h("p", { class: "hint" }, "Loading…"));

  let lastRows = []; // the worklist as last drawn: a report typed by id may be in it, with its latest version
  const read = async (id, version, category) => {
    const v = version ?? (await latestReadableVersion(session, id));
    const { outcome } = await openReport({ session, slot: resultSlot, reportId: id, version: v, purpose: purpose.value, category, signedBy: "its author" });
    if (outcome !== "allowed") return;
    let report;
    try {
      report = await session.client.get(`/v1/reports/${id}`); // visible now that the read is granted
    } catch {
      return; // the read itself succeeded; only the extras below need the record
    }
    const latest = latestVersion(report);
    const actions = resultSlot.querySelector("#read-result .actions");
    if (latest && latest.version > v) {
      actions?.before(h("p", { class: "notice", id: "newer-version" }, `This is version ${v}; the latest is version ${latest.version} (${statusWords(latest.status).toLowerCase()}).`));
      actions?.prepend(
        h(
          "button",
          { type: "button", "data-action": "open-latest", onclick: (event) => busy(event.currentTarget, "Reading…", () => read(id, latest.version, report.category), "Could not read the report") },
          `Read version ${latest.version}`,
        ),
      );
    }
    if (isAuthor) offerAmend(session, report, actions, amendSlot, load);
  };

  const byId = h(
    "section",
    { class: "card", "aria-labelledby": "read-heading" },
    h("h2", { id: "read-heading" }, "Open a report by its id"),
    form(
      {
        id: "read-form",
        label: "Read a report by its id",
        errorContext: "Could not read the report",
        busyText: "Reading…",
        onSubmit: async () => {
          const id = cleanId(reportId.value, 32);
          if (!id) {
            focus(reportId);
            throw new Error("A report id is 32 characters (0-9 and a-f). Copy it from the report or the worklist.");
          }
          const known = lastRows.find((r) => r.report === id && r.version);
          await read(id, known?.version ?? null, known?.category ?? null);
        },
      },
      field({ id: "read-report-id", label: "Report id", hint: "32 characters, for a report that is not in your worklist." }, reportId),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "read-button" }, "Read this report")),
    ),
  );
  const nodes = h("textarea", { rows: 3, spellcheck: "false" }, custodianURLs().join("\n"));
  const nodesBox = h(
    "details",
    { class: "card compact", id: "custodian-settings" },
    h("summary", {}, "Other nodes of this network"),
    h("p", { class: "hint" }, "Only for networks of several validators: reading a report that was shared with you needs key pieces from several nodes. Kept in this browser."),
    form(
      {
        id: "custodian-form",
        label: "Other nodes of this network",
        errorContext: "Could not keep the addresses",
        onSubmit: async () => {
          const urls = saveCustodianURLs(nodes.value);
          nodes.value = urls.join("\n");
          notify(urls.length ? `Reads will also ask ${urls.length} other ${urls.length === 1 ? "node" : "nodes"} for key pieces.` : "Reads ask only this node.", { kind: "success" });
        },
      },
      field({ id: "custodian-urls", label: "Addresses of the other nodes, one per line", hint: "For example http://10.0.0.2:8080" }, nodes),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "button-secondary", id: "custodian-save" }, "Keep these addresses")),
    ),
  );
  main.append(
    h(
      "div",
      { class: "card compact" },
      field({ id: "read-purpose", label: "Why are you reading?", hint: "Recorded with every read on this page; a read for a reason the patient did not share for is refused." }, purpose),
    ),
    resultSlot,
    amendSlot,
    listSlot,
    byId,
    nodesBox,
  );

  const load = async () => {
    const rows = await worklistRows(session);
    lastRows = rows;
    await learnPeople(session, rows.flatMap((r) => [r.patient, r.author]).filter(Boolean));
    replace(
      listSlot,
      h("h2", { id: "worklist-heading" }, "My worklist"),
      keepUnchangedRows(table({
        id: "worklist",
        caption: `${rows.length} ${rows.length === 1 ? "item" : "items"}`,
        empty: "Nothing here. Reports shared with you or sent to you appear here as soon as they are.",
        rows,
        rowAttributes: (r) => ({
          "data-report": r.report ?? null,
          "data-kind": r.kind,
          "data-grant": r.grant ?? null,
          "data-row": `${r.kind}.${r.grant ?? ""}.${r.report ?? ""}`,
        }),
        columns: [
          {
            title: "Report",
            cell: (r) => [
              h("strong", {}, r.category ? categoryWords(r.category) : r.report ? "Report" : r.scopeText),
              r.report ? [h("br"), h("span", { class: "hint" }, "id ", h("span", { class: "id", title: r.report }, r.report))] : null,
            ],
          },
          { title: "Patient", cell: (r) => (r.patient ? h("span", { class: "id", title: r.patient }, shortId(r.patient)) : "") },
          {
            title: "Why it is here",
            cell: (r) =>
              r.kind === "approval"
                ? [badge("Waiting for approval", "wait"), h("br"), `Submitted ${when(r.submittedAt)}${r.author ? ` by ${personName(session, r.author)}` : ""}`]
                : [
                    r.origin === "distribution" ? "Sent to you when it was ordered" : "Shared with you by the patient",
                    h("br"),
                    h("span", { class: "hint" }, `${purposeName(r.purpose)}${r.validUntil ? `, until ${day(r.validUntil)}` : ""}`),
                  ],
          },
          { title: "Status", cell: (r) => (r.status ? badge(statusWords(r.status), statusTone(r.status)) : "") },
          {
            title: "Actions",
            cell: (r) => actions(session, r, { read, isApprover, isAuthor, amendSlot, reload: load }),
          },
        ],
      }), "data-row"),
    );
  };
  await load();

  return {
    async onEvent(evt) {
      const e = evt?.data?.event ?? {};
      if ((e.type === "grant-changed" && e.grantee === me) || e.type === "report") {
        await load();
        // Mark what just arrived, for a few seconds.
        for (const row of listSlot.querySelectorAll(`tr[data-grant="${e.grant}"], tr[data-report="${e.report}"]`)) {
          row.classList.add("highlight");
          setTimeout(() => row.classList.remove("highlight"), 10000);
        }
      }
    },
  };
}

function actions(session, row, { read, isApprover, isAuthor, amendSlot, reload }) {
  if (!row.report) {
    return h("span", { class: "hint" }, "Covers several reports: open one by its id above.");
  }
  const buttons = [
    h(
      "button",
      {
        type: "button",
        "data-action": "read",
        "aria-label": `Read report ${shortId(row.report)}`,
        onclick: (event) => busy(event.currentTarget, "Reading…", () => read(row.report, row.version ?? null, row.category), "Could not read the report"),
      },
      "Read",
    ),
  ];
  if (row.kind === "approval" && isApprover) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          class: "button-secondary",
          "data-action": "approve",
          "aria-label": `Approve report ${shortId(row.report)}`,
          onclick: (event) =>
            busy(
              event.currentTarget,
              "Approving…",
              async () => {
                await record(session, approveReport({ report: row.report, version: row.version }));
                notify(`Approved: report ${shortId(row.report)} is final and was sent to the recipients named when it was ordered.`, { kind: "success" });
                await reload();
                focus(document.getElementById("worklist-heading"));
              },
              "Could not approve",
            ),
        },
        "Approve",
      ),
    );
  }
  const ownOrganization = !row.organization || row.organization === session.record.organization;
  if (isAuthor && ownOrganization && releasedStatuses.has(row.status)) {
    buttons.push(
      h(
        "button",
        {
          type: "button",
          class: "button-secondary",
          "data-action": "amend",
          "aria-label": `Amend or correct report ${shortId(row.report)}`,
          onclick: () => showAmendForm(session, row, amendSlot, reload),
        },
        "Amend or correct",
      ),
    );
  }
  return h("div", { class: "actions" }, buttons);
}

function showAmendForm(session, row, slot, reload) {
  const kind = select([
    ["amend", "Amend: add to or change the report"],
    ["correct", "Correct: fix a mistake in the report"],
  ]);
  const reason = select(changeReasons);
  const file = h("input", { type: "file", required: true });
  const title = h("input", { type: "text", maxlength: 200, autocomplete: "off" });
  const amendForm = form(
    {
      id: "amend-form",
      label: `Amend or correct report ${shortId(row.report)}`,
      errorContext: "Could not record the new version",
      busyText: "Encrypting and recording…",
      onSubmit: async () => {
        const chosen = await fileBytes(file);
        if (!chosen) {
          focus(file);
          throw new Error("Choose the file with the new version of the report.");
        }
        const report = await session.client.get(`/v1/reports/${row.report}`);
        const latest = latestVersion(report);
        const content = await sealAndUpload(session, {
          reportId: row.report,
          version: latest.version + 1,
          bytes: chosen.bytes,
          metadata: metadataFor(chosen.file, title.value.trim()),
          patientId: report.patient,
        });
        const view = await record(
          session,
          reviseReport({ report: row.report, previousVersion: latest.version, kind: kind.value, reason: reason.value, content }),
        );
        const done = h(
          "p",
          { class: "notice success", id: "amend-result", "data-report": row.report, "data-version": String(latest.version + 1), tabindex: "-1" },
          `Recorded version ${latest.version + 1} of report ${shortId(row.report)}${view?.height ? ` (block ${view.height})` : ""}. ${
            (session.record.roles ?? []).includes("approver") ? "It is released." : "It waits for an approver."
          }`,
        );
        replace(slot, done);
        focus(done);
        await reload();
      },
    },
    h("h2", {}, `Amend or correct report ${shortId(row.report)}`),
    field({ id: "amend-kind", label: "Kind of change" }, kind),
    field({ id: "amend-reason", label: "Reason", hint: "A code only; put the details in the new version itself." }, reason),
    field({ id: "amend-file", label: "The new version (a file)" }, file),
    field({ id: "amend-title", label: "Title (optional)", hint: "Encrypted with the report; defaults to the file name." }, title),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", id: "amend-submit" }, "Record the new version"),
      h("button", { type: "button", class: "button-secondary", onclick: () => slot.replaceChildren() }, "Cancel"),
    ),
  );
  replace(slot, h("section", { class: "card" }, amendForm));
  focus(kind);
}

/**
 * After an author of the report's organization opened it: a button to amend or correct it,
 * when its latest version is released.
 */
function offerAmend(session, report, actions, amendSlot, reload) {
  const latest = latestVersion(report);
  if (report.organization !== session.record.organization || !releasedStatuses.has(latest?.status)) return;
  actions?.append(
    h(
      "button",
      {
        type: "button",
        class: "button-secondary",
        "data-action": "amend",
        onclick: () => showAmendForm(session, { report: report.id, category: report.category }, amendSlot, reload),
      },
      "Amend or correct this report",
    ),
  );
}

/** The latest version this reader may learn of: the report's own answer, else version 1. */
async function latestReadableVersion(session, reportId) {
  try {
    return latestVersion(await session.client.get(`/v1/reports/${reportId}`))?.version ?? 1;
  } catch (error) {
    if (error.status === 403 || error.status === 404) return 1;
    throw error;
  }
}

/**
 * The worklist answer as rows: one per report (grants that name reports get a row each;
 * grants by category or for all reports get one row saying so).
 */
async function worklistRows(session) {
  const answer = await session.client.get(`/v1/practitioners/${session.identity.id}/worklist?limit=100`);
  const rows = [];
  for (const item of answer?.awaitingApproval ?? []) {
    const latest = item.versions ? latestVersion(item) : item;
    rows.push({
      kind: "approval",
      report: item.id ?? item.report,
      patient: item.patient,
      category: item.category,
      organization: item.organization,
      version: latest?.version ?? item.version,
      status: latest?.status ?? item.status ?? "preliminary",
      submittedAt: latest?.submittedAt ?? item.submittedAt,
      author: latest?.author ?? item.author,
    });
  }
  for (const item of answer?.shared ?? []) {
    const grant = item.grant && typeof item.grant === "object" ? item.grant : item;
    const base = {
      kind: "shared",
      grant: grant.id ?? (typeof item.grant === "string" ? item.grant : undefined),
      patient: grant.patient ?? item.patient,
      purpose: grant.purpose ?? item.purpose,
      origin: grant.origin ?? item.origin,
      validUntil: grant.validUntil ?? item.validUntil,
    };
    const reports = item.reports ?? (grant.scope?.kind === "reports" ? grant.scope.reports : null) ?? (item.report ? [item.report] : null);
    if (reports?.length) {
      for (const r of reports) {
        const report = typeof r === "string" ? { id: r } : r;
        const latest = report.versions ? latestVersion(report) : report;
        rows.push({
          ...base,
          report: report.id ?? report.report,
          category: report.category ?? item.category,
          organization: report.organization,
          status: latest?.status ?? report.status,
          version: latest?.version ?? report.version,
        });
      }
    } else {
      const scope = grant.scope ?? {};
      rows.push({
        ...base,
        scopeText: scope.kind === "categories" ? `All ${(scope.categories ?? []).map(categoryWords).join(", ")} reports of this patient` : "All reports of this patient",
      });
    }
  }
  return rows;
}
