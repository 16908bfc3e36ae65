// Submit a report from a file: encrypted in this browser for the patient, the author and the
// custodians, uploaded as ciphertext, and recorded on the ledger with its recipients.

import { submitReport, newReportId } from "../lib/transactions.js";
import { h, replace, focus } from "../ui/dom.js";
import { field, form, fileBytes } from "../ui/forms.js";
import { notify } from "../ui/messages.js";
import { record } from "../ui/ledger.js";
import { sealAndUpload, metadataFor } from "../ui/sealing.js";
import { categories, categoryWords, cleanId, idPattern, statusWords, shortId } from "../ui/format.js";
import { personName, learnPeople } from "../ui/people.js";

const recipientsMax = 32;

export async function render(main, session) {
  const isApprover = (session.record.roles ?? []).includes("approver");
  main.append(
    h("h1", {}, "Submit a report"),
    h(
      "p",
      { class: "lead" },
      `Choose the report file and the patient. It is encrypted in this browser before it leaves; only the patient, you, and the people it is shared with can open it. ${
        isApprover ? "You are an approver, so it is final at once and sent to its recipients." : "It stays preliminary until an approver in your organization approves it; then it is sent to its recipients."
      }`,
    ),
  );
  const patient = h("input", { type: "text", required: true, pattern: `\\s*${idPattern}\\s*`, autocomplete: "off", spellcheck: "false" });
  const category = h("input", { type: "text", required: true, list: "category-choices", maxlength: 64, autocomplete: "off", value: Object.keys(categories)[0] });
  const choices = h("datalist", { id: "category-choices" }, Object.entries(categories).map(([code, words]) => h("option", { value: code }, words)));
  const file = h("input", { type: "file", required: true });
  const title = h("input", { type: "text", maxlength: 200, autocomplete: "off" });
  const recipients = h("textarea", { rows: 3, spellcheck: "false" });
  const resultSlot = h("div", { id: "submit-slot" });

  main.append(
    h(
      "section",
      { class: "card" },
      form(
        {
          id: "submit-form",
          label: "Submit a report",
          errorContext: "The report was not submitted",
          busyText: "Encrypting and recording…",
          onSubmit: async () => {
            const patientId = cleanId(patient.value);
            if (!patientId) {
              focus(patient);
              throw new Error("The patient id must be 64 characters (0-9 and a-f). Copy it from the patient's portal or the order.");
            }
            const code = category.value.trim();
            if (!/^[\x21-\x7e]{1,64}$/.test(code)) {
              focus(category);
              throw new Error("The category is a code without spaces, for example LP7789-9 (hematology).");
            }
            const recipientIds = parseRecipients(recipients.value);
            const chosen = await fileBytes(file);
            if (!chosen) {
              focus(file);
              throw new Error("Choose the report file.");
            }
            const reportId = newReportId();
            const content = await sealAndUpload(session, {
              reportId,
              version: 1,
              bytes: chosen.bytes,
              metadata: metadataFor(chosen.file, title.value.trim()),
              patientId,
            });
            const view = await record(session, submitReport({ report: reportId, patient: patientId, category: code, content, recipients: recipientIds }));
            await learnPeople(session, recipientIds);
            const status = isApprover ? "final" : "preliminary";
            const result = h(
              "section",
              { id: "submit-result", class: "card result done", "data-report": reportId, tabindex: "-1", "aria-labelledby": "submit-result-heading" },
              h("h2", { id: "submit-result-heading" }, "Report submitted"),
              h("p", {}, `${categoryWords(code)} report for patient ${shortId(patientId)}: ${statusWords(status).toLowerCase()}${view?.height ? `, recorded in block ${view.height}` : ""}.`),
              h("p", {}, "Report id: ", h("span", { class: "id full-id" }, reportId)),
              recipientIds.length
                ? h("p", {}, `${isApprover ? "Sent to" : "Will be sent on approval to"}: ${recipientIds.map((id) => personName(session, id)).join(", ")}.`)
                : null,
            );
            replace(resultSlot, result);
            notify(`Report ${shortId(reportId)} submitted.`, { kind: "success" });
            file.value = "";
            title.value = "";
            focus(result);
          },
        },
        field({ id: "submit-patient", label: "Patient's MedLedger id", hint: "64 characters." }, patient),
        field({ id: "submit-category", label: "Category (code)", hint: "The kind of report, as a LOINC document class code, e.g. LP7789-9 for hematology. Visible on the ledger so patients can share by kind." }, category),
        choices,
        field({ id: "submit-file", label: "Report file", hint: "A text, PDF or other file up to 32 MB. It is encrypted here before upload." }, file),
        field({ id: "submit-title", label: "Title (optional)", hint: "Encrypted with the report; only readers see it. Defaults to the file name." }, title),
        field(
          { id: "submit-recipients", label: "Send to (optional)", hint: `MedLedger ids of the practitioners or organizations who ordered it, one per line (up to ${recipientsMax}). They can read it for treatment once it is final.` },
          recipients,
        ),
        h("div", { class: "actions" }, h("button", { type: "submit", id: "submit-button" }, "Encrypt and submit")),
      ),
    ),
    resultSlot,
  );
}

function parseRecipients(text) {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const ids = [];
  for (const part of parts) {
    const id = cleanId(part);
    if (!id) throw new Error(`"${part.slice(0, 20)}${part.length > 20 ? "…" : ""}" is not a MedLedger id (64 characters, 0-9 and a-f). Put one id per line.`);
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length > recipientsMax) throw new Error(`At most ${recipientsMax} recipients.`);
  return ids;
}
