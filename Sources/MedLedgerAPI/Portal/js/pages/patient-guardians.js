// Guardians: people who may act for me (share, revoke, read my audit). Who looks after whom
// is not public (the identity record and its public proof hold no guardians), so the list
// comes from the signed GET /v1/patients/{me}/guardians, its guardians entry checked against
// a certified block when the node proves it (lib/proofs.js); when that fails, from what was
// added or removed in this browser.

import { setGuardian } from "../lib/transactions.js";
import { h, replace, focus } from "../ui/dom.js";
import { field, form, busy } from "../ui/forms.js";
import { notify } from "../ui/messages.js";
import { record } from "../ui/ledger.js";
import { cleanId, idPattern } from "../ui/format.js";
import { personName, rememberContact, learnPeople } from "../ui/people.js";
import { provenGuardians } from "../lib/proofs.js";

const storageKey = (me) => `medledger.guardians.${me}`;

function loadGuardians(me) {
  try {
    const list = JSON.parse(localStorage.getItem(storageKey(me)) ?? "[]");
    return Array.isArray(list) ? list.filter((id) => cleanId(id)) : [];
  } catch {
    return [];
  }
}

function saveGuardians(me, list) {
  try {
    localStorage.setItem(storageKey(me), JSON.stringify([...new Set(list)]));
  } catch {
    // Only the local list is lost; the ledger holds the real one.
  }
}

export async function render(main, session) {
  const me = session.identity.id;
  main.append(
    h("h1", {}, "Guardians"),
    h("p", { class: "lead" }, "A guardian can act for you: share and stop sharing your reports, and see who read them. Add a family member or carer by their MedLedger id. A guardian must be registered (as a patient or a practitioner); you can have up to 8."),
  );
  const listSlot = h("section", { "aria-labelledby": "guardians-heading" });
  const guardianId = h("input", { type: "text", required: true, pattern: `\\s*${idPattern}\\s*`, autocomplete: "off", spellcheck: "false" });
  const name = h("input", { type: "text", maxlength: 80, autocomplete: "off" });

  const drawList = async () => {
    let ids;
    let fromLedger = false;
    try {
      ids = (await provenGuardians(session.client, me, session.genesis)).guardians;
      fromLedger = true;
      saveGuardians(me, ids);
    } catch (error) {
      console.warn("guardians from the ledger:", error);
      ids = loadGuardians(me);
    }
    await learnPeople(session, ids);
    replace(
      listSlot,
      h("h2", { id: "guardians-heading" }, "My guardians"),
      h(
        "p",
        { class: "hint" },
        fromLedger
          ? "As recorded on the ledger now."
          : "The ledger could not be asked just now; this list shows the guardians added or removed in this browser.",
      ),
      h(
        "ul",
        { id: "guardians", class: "plain-list", "data-source": fromLedger ? "ledger" : "browser" },
        ids.length === 0
          ? h("li", { class: "empty" }, "You have no guardians.")
          : ids.map((id) =>
              h(
                "li",
                { "data-guardian": id },
                h("span", {}, personName(session, id)),
                h(
                  "button",
                  {
                    type: "button",
                    class: "button-danger",
                    "data-action": "remove",
                    "aria-label": `Remove ${personName(session, id)} as guardian`,
                    onclick: (event) =>
                      busy(
                        event.currentTarget,
                        "Removing…",
                        async () => {
                          await record(session, setGuardian({ guardian: id, isGuardian: false }));
                          saveGuardians(me, loadGuardians(me).filter((x) => x !== id));
                          notify(`${personName(session, id)} is no longer your guardian.`, { kind: "success" });
                          await drawList();
                          focus(document.getElementById("guardians-heading"));
                        },
                        "Could not remove the guardian",
                      ),
                  },
                  "Remove",
                ),
              ),
            ),
      ),
    );
  };

  main.append(
    h(
      "section",
      { class: "card", "aria-labelledby": "add-guardian-heading" },
      h("h2", { id: "add-guardian-heading" }, "Add a guardian"),
      form(
        {
          id: "guardian-form",
          label: "Add a guardian",
          errorContext: "Could not add the guardian",
          busyText: "Adding…",
          onSubmit: async () => {
            const id = cleanId(guardianId.value);
            if (!id) {
              focus(guardianId);
              throw new Error("The id must be 64 characters (0-9 and a-f). Ask the person for their MedLedger id.");
            }
            if (id === me) throw new Error("That is your own id. A guardian is someone else who acts for you.");
            await record(session, setGuardian({ guardian: id, isGuardian: true }));
            if (name.value.trim()) rememberContact(session, id, name.value);
            saveGuardians(me, [...loadGuardians(me), id]);
            await learnPeople(session, [id]);
            notify(`${personName(session, id)} is now your guardian.`, { kind: "success" });
            guardianId.value = "";
            name.value = "";
            await drawList();
            focus(document.getElementById("guardians-heading"));
          },
        },
        field({ id: "guardian-id", label: "Guardian's MedLedger id", hint: "64 characters, which they can copy from their own portal page." }, guardianId),
        field({ id: "guardian-name", label: "Their name (optional, kept only in this browser)" }, name),
        h("div", { class: "actions" }, h("button", { type: "submit", id: "guardian-add" }, "Add guardian")),
      ),
    ),
    listSlot,
  );
  await drawList();
}
