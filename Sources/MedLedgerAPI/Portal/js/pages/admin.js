// Organization administration (#/admin/practitioners): register practitioners with their
// roles, list the organization's practitioners, suspend and reinstate them.
//
// Who: an organization's own key, or a practitioner of it with the `admin` role.
// Cryptography: the new practitioner's keys are generated here, in the browser
// (lib/keys.js newKeyFile); only the public keys go to the ledger in a
// `register-practitioner` transaction signed by the administrator. The private key file is
// offered once as a download (#reg-download) and is not kept anywhere by the portal.

import { newKeyFile } from "../lib/keys.js";
import { registerPractitioner, setIdentityStatus } from "../lib/transactions.js";
import {
  describeError,
  downloadLink,
  el,
  fetchPages,
  field,
  listOf,
  organizationOf,
  receiptProblem,
  select,
  shortId,
  table,
} from "./ops-kit.js";

/** Roles in ledger tag order (register-practitioner wants them ascending by tag). */
export const ROLES = [
  ["author", "Author: submits and amends reports"],
  ["approver", "Approver: makes preliminary reports final"],
  ["reader", "Reader: reads reports shared with the organization"],
  ["emergency", "Emergency: break-the-glass reads"],
  ["admin", "Administrator: registers and suspends practitioners"],
  ["privacy-officer", "Privacy officer: access log and patients' cases"],
];

export async function render(main, session) {
  const organization = organizationOf(session);
  main.append(el("h1", { id: "page-title", tabindex: "-1" }, "Practitioners"));
  if (!organization) {
    main.append(el("p", {}, "This identity does not belong to an organization, so it administers no practitioners."));
    return {};
  }
  main.append(
    el("p", {}, "Organization ", shortId(organization), ". Keys for a new practitioner are made in this browser; ",
      "only the public keys go on the ledger."),
  );
  const list = practitionerList(session, organization);
  main.append(registrationForm(session, organization, () => list.reload()), list.section);
  await list.reload();
  return {
    onEvent(event) {
      // identity-registered / identity-updated (registrations and status changes).
      const type = event?.data?.event?.type ?? event?.type ?? "";
      if (type.startsWith("identity")) list.reload();
    },
  };
}

function registrationForm(session, organization, changed) {
  const label = el("input", { id: "reg-keyfile-label", name: "reg-keyfile-label", type: "text", required: true,
    autocomplete: "off", maxlength: 120 });
  const suite = select("reg-suite", [["x25519", "X25519 (every browser)"], ["xwing", "X-Wing (post-quantum hybrid)"]], "x25519");
  const roles = el("fieldset", { id: "reg-roles", class: "field choices" }, el("legend", {}, "Roles"),
    ROLES.map(([value, text]) => {
      const id = `reg-role-${value}`;
      return el("div", { class: "field checkbox" },
        el("input", { type: "checkbox", id, name: "role", value, checked: value === "reader" }),
        el("label", { for: id }, text));
    }));
  const submit = el("button", { type: "submit", id: "reg-submit" }, "Generate keys and register");
  const result = el("div", { id: "reg-result", role: "status" });
  const download = el("a", { id: "reg-download", hidden: true, class: "button" }, "Download the new key file");
  const form = el("form", { id: "reg-form", novalidate: true },
    field("Practitioner's name (the key file's label)", label, "For example: Dr. Ana Silva (Cardiology)"),
    field("Encryption suite", suite),
    roles, submit, result, download);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll('input[name="role"]:checked')].map((box) => box.value);
    const name = label.value.trim();
    if (!name) return fail(session, result, "Give the practitioner a name (the key file's label).", label);
    if (chosen.length === 0) return fail(session, result, "Choose at least one role.", roles.querySelector("input"));
    submit.disabled = true;
    download.hidden = true;
    result.textContent = "Generating keys in this browser and registering…";
    try {
      const { json, identity } = await newKeyFile({ label: name, suite: suite.value });
      const ordered = ROLES.map(([value]) => value).filter((value) => chosen.includes(value));
      const view = await session.client.submit(registerPractitioner({
        organization, signingKey: identity.signingPublic,
        // The builder takes the raw public key (its length names the suite), not the canonical form.
        encryptionKey: identity.encryptionRaw ?? identity.encryptionPublic, roles: ordered,
      }));
      const problem = receiptProblem(view);
      if (problem) return fail(session, result, `Not registered: ${problem}`);
      result.dataset.identity = identity.id;
      result.replaceChildren(`Registered ${name} as ${ordered.join(", ")} (id `, el("code", {}, identity.id),
        `, block ${view.height}). Give them the key file below; it is not kept here.`);
      downloadLink(download, `${slug(name)}.json`, "application/json", json);
      download.focus();
      session.notify(`Registered ${name}.`, { kind: "success" });
      changed();
    } catch (error) {
      fail(session, result, `Not registered: ${describeError(error)}`);
    } finally {
      submit.disabled = false;
    }
  });
  return el("section", { class: "card", "aria-labelledby": "reg-heading" }, el("h2", { id: "reg-heading" }, "Register a practitioner"), form);
}

function practitionerList(session, organization) {
  const { table: tableNode, body } = table("practitioners", "The organization's practitioners",
    ["Name / id", "Roles", "Status", "Registered at block", "Action"]);
  const more = el("p", { id: "practitioners-more", hidden: true });
  const section = el("section", { class: "card", "aria-labelledby": "practitioners-heading" },
    el("h2", { id: "practitioners-heading" }, "Practitioners"), tableNode, more);

  async function reload() {
    try {
      const { items, nextCursor } = await fetchPages(session.client,
        `/v1/organizations/${organization}/practitioners`,
        (page) => listOf(page, "practitioners", "identities", "items"), { maxPages: 10, limit: 100 });
      body.replaceChildren(...items.map((record) => row(record)));
      if (items.length === 0) body.append(el("tr", {}, el("td", { colspan: 5 }, "No practitioners yet.")));
      more.hidden = !nextCursor;
      more.textContent = nextCursor ? `Showing the first ${items.length}; the organization has more.` : "";
    } catch (error) {
      session.notify(`Could not list practitioners: ${describeError(error)}`, { kind: "error" });
    }
  }

  function row(record) {
    const suspended = record.status === "suspended";
    const verb = suspended ? "reinstate" : "suspend";
    const button = el("button", { type: "button", dataset: { action: verb }, "aria-label": `${suspended ? "Reinstate" : "Suspend"} ${record.label ?? record.id}` },
      suspended ? "Reinstate" : "Suspend");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const view = await session.client.submit(setIdentityStatus({ target: record.id, status: suspended ? "active" : "suspended" }));
        const problem = receiptProblem(view);
        if (problem) session.notify(`Not changed: ${problem}`, { kind: "error" });
        else session.notify(`${suspended ? "Reinstated" : "Suspended"} ${record.id.slice(0, 12)}….`, { kind: "success" });
      } catch (error) {
        session.notify(`Not changed: ${describeError(error)}`, { kind: "error" });
      }
      await reload();
    });
    // The ledger refuses set-identity-status on oneself: no button for one's own row.
    const action = record.id === session.identity.id ? el("span", {}, "(you)") : button;
    return el("tr", { dataset: { identity: record.id, status: record.status } },
      el("td", {}, record.label ? `${record.label} ` : "", shortId(record.id)),
      el("td", {}, (record.roles ?? []).join(", ")),
      el("td", {}, record.status),
      el("td", {}, record.registeredAt ?? "—"),
      el("td", {}, action));
  }
  return { section, reload };
}

function fail(session, result, text, focus) {
  result.textContent = text;
  session.notify(text, { kind: "error" });
  focus?.focus();
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "practitioner";
}
