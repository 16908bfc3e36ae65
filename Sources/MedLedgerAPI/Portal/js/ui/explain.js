// Turns whatever went wrong (a problem document from the node, a refused transaction, a
// failed check in the browser, a network failure) into one sentence that says what to do.

const byCode = {
  "no-active-grant": "Not allowed: nobody has shared this report with you for that purpose. The attempt was recorded. Ask the patient to share it, or choose the purpose you were given.",
  "missing-role": "Your account does not have the role this needs. Ask your organization's administrator.",
  "not-patient-or-guardian": "Only the patient or one of their guardians can do this.",
  "unknown-identity": "No one is registered on the ledger with that id. Check the id (64 characters) and try again.",
  "unknown-report": "There is no report with that id. Check the id and try again.",
  "unknown-version": "That version of the report does not exist.",
  "invalid-status-transition": "The report is not in a state that allows this (for example, it is already approved, or still waiting for approval).",
  "stale-version": "Someone changed this report a moment ago. Reload the page and try again.",
  "grant-not-active": "This access was already stopped.",
  "unknown-grant": "That sharing no longer exists. Reload the page.",
  "limit-reached": "A limit was reached (for example, at most 8 guardians).",
  "signer-suspended": "Your account is suspended. Contact your organization's administrator.",
  "unknown-signer": "This key is not registered on this ledger. Ask your hospital or clinic to register you.",
  "stale-nonce": "Another action from your account was recorded at the same moment. Please try again.",
  "not-admin": "Only an administrator of that organization can do this.",
  "wrong-kind": "This account cannot do that (for example, only a patient can share their own reports).",
  "case-exists": "You already reported this access.",
  "unknown-case": "That concern could not be found. Reload the page.",
  "case-closed": "That concern has already been resolved.",
};

export function explain(error) {
  if (!error) return "Something went wrong. Please try again.";
  if (typeof error === "string") return error;
  const codeName = error.codeName ?? error.receipt?.codeName;
  if (codeName && byCode[codeName]) return byCode[codeName];
  if (codeName === "invalid-field") {
    return `The ledger refused a value${error.field ? ` (${error.field})` : ""}: ${error.detail ?? error.message ?? "check the form and try again."}`;
  }
  if (/key shares? needed|other custodian/i.test(error.message ?? "")) {
    return `This network keeps each report key in pieces on several nodes, and not enough of them answered. Add the other nodes' addresses under “Other nodes of this network” on the worklist page, then try again. (${error.message})`;
  }
  if (error.name === "TypeError" && /fetch|network/i.test(error.message ?? "")) {
    return "Cannot reach the MedLedger node. Check your connection and try again in a moment.";
  }
  switch (error.status) {
    case 0:
      return "Cannot reach the MedLedger node. Check your connection and try again in a moment.";
    case 401:
      return "The node did not accept your signature. Check that your computer's clock is right, then sign in again.";
    case 403:
      return "You are not allowed to see this. If you think you should be, ask the patient or your administrator.";
    case 404:
      return "The node does not know this. Check the id, or the node may need an update.";
    case 409:
      return "Another action happened at the same moment. Please try again.";
    case 413:
      return "This file is too large (the limit is 32 MB).";
    case 429:
    case 503:
      return "The node is busy right now. Please try again in a minute.";
  }
  const detail = error.detail ?? error.message;
  return detail ? String(detail) : "Something went wrong. Please try again.";
}
