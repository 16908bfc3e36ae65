// My reports: every report about me, newest first; Open decrypts it here (the read is
// recorded like any other), Share goes to the sharing form with the report chosen.

import { h, replace } from "../ui/dom.js";
import { table, badge, keepUnchangedRows } from "../ui/table.js";
import { busy } from "../ui/forms.js";
import { readPages, latestVersion } from "../ui/ledger.js";
import { openReport } from "../ui/reader.js";
import { categoryWords, statusWords, statusTone, day, shortId } from "../ui/format.js";
import { personName, learnPeople } from "../ui/people.js";

export async function render(main, session) {
  main.append(
    h("h1", {}, "My reports"),
    h("p", { class: "lead" }, "Your medical reports, newest first. Opening one decrypts it in this browser; the read is recorded, like every read, in “Who read my reports”."),
  );
  const slot = h("div", { id: "report-view-slot" });
  const listSlot = h("div", { id: "reports-slot" }, h("p", { class: "hint" }, "Loading your reports…"));
  main.append(slot, listSlot);

  const load = async () => {
    const { items, nextCursor } = await readPages(session, `/v1/patients/${session.identity.id}/reports`, "reports", { limit: 100, pages: 5 });
    await learnPeople(session, items.map((r) => r.organization));
    session.myReports = items;
    replace(
      listSlot,
      keepUnchangedRows(reportsTable(session, items, slot), "data-report"),
      nextCursor ? h("p", { class: "hint" }, "Only your 500 newest reports are shown.") : null,
    );
  };
  await load();

  return {
    async onEvent(evt) {
      const e = evt?.data?.event ?? {};
      if (e.type === "report" && e.patient === session.identity.id) await load();
    },
  };
}

function reportsTable(session, reports, slot) {
  return table({
    id: "reports",
    caption: `${reports.length} ${reports.length === 1 ? "report" : "reports"}`,
    empty: "You have no reports yet. When a lab or clinic records one for you, it appears here.",
    rows: reports,
    rowAttributes: (r) => ({ "data-report": r.id }),
    columns: [
      {
        title: "Report",
        cell: (r) => [h("strong", {}, categoryWords(r.category)), h("br"), h("span", { class: "hint" }, "id ", h("span", { class: "id" }, shortId(r.id)))],
      },
      { title: "From", cell: (r) => personName(session, r.organization) },
      {
        title: "Status",
        cell: (r) => {
          const latest = latestVersion(r);
          return [badge(statusWords(latest?.status), statusTone(latest?.status)), latest?.version > 1 ? h("span", { class: "hint" }, ` version ${latest.version}`) : null];
        },
      },
      {
        title: "Dates",
        cell: (r) => {
          const first = r.versions?.[0];
          const latest = latestVersion(r);
          return [
            `Issued ${day(first?.submittedAt)}`,
            latest && latest !== first ? [h("br"), `Updated ${day(latest.submittedAt)}`] : null,
          ];
        },
      },
      {
        title: "Actions",
        cell: (r) =>
          h(
            "div",
            { class: "actions" },
            h(
              "button",
              {
                type: "button",
                "data-action": "open",
                "aria-label": `Open report ${shortId(r.id)} (${categoryWords(r.category)})`,
                onclick: (event) =>
                  busy(event.currentTarget, "Opening…", () =>
                    openReport({
                      session,
                      slot,
                      reportId: r.id,
                      version: latestVersion(r).version,
                      purpose: "treatment",
                      category: r.category,
                      versions: (r.versions ?? []).map((v) => v.version),
                    }),
                  ),
              },
              "Open",
            ),
            h(
              "button",
              {
                type: "button",
                class: "button-secondary",
                "data-action": "share",
                "aria-label": `Share report ${shortId(r.id)}`,
                onclick: () => session.navigate(`#/patient/sharing?report=${r.id}`),
              },
              "Share",
            ),
          ),
      },
    ],
  });
}
