// Placeholder: H5 (portal-e2e) replaces this page.
import { h } from "../ui/dom.js";

export async function render(main) {
  main.append(h("h1", {}, "Practitioners"), h("p", { class: "lead" }, "Registering practitioners and suspending them comes here."));
}
