// One plain sentence for a live ledger event (GET /v1/events), or null when the event is
// not worth interrupting the user for (their own actions already said what happened).

import { PersonName, personName } from "./people.js";
import { categoryWords, purposeWords, shortId, statusWords } from "./format.js";

/** `evt` = { id, type, data: indexed event JSON { event: {type, …}, time, transaction, … } }. */
export function describeEvent(evt, session) {
  const e = evt?.data?.event ?? evt?.data ?? {};
  const me = session.identity.id;
  const known = e.report && session.myReports?.find((r) => r.id === e.report);
  const report = known ? `${categoryWords(known.category).toLowerCase()} report (${shortId(e.report)})` : e.report ? `report ${shortId(e.report)}` : "a report";
  switch (e.type) {
    case "access": {
      if (e.reader === me) return null;
      if (e.patient === me) {
        return e.basis === "denied"
          ? `${PersonName(session, e.reader)} tried to read your ${report} ${purposeWords(e.purpose)}. It was refused and recorded.`
          : `${PersonName(session, e.reader)} read your ${report} ${purposeWords(e.purpose)}.`;
      }
      return e.basis === "denied"
        ? `${PersonName(session, e.reader)} was refused a read of ${report} ${purposeWords(e.purpose)}.`
        : `${PersonName(session, e.reader)} read ${report} ${purposeWords(e.purpose)}.`;
    }
    case "grant-changed": {
      if (e.grantee === me) {
        return e.active
          ? `A report was shared with you (patient ${shortId(e.patient)}). It is in your worklist.`
          : `Access to the reports of patient ${shortId(e.patient)} was stopped.`;
      }
      return null;
    }
    case "report": {
      if (e.patient !== me) {
        if (e.action === "submitted" && e.status === "preliminary") return `A new report (${shortId(e.report)}) is waiting for approval.`;
        return null;
      }
      switch (e.action) {
        case "submitted":
          return e.status === "preliminary"
            ? `A new report was added for you (${shortId(e.report)}). It is waiting for the lab's approval.`
            : `A new report was added for you (${shortId(e.report)}).`;
        case "approved":
          return `Your ${report} was approved: ${statusWords(e.status).toLowerCase()}.`;
        case "distributed":
          return `Your ${report} was sent to the care team named when it was ordered.`;
        case "revised":
          return `Your ${report} was updated (version ${e.version}).`;
        case "entered-in-error":
          return `Your ${report} was withdrawn by the lab as entered in error.`;
        case "rekeyed":
          return null;
        default:
          return `Your ${report} changed.`;
      }
    }
    case "case-changed": {
      const resolved = e.status === "resolved";
      if (e.patient === me) return resolved ? "Your concern about a read was answered. See “My concerns”." : null;
      return resolved ? null : `A patient reported a read by ${personName(session, e.reader)} (case ${shortId(e.case)}).`;
    }
    case "identity-updated":
      return e.identity === me ? "Your account was updated on the ledger." : null;
    default:
      return null;
  }
}
