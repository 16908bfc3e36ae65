// Placeholder: H5 (portal-e2e) replaces this page.
import { h } from "../ui/dom.js";

export async function render(main, session, view) {
  main.append(h("h1", {}, view === "cases" ? "Patient concerns" : "Access log"), h("p", { class: "lead" }, "The organization's access log and the cases patients opened come here."));
}
