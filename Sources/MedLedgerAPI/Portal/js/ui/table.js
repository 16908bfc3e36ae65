// Data tables: a caption, header cells, and per-cell data-label so that on a phone each row
// becomes a card that still names its values.

import { h } from "./dom.js";

/**
 * table({id, caption, columns: [{title, cell(row) → node|string}], rows,
 *        rowAttributes(row) → {…}, empty: "Nothing yet."})
 */
export function table({ id, caption, columns, rows, rowAttributes = () => ({}), empty = "Nothing to show yet." }) {
  const body = h("tbody");
  const el = h(
    "table",
    { id },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.title)))),
    body,
  );
  const addRows = (more) => {
    for (const row of more) {
      body.append(
        h(
          "tr",
          rowAttributes(row),
          columns.map((c) => h("td", { "data-label": c.title }, c.cell(row))),
        ),
      );
    }
    if (more.length > 0) emptyRow?.remove();
  };
  let emptyRow = null;
  if (rows.length === 0) {
    emptyRow = h("tr", { class: "empty-row" }, h("td", { colspan: columns.length, class: "empty" }, empty));
    body.append(emptyRow);
  }
  addRows(rows);
  el.addRows = addRows;
  return el;
}

/** A small coloured status word. */
export function badge(text, tone = "") {
  return h("span", { class: `badge ${tone}`.trim() }, text);
}

/**
 * Before `fresh` replaces the table with the same id: moves every row of the old table that
 * has not changed (same key, same markup) into `fresh`, so a redraw after a live event leaves
 * the rows, and focus and selection in them, where they were.
 */
export function keepUnchangedRows(fresh, keyAttribute) {
  const current = document.getElementById(fresh.id);
  if (!current) return fresh;
  const old = new Map([...current.querySelectorAll(`tbody > tr[${keyAttribute}]`)].map((tr) => [tr.getAttribute(keyAttribute), tr]));
  for (const tr of [...fresh.querySelectorAll(`tbody > tr[${keyAttribute}]`)]) {
    const previous = old.get(tr.getAttribute(keyAttribute));
    if (previous && previous.outerHTML === tr.outerHTML) tr.replaceWith(previous);
  }
  return fresh;
}
