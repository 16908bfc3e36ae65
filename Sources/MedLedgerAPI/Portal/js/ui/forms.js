// Form building blocks: every control gets a visible <label for>, hints are tied to the
// control with aria-describedby, and a form's submit handler runs with the button disabled
// and errors shown in #errors (focus moves there).

import { h } from "./dom.js";
import { showError, clearErrors } from "./messages.js";

/** A labelled control: field({id, label, hint}, control). */
export function field({ id, label, hint, className = "" }, control) {
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  const isCheck = control.type === "checkbox" || control.type === "radio";
  return h(
    "div",
    { class: `field ${isCheck ? "checkbox" : ""} ${className}`.trim() },
    isCheck ? [control, h("label", { for: id }, label)] : [h("label", { for: id }, label), control],
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
  );
}

/** A <select> of [value, text] pairs. */
export function select(options, props = {}) {
  return h(
    "select",
    props,
    options.map(([value, text]) => h("option", { value, selected: value === props.value }, text)),
  );
}

/**
 * A form whose submit (Enter, or its submit button) runs `onSubmit(form)`. While it runs the
 * submit buttons are disabled and say `busyText`; a thrown error shows in #errors with
 * `errorContext`.
 */
export function form({ id, onSubmit, errorContext, busyText = "Working…", label }, ...children) {
  const el = h("form", { id, "aria-label": label }, ...children);
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (el.dataset.busy) return;
    clearErrors();
    const buttons = [...el.querySelectorAll('button[type="submit"]')];
    const labels = buttons.map((b) => b.textContent);
    el.dataset.busy = "1";
    el.setAttribute("aria-busy", "true");
    buttons.forEach((b) => {
      b.disabled = true;
      b.textContent = busyText;
    });
    try {
      await onSubmit(el);
    } catch (error) {
      showError(error, { context: errorContext });
    } finally {
      delete el.dataset.busy;
      el.removeAttribute("aria-busy");
      buttons.forEach((b, i) => {
        b.disabled = false;
        b.textContent = labels[i];
      });
    }
  });
  return el;
}

/** Runs an action from a button (not in a form) with the same busy/error handling. */
export async function busy(button, busyText, action, errorContext) {
  if (button.disabled) return;
  clearErrors();
  const label = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  try {
    return await action();
  } catch (error) {
    showError(error, { context: errorContext });
  } finally {
    if (button.isConnected) {
      button.disabled = false;
      button.textContent = label;
    }
  }
}

/** Reads a chosen file as bytes. */
export async function fileBytes(input) {
  const file = input.files?.[0];
  if (!file) return null;
  return { file, bytes: new Uint8Array(await file.arrayBuffer()) };
}
