// Plain words for the ledger's codes, ids and times. The ledger holds no names: people
// are shown by the name the user gave them in this browser (contacts.js), else by a short
// id.

const purposes = {
  treatment: "for treatment",
  emergency: "in an emergency",
  research: "for research",
  payment: "for billing",
  legal: "for legal reasons",
};

/** The purposes a patient can share for, in the order a form offers them. */
export const purposeChoices = [
  ["treatment", "Treatment (care by this person or team)"],
  ["emergency", "Emergencies only"],
  ["research", "Research"],
  ["payment", "Billing and insurance"],
  ["legal", "Legal reasons"],
];

const statuses = {
  registered: ["Registered", "wait"],
  preliminary: ["Preliminary: waiting for approval", "wait"],
  final: ["Final", "ok"],
  amended: ["Amended", "ok"],
  corrected: ["Corrected", "ok"],
  appended: ["Added to", "ok"],
  cancelled: ["Cancelled", "bad"],
  "entered-in-error": ["Withdrawn: entered in error", "bad"],
};

/** Report categories the portal knows by name; anything else shows its code. */
export const categories = {
  "LP7789-9": "Blood tests (hematology)",
};

export const changeReasons = [
  ["clerical-error", "Clerical error"],
  ["additional-information", "Additional information"],
  ["revised-interpretation", "Revised interpretation"],
  ["wrong-patient", "Wrong patient"],
  ["duplicate", "Duplicate"],
  ["other", "Other"],
];

export const concerns = [
  ["not-involved-in-care", "This person is not involved in my care"],
  ["wrong-purpose", "The reason given is not true"],
  ["unexpected-organization", "I did not expect this organization to read it"],
  ["other", "Something else"],
];

export const resolutions = {
  appropriate: "Checked: the organization found this access was appropriate",
  inappropriate: "Checked: the organization found this access was not appropriate",
  referred: "Referred for further review",
};

/** First 8 hex characters: enough to tell people apart on one screen. */
export function shortId(hex) {
  return typeof hex === "string" && hex.length > 8 ? hex.slice(0, 8) : String(hex ?? "");
}

export function purposeWords(purpose) {
  return purposes[purpose] ?? `for "${purpose}"`;
}

export function purposeName(purpose) {
  return (purposeChoices.find(([value]) => value === purpose)?.[1] ?? purpose).replace(/ \(.*\)$/, "");
}

export function statusWords(status) {
  return (statuses[status] ?? [status])[0];
}

export function statusTone(status) {
  return (statuses[status] ?? [status, ""])[1];
}

export function categoryWords(code) {
  return categories[code] ?? `Category ${code}`;
}

export function reasonWords(reason) {
  return changeReasons.find(([value]) => value === reason)?.[1] ?? reason;
}

export function concernWords(concern) {
  return concerns.find(([value]) => value === concern)?.[1] ?? concern;
}

/** A date and time in the user's locale, from ISO 8601 or milliseconds. */
export function when(value) {
  if (value === undefined || value === null || value === "") return "";
  const date = typeof value === "number" ? new Date(value) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A date alone, in the user's locale. */
export function day(value) {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** yyyy-mm-dd for a date input, in local time. */
export function dateInputValue(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The end (23:59:59.999 local) of the day a date input names, in milliseconds. */
export function endOfDay(inputValue) {
  const [y, m, d] = inputValue.split("-").map(Number);
  return new Date(y, m - 1, d, 23, 59, 59, 999).getTime();
}

/** "1 report" / "3 reports". */
export function count(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

export const idPattern = "[0-9a-fA-F]{64}";
export const reportIdPattern = "[0-9a-fA-F]{32}";

/** Accepts an id typed or pasted with spaces, dashes or upper case; null when not 64 hex. */
export function cleanId(text, length = 64) {
  const cleaned = String(text ?? "").replace(/[\s-]/g, "").toLowerCase();
  return new RegExp(`^[0-9a-f]{${length}}$`).test(cleaned) ? cleaned : null;
}
