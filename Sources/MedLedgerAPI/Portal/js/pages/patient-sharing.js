// Sharing: give a practitioner or an organization access (which reports, why, until when),
// and see and stop every access given, including the ones made when a report was sent to
// the doctor who ordered it.

import { grantAccess, revokeGrant, newGrantId } from "../lib/transactions.js";
import { h, replace, focus } from "../ui/dom.js";
import { field, form, select, busy } from "../ui/forms.js";
import { table, badge, keepUnchangedRows } from "../ui/table.js";
import { notify } from "../ui/messages.js";
import { record, readPages } from "../ui/ledger.js";
import {
  purposeChoices, purposeWords, purposeName, categoryWords, shortId, day, dateInputValue, endOfDay, cleanId, idPattern,
} from "../ui/format.js";
import { personName, rememberContact, learnPeople } from "../ui/people.js";

const defaultDays = 30;

export async function render(main, session) {
  main.append(
    h("h1", {}, "Sharing"),
    h("p", { class: "lead" }, "Choose who may read your reports, for what reason and until when. You can stop any sharing at any time; every read is shown in “Who read my reports”."),
  );
  const formSlot = h("section", { class: "card", "aria-labelledby": "share-heading" }, h("h2", { id: "share-heading" }, "Share my reports"), h("p", { class: "hint" }, "Loading…"));
  const grantsSlot = h("section", { "aria-labelledby": "grants-heading" }, h("h2", { id: "grants-heading" }, "Who can read my reports"), h("p", { class: "hint" }, "Loading…"));
  main.append(formSlot, grantsSlot);

  const reports = (await readPages(session, `/v1/patients/${session.identity.id}/reports`, "reports", { limit: 100, pages: 5 })).items;
  const preselected = session.params?.get("report");

  // Concurrent reloads (this page's own action and its live event) share one redraw.
  let reloading = null;
  const loadGrants = () => (reloading ??= drawGrants().finally(() => (reloading = null)));
  const drawGrants = async () => {
    const { items, nextCursor } = await readPages(session, `/v1/patients/${session.identity.id}/grants`, "grants", { limit: 100, pages: 5 });
    await learnPeople(session, items.map((g) => g.grantee));
    const order = { active: 0, pending: 1, expired: 2, revoked: 3 };
    items.sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9) || String(b.grantedAt).localeCompare(String(a.grantedAt)));
    replace(
      grantsSlot,
      h("h2", { id: "grants-heading" }, "Who can read my reports"),
      keepUnchangedRows(grantsTable(session, items, reports, loadGrants), "data-grant"),
      nextCursor ? h("p", { class: "hint" }, "Only the first 500 are shown.") : null,
    );
  };

  replace(formSlot, h("h2", { id: "share-heading" }, "Share my reports"), shareForm(session, reports, preselected, loadGrants));
  await loadGrants();
  if (preselected) focus(document.getElementById("share-grantee"));

  return {
    async onEvent(evt) {
      const e = evt?.data?.event ?? {};
      if (e.type !== "grant-changed" || e.patient !== session.identity.id) return;
      // This page's own share or revoke has usually redrawn the table already; redraw only
      // when the row is missing or says otherwise (fewer redraws under the user's cursor).
      const row = grantsSlot.querySelector(`tr[data-grant="${e.grant}"]`);
      const shown = row?.getAttribute("data-status");
      if (row && (e.active ? shown === "active" || shown === "pending" : shown === "revoked" || shown === "expired")) return;
      await loadGrants();
    },
  };
}

function shareForm(session, reports, preselected, reload) {
  const grantee = h("input", { type: "text", required: true, pattern: `\\s*${idPattern}\\s*`, autocomplete: "off", spellcheck: "false", inputmode: "text" });
  const name = h("input", { type: "text", maxlength: 80, autocomplete: "off" });
  const scope = select(
    [
      ["report", "Only one report"],
      ["category", "All my reports of one kind"],
      ["all", "All my reports"],
    ],
    { value: preselected ? "report" : "category" },
  );
  const report = select(
    reports.map((r) => [r.id, `${categoryWords(r.category)}, ${day(r.versions?.[0]?.submittedAt)} (${shortId(r.id)})`]),
    { value: preselected ?? reports[0]?.id },
  );
  const categoryCodes = [...new Set(reports.map((r) => r.category))];
  const category = select(categoryCodes.map((c) => [c, categoryWords(c)]));
  const purpose = select(purposeChoices, { value: "treatment" });
  const expiry = h("input", { type: "date" });
  const tomorrow = new Date(Date.now() + 86400000);
  expiry.min = dateInputValue(tomorrow);
  expiry.value = dateInputValue(new Date(Date.now() + defaultDays * 86400000));

  const reportField = field({ id: "share-report", label: "Which report" }, report);
  const categoryField = field({ id: "share-category", label: "Which kind of report" }, category);
  const showScope = () => {
    reportField.hidden = scope.value !== "report";
    categoryField.hidden = scope.value !== "category";
    report.disabled = reportField.hidden;
    category.disabled = categoryField.hidden;
  };
  scope.addEventListener("change", showScope);
  showScope();

  const shareResult = h("div", { id: "share-result" });
  return h(
    "div",
    {},
    form(
      {
        id: "share-form",
        label: "Share my reports",
        errorContext: "Sharing failed",
        busyText: "Sharing…",
        onSubmit: async (el) => {
          const granteeId = cleanId(grantee.value);
          if (!granteeId) {
            focus(grantee);
            throw new Error("The id must be 64 characters (0-9 and a-f). Ask the practitioner or organization for their MedLedger id.");
          }
          if (granteeId === session.identity.id) throw new Error("That is your own id: you can always read your own reports.");
          const scopeValue = scopeFor(scope.value, report.value, category.value);
          if (!scopeValue) throw new Error(reports.length === 0 ? "You have no reports to share yet. Choose “All my reports” to share future ones." : "Choose which report or kind of report to share.");
          const validUntil = expiry.value ? endOfDay(expiry.value) : undefined;
          if (validUntil !== undefined && validUntil <= Date.now()) throw new Error("The end date must be in the future.");
          if (name.value.trim()) rememberContact(session, granteeId, name.value);
          const grantId = newGrantId();
          await record(
            session,
            grantAccess({ grant: grantId, patient: session.identity.id, grantee: granteeId, scope: scopeValue, purpose: purpose.value, validUntil }),
          );
          await learnPeople(session, [granteeId]);
          const what = scope.value === "all" ? "all your reports" : scope.value === "category" ? `your ${categoryWords(category.value).toLowerCase()} reports` : `report ${shortId(report.value)}`;
          const until = expiry.value ? `until ${day(validUntil)}` : "until you stop it";
          const text = `Shared: ${personName(session, granteeId)} can read ${what} ${purposeWords(purpose.value)}, ${until}.`;
          replace(shareResult, h("p", { class: "notice success", "data-grant": grantId, tabindex: "-1" }, text));
          notify(text, { kind: "success" });
          grantee.value = "";
          name.value = "";
          await reload();
          focus(shareResult.firstChild);
          void el;
        },
      },
      field(
        { id: "share-grantee", label: "Practitioner or organization id", hint: "Their MedLedger id: 64 characters, which they can give you. Sharing with an organization lets its staff with the reader role read." },
        grantee,
      ),
      field({ id: "share-name", label: "Their name (optional, kept only in this browser)", hint: "So that you recognise them later in your lists. The ledger never stores names." }, name),
      field({ id: "share-scope", label: "What to share" }, scope),
      reportField,
      categoryField,
      field({ id: "share-purpose", label: "For what reason", hint: "They may read only for this reason; a read for another reason is refused and recorded." }, purpose),
      field({ id: "share-expiry", label: "Until (end date)", hint: `Sharing stops at the end of this day. Leave empty to share until you stop it.` }, expiry),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "share-submit" }, "Share")),
    ),
    shareResult,
  );
}

function scopeFor(kind, reportId, category) {
  if (kind === "all") return { all: true };
  if (kind === "report") return reportId ? { reports: [reportId] } : null;
  return category ? { categories: [category] } : null;
}

function scopeWords(scope, reports) {
  if (!scope || scope.kind === "all-reports") return "All my reports";
  if (scope.kind === "categories") return (scope.categories ?? []).map((c) => `${categoryWords(c)} reports`).join(", ");
  const ids = scope.reports ?? [];
  return ids
    .map((id) => {
      const r = reports.find((x) => x.id === id);
      return r ? `${categoryWords(r.category)} report (${shortId(id)})` : `Report ${shortId(id)}`;
    })
    .join(", ");
}

const statusBadges = {
  active: ["Active", "ok"],
  pending: ["Starts later", "wait"],
  expired: ["Ended", ""],
  revoked: ["Stopped", "bad"],
};

function grantsTable(session, grants, reports, reload) {
  return table({
    id: "grants",
    caption: "Everyone you shared with, and the care team your reports were sent to",
    empty: "You have not shared any reports yet.",
    rows: grants,
    rowAttributes: (g) => ({ "data-grant": g.id, "data-status": g.status }),
    columns: [
      { title: "Who", cell: (g) => [personName(session, g.grantee), g.origin === "distribution" ? [h("br"), h("span", { class: "hint" }, "Sent with the report when it was ordered")] : null] },
      { title: "What", cell: (g) => scopeWords(g.scope, reports) },
      { title: "Why", cell: (g) => purposeName(g.purpose) },
      { title: "Until", cell: (g) => (g.revokedAt ? `Stopped ${day(g.revokedAt)}` : g.validUntil ? day(g.validUntil) : "Until you stop it") },
      { title: "Status", cell: (g) => badge(...(statusBadges[g.status] ?? [g.status])) },
      {
        title: "Actions",
        cell: (g) =>
          g.status === "active" || g.status === "pending"
            ? h(
                "button",
                {
                  type: "button",
                  class: "button-danger",
                  "data-action": "revoke",
                  "aria-label": `Stop sharing with ${personName(session, g.grantee)}`,
                  onclick: (event) =>
                    busy(
                      event.currentTarget,
                      "Stopping…",
                      async () => {
                        await record(session, revokeGrant({ grant: g.id }));
                        notify(`Stopped: ${personName(session, g.grantee)} can no longer read these reports. Any read from now on is refused and recorded.`, { kind: "success" });
                        await reload();
                        focus(document.getElementById("grants-heading"));
                      },
                      "Could not stop sharing",
                    ),
                },
                "Stop sharing",
              )
            : "",
      },
    ],
  });
}
