// Who an id is, in words. The ledger holds no names: the user names people in this browser
// (their contacts, kept in localStorage per signed-in identity), founding organizations
// have their genesis names, and a practitioner's public record says which organization
// they belong to. Everything else is "someone" with a short id.

import { shortId } from "./format.js";

const storageKey = (me) => `medledger.contacts.${me}`;
const labelMaxLength = 80;

/** The user's contacts: { id: label }. */
export function loadContacts(me) {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey(me)) ?? "{}");
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

/** Remembers a name for an id (an empty name forgets it). */
export function rememberContact(session, id, label) {
  const contacts = loadContacts(session.identity.id);
  const clean = String(label ?? "").trim().slice(0, labelMaxLength);
  if (clean) contacts[id] = clean;
  else delete contacts[id];
  try {
    localStorage.setItem(storageKey(session.identity.id), JSON.stringify(contacts));
  } catch {
    // Storage full or disabled: the name is only lost, nothing else depends on it.
  }
}

export function contactLabel(session, id) {
  return loadContacts(session.identity.id)[id] ?? null;
}

/** "You", "Dr. Chen (ab12cd34)", "City Hospital (12ab34cd)", "someone at City Lab (ab12cd34)". */
export function personName(session, id) {
  if (!id) return "Someone";
  if (id === session.identity.id) return "You";
  const short = shortId(id);
  const label = contactLabel(session, id);
  if (label) return `${label} (${short})`;
  const orgName = session.organizationNames?.get(id);
  if (orgName) return `${orgName} (${short})`;
  const record = session.people?.get(id);
  if (record?.kind === "practitioner") {
    const org = record.organization && (contactLabel(session, record.organization) ?? session.organizationNames?.get(record.organization));
    return org ? `a practitioner at ${org} (${short})` : `a practitioner (${short})`;
  }
  if (record?.kind === "organization") return `an organization (${short})`;
  return `someone (${short})`;
}

/** Same, with a capital first letter for the start of a sentence. */
export function PersonName(session, id) {
  const name = personName(session, id);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Fetches the public records of ids not seen yet (so personName can say more). */
export async function learnPeople(session, ids) {
  session.people ??= new Map();
  const unknown = [...new Set(ids)].filter(
    (id) => id && !session.people.has(id) && id !== session.identity.id && !session.organizationNames?.has(id),
  );
  for (let i = 0; i < unknown.length; i += 8) {
    await Promise.all(
      unknown.slice(i, i + 8).map(async (id) => {
        try {
          session.people.set(id, await session.client.identityRecord(id));
        } catch {
          session.people.set(id, null);
        }
      }),
    );
  }
}
