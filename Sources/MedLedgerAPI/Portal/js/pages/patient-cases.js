// My concerns: the accesses I reported, and what the organization answered.

import { h, replace } from "../ui/dom.js";
import { table, badge } from "../ui/table.js";
import { readPages } from "../ui/ledger.js";
import { concernWords, resolutions, shortId, when } from "../ui/format.js";
import { personName, learnPeople } from "../ui/people.js";

export async function render(main, session) {
  main.append(
    h("h1", {}, "My concerns"),
    h("p", { class: "lead" }, "Reads you reported from “Who read my reports”. The privacy officer of the reader's organization looks at each one and records the answer on the ledger."),
  );
  const slot = h("div", {}, h("p", { class: "hint" }, "Loading…"));
  main.append(slot);

  const load = async () => {
    const { items, nextCursor } = await readPages(session, `/v1/patients/${session.identity.id}/cases`, "cases", { limit: 100, pages: 5 });
    await learnPeople(session, items.map((c) => c.reader));
    replace(
      slot,
      table({
        id: "my-cases",
        caption: `${items.length} ${items.length === 1 ? "concern" : "concerns"}`,
        empty: "You have not reported any access. If a read in “Who read my reports” looks wrong, use “Report this access” there.",
        rows: items,
        rowAttributes: (c) => ({ "data-case": c.id ?? c.case, "data-status": c.status }),
        columns: [
          { title: "Reported", cell: (c) => when(c.openedAt ?? c.time ?? c.openedAtMs) },
          { title: "Who read", cell: (c) => personName(session, c.reader) },
          { title: "Report", cell: (c) => h("span", { class: "id" }, shortId(c.report)) },
          { title: "Your concern", cell: (c) => concernWords(c.concern) },
          {
            title: "Answer",
            cell: (c) =>
              c.resolution
                ? [badge("Answered", "ok"), " ", resolutions[c.resolution] ?? c.resolution, c.resolvedAt ? h("span", { class: "hint" }, ` (${when(c.resolvedAt)})`) : null]
                : badge("Waiting for the privacy officer", "wait"),
          },
        ],
      }),
      nextCursor ? h("p", { class: "hint" }, "Only the 500 newest are shown.") : null,
    );
  };
  await load();
  return {
    async onEvent(evt) {
      const type = evt?.data?.event?.type ?? "";
      if (type.startsWith("case")) await load();
    },
  };
}
