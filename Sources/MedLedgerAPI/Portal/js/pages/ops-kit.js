// Small DOM and data helpers shared by the operations pages (admin, privacy, dashboard).
// No inline styles or scripts: the CSP forbids them, so everything is built with the DOM API
// and styled by class names from css/portal.css.

/** Builds an element: el("button", {type: "button", class: "x", dataset: {action: "open"}}, "Open"). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A labelled control: <div class="field"><label for=id>text</label>control</div>. */
export function field(text, control, hint) {
  const label = el("label", { for: control.id }, text);
  const wrapper = el("div", { class: "field" }, label, control);
  if (hint) {
    const hintId = `${control.id}-hint`;
    wrapper.append(el("p", { class: "hint", id: hintId }, hint));
    control.setAttribute("aria-describedby", hintId);
  }
  return wrapper;
}

/** A <select> from [value, text] pairs. */
export function select(id, options, selected) {
  const node = el("select", { id, name: id });
  for (const [value, text] of options) {
    node.append(el("option", { value, selected: value === selected }, text));
  }
  return node;
}

/** A table with a caption and header row; returns {table, body}. */
export function table(id, caption, headers) {
  const body = el("tbody");
  const table = el(
    "table",
    { id, class: "data" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    body,
  );
  return { table, body };
}

/** The first 12 hex digits of an id, with the whole id in a title for hover and copy. */
export function shortId(hexId) {
  if (!hexId) return el("span", {}, "—");
  return el("code", { title: hexId, class: "id" }, `${hexId.slice(0, 12)}…`);
}

/** Offers `text` as a file download through a Blob URL on an existing or new link. */
export function downloadLink(link, fileName, mediaType, text) {
  if (link.href && link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([text], { type: mediaType }));
  link.download = fileName;
  link.hidden = false;
  return link;
}

/**
 * Follows `nextCursor` for a list route, at most `maxPages` pages (so a huge list never
 * means unbounded work in the browser). `pick(page)` returns the page's items.
 * Returns {items, nextCursor}: nextCursor is set when the bound stopped the walk.
 */
export async function fetchPages(client, path, pick, { maxPages = 10, limit = 200, cursor = null } = {}) {
  const items = [];
  let next = cursor;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes("?") ? "&" : "?";
    const query = `${separator}limit=${limit}${next ? `&cursor=${encodeURIComponent(next)}` : ""}`;
    const answer = await client.get(`${path}${query}`);
    items.push(...(pick(answer) ?? []));
    next = answer.nextCursor ?? null;
    if (!next) break;
  }
  return { items, nextCursor: next };
}

/** The first array member of `answer` among `names` (list routes name their items differently). */
export function listOf(answer, ...names) {
  if (Array.isArray(answer)) return answer;
  for (const name of names) if (Array.isArray(answer?.[name])) return answer[name];
  return [];
}

/** The organization an identity acts for: itself when it is an organization key. */
export function organizationOf(session) {
  if (session.record?.kind === "organization") return session.identity.id;
  return session.record?.organization ?? null;
}

/** Words for an error from lib/api.js (APIError) or anything else. */
export function describeError(error) {
  if (error?.detail) return `${error.title ?? "Error"}: ${error.detail}`;
  return error?.message ?? String(error);
}

/** Whether a committed transaction view succeeded; otherwise its sentence. */
export function receiptProblem(view) {
  if (!view) return "no answer from the node";
  if (view.status && view.status !== "committed") return "the transaction did not commit within 15 s; look again shortly";
  if (view.code === 0 || view.codeName === "ok") return null;
  return view.message ?? `refused: ${view.codeName ?? view.code}`;
}

/** ISO 8601 in the user's words: 2026-11-30 14:03:12 (local time). */
export function formatTime(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return "—";
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
