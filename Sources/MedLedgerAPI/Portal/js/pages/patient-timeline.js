// Who read my reports: every read of the patient's reports, allowed and refused, newest
// first, with new reads appearing live; "Report this access" opens a case for the privacy
// officer of the reader's organization.

import { openCase, newCaseId } from "../lib/transactions.js";
import { h, replace, focus } from "../ui/dom.js";
import { field, form, select, busy } from "../ui/forms.js";
import { notify } from "../ui/messages.js";
import { record, readPages, cursorOf } from "../ui/ledger.js";
import { concerns, purposeWords, shortId, when, categoryWords } from "../ui/format.js";
import { PersonName, personName, learnPeople } from "../ui/people.js";

const pageSize = 50;

export async function render(main, session) {
  main.append(
    h("h1", {}, "Who read my reports"),
    h("p", { class: "lead" }, "Every time anyone opens one of your reports, or tries to, it is recorded here: who, which report, when and why. New reads appear here as they happen. If a read looks wrong to you, report it."),
  );
  const list = h("ol", { id: "timeline", "aria-label": "Reads of my reports, newest first", "data-filter": "all" });
  const more = h("div", { class: "actions" });
  const filter = select([
    ["all", "Every read"],
    ["others", "Reads by other people"],
    ["denied", "Refused reads only"],
  ]);
  filter.addEventListener("change", () => list.setAttribute("data-filter", filter.value));
  main.append(h("div", { class: "field inline-field" }, h("label", { for: "timeline-filter" }, "Show"), Object.assign(filter, { id: "timeline-filter" })), list, more);

  const mine = session.myReports ?? (await readPages(session, `/v1/patients/${session.identity.id}/reports`, "reports", { limit: 100 }).catch(() => ({ items: [] }))).items;
  const reports = new Map(mine.map((r) => [r.id, r]));
  const seen = new Set();
  const context = { session, reports, list };

  const loadPage = async (cursor) => {
    const { items, nextCursor } = await readPages(session, `/v1/patients/${session.identity.id}/audit`, "entries", { limit: pageSize, cursor });
    await learnPeople(session, items.map((e) => e.reader));
    for (const entry of items) {
      const key = cursorOf(entry);
      if (seen.has(key)) continue;
      seen.add(key);
      list.append(entryItem(context, entry));
    }
    if (list.children.length === 0) list.append(h("li", { class: "empty", id: "timeline-empty" }, "Nobody has read your reports yet."));
    replace(
      more,
      nextCursor
        ? h("button", { type: "button", class: "button-secondary", onclick: (event) => busy(event.currentTarget, "Loading…", () => loadPage(nextCursor), "Could not load older reads") }, "Show older reads")
        : null,
    );
  };
  await loadPage(null);

  return {
    async onEvent(evt) {
      const e = evt?.data?.event ?? {};
      if (e.type !== "access" || e.patient !== session.identity.id) return;
      const data = evt.data ?? {};
      const cursor = data.cursor ?? evt.id ?? cursorOf(data);
      const entry = { ...data, ...e, type: undefined, cursor, outcome: e.basis === "denied" ? "denied" : "allowed" };
      const key = cursorOf(entry);
      if (seen.has(key)) return;
      seen.add(key);
      await learnPeople(session, [entry.reader]);
      document.getElementById("timeline-empty")?.remove();
      const item = entryItem(context, entry);
      item.classList.add("new");
      list.prepend(item);
      setTimeout(() => item.classList.remove("new"), 10000);
    },
  };
}

function entryItem(context, entry) {
  const { session, reports } = context;
  const report = reports.get(entry.report);
  const reportWords = report ? `${categoryWords(report.category).toLowerCase()} report (${shortId(entry.report)})` : `report ${shortId(entry.report)}`;
  const own = entry.reader === session.identity.id;
  const denied = entry.outcome === "denied";
  const who = PersonName(session, entry.reader);
  const sentence = denied
    ? `${who} tried to read your ${reportWords}, version ${entry.version}, ${purposeWords(entry.purpose)}.`
    : own
      ? `You opened your ${reportWords}, version ${entry.version}.`
      : `${who} read your ${reportWords}, version ${entry.version}, ${purposeWords(entry.purpose)}.`;
  const why = denied
    ? "Refused: nobody had shared it with them for this reason. Nothing was shown to them."
    : entry.basis === "grant"
      ? "Allowed because the report was shared with them (by you, or sent to them when it was ordered)."
      : own
        ? "Allowed: it is your report."
        : "Allowed as part of the team that wrote the report, or as your guardian.";
  const item = h(
    "li",
    {
      "data-cursor": cursorOf(entry),
      "data-outcome": denied ? "denied" : "allowed",
      "data-reader": entry.reader,
      "data-transaction": entry.transaction ?? "",
      "data-report": entry.report,
    },
    h(
      "div",
      { class: "entry-head" },
      h("strong", {}, denied ? "Refused read" : "Read"),
      h("time", { class: "entry-when", datetime: entry.time ?? "" }, when(entry.time ?? entry.timeMs)),
    ),
    h("p", { class: "entry-text" }, sentence, " ", h("span", { class: "hint" }, why)),
  );
  const formSlot = h("div", { class: "case-slot" });
  const readerKind = session.people?.get(entry.reader)?.kind;
  if (own) item.classList.add("own");
  if (!own && readerKind && readerKind !== "practitioner") {
    item.append(h("p", { class: "hint" }, "This was not a practitioner (for example one of your guardians), so there is no organization to report it to."));
  } else if (!own) {
    item.append(
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            class: "button-secondary",
            "data-action": "report-access",
            "aria-label": `Report this access by ${personName(session, entry.reader)}`,
            onclick: () => showCaseForm(context, entry, formSlot),
          },
          "Report this access",
        ),
      ),
    );
  }
  item.append(formSlot);
  return item;
}

function showCaseForm(context, entry, slot) {
  const { session, list } = context;
  // One case form at a time: its ids must stay unique on the page.
  for (const other of list.querySelectorAll(".case-slot")) if (other !== slot) other.replaceChildren();
  const concern = select(concerns, { required: true });
  const cancel = h("button", { type: "button", class: "button-secondary", onclick: () => { slot.replaceChildren(); focus(slot.closest("li")?.querySelector('[data-action="report-access"]')); } }, "Cancel");
  const caseForm = form(
    {
      id: "case-form",
      label: "Report this access",
      errorContext: "Could not send your concern",
      busyText: "Sending…",
      onSubmit: async () => {
        if (!entry.transaction) throw new Error("This entry has no ledger transaction to point to; reload the page and try again.");
        const caseId = newCaseId();
        await record(
          session,
          openCase({ caseId, accessTransaction: entry.transaction, report: entry.report, reader: entry.reader, concern: concern.value }),
        );
        const done = h(
          "p",
          { class: "notice success", id: "case-result", "data-case": caseId, tabindex: "-1" },
          "Thank you. Your concern was sent to the privacy officer of the organization this person works for. You can follow it in “My concerns”. ",
          h("a", { href: "#/patient/cases" }, "Go to My concerns"),
        );
        replace(slot, done);
        notify(`Your concern was sent to the privacy officer as case ${shortId(caseId)}.`, { kind: "success" });
        focus(done);
      },
    },
    h("h3", {}, "Report this access"),
    h("p", { class: "hint" }, `The privacy officer of ${personName(session, entry.reader)}’s organization will look at this read and record an answer on the ledger. Nothing else about you is sent.`),
    field({ id: "case-concern", label: "What is wrong with this read?" }, concern),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "case-submit" }, "Send to the privacy officer"), cancel),
  );
  replace(slot, h("div", { class: "card" }, caseForm));
  focus(concern);
}
