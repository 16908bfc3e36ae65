// Recording an action on the ledger, and reading lists page by page.

import { notify } from "./messages.js";

/**
 * Signs and submits `payload` (from lib/transactions.js), waits for its block, and returns
 * the transaction view. A refusal (result code other than 0) is thrown as an Error carrying
 * `code`, `codeName` and `facts`, so explain() can say what to do.
 */
export async function record(session, payload) {
  const view = await session.client.submit(payload, { wait: true });
  if (view?.status === "pending") {
    notify("Sent. The ledger has not confirmed it yet; it should appear in a moment.");
    return view;
  }
  if (view && view.code !== undefined && view.code !== 0) {
    throw Object.assign(new Error(view.message || `The ledger refused this (${view.codeName}).`), {
      code: view.code,
      codeName: view.codeName,
      facts: view.facts,
      view,
    });
  }
  return view;
}

/**
 * Reads a paged list: `path` without limit/cursor, `key` the array's name in the answer.
 * Returns { items, nextCursor } for up to `pages` pages of `limit`.
 */
export async function readPages(session, path, key, { limit = 100, pages = 1, cursor = null } = {}) {
  const items = [];
  let next = cursor;
  for (let i = 0; i < pages; i++) {
    const separator = path.includes("?") ? "&" : "?";
    const answer = await session.client.get(
      `${path}${separator}limit=${limit}${next ? `&cursor=${encodeURIComponent(next)}` : ""}`,
    );
    items.push(...(answer?.[key] ?? []));
    next = answer?.nextCursor ?? null;
    if (!next) break;
  }
  return { items, nextCursor: next };
}

/** The latest version record of a report answer (versions are in version order). */
export function latestVersion(report) {
  const versions = report?.versions ?? [];
  return versions.reduce((a, b) => (b.version > (a?.version ?? 0) ? b : a), versions[0]);
}

/** The event cursor "HEIGHT.POSITION.INDEX" of an indexed event or audit entry. */
export function cursorOf(entry) {
  return entry.cursor ?? `${entry.height}.${entry.position}.${entry.eventIndex}`;
}
