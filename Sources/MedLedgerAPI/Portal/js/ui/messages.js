// The two message regions of the shell: #notices (role=status, polite) for what happened,
// #errors (role=alert) for what went wrong and what to do about it.

import { h, focus } from "./dom.js";
import { explain } from "./explain.js";

const noticeLimit = 2;
const noticeLifetimeMs = 8000;

/**
 * Shows a notice that fades by itself (the floating region lets clicks through, so it has
 * no buttons). An error notice goes to #errors instead, where it stays until dismissed.
 */
export function notify(text, { kind = "info" } = {}) {
  if (kind === "error") return showError(text, { focusIt: false });
  const region = document.getElementById("notices");
  if (!region) return;
  const item = h("div", { class: `notice ${kind}` }, h("p", {}, text));
  region.append(item);
  while (region.children.length > noticeLimit) region.firstElementChild.remove();
  setTimeout(() => item.remove(), noticeLifetimeMs);
}

/**
 * Shows an error in #errors in plain words and moves focus there, so a keyboard or screen
 * reader user lands on it. `context` says what was being done ("Sharing failed").
 */
export function showError(error, { context, focusIt = true } = {}) {
  const region = document.getElementById("errors");
  if (!region) return;
  const text = explain(error);
  const item = h(
    "div",
    { class: "error" },
    h("p", {}, context ? h("strong", {}, `${context}: `) : null, text),
    dismissButton(() => item.remove()),
  );
  region.replaceChildren(item);
  if (focusIt) focus(region);
  if (error && !(error.status || error.codeName)) console.error(error);
}

export function clearErrors() {
  document.getElementById("errors")?.replaceChildren();
}

function dismissButton(onclick) {
  return h("button", { type: "button", class: "button-secondary button-small dismiss", onclick }, "Dismiss");
}
