// Placeholder: H5 (portal-e2e) replaces this page.
import { h } from "../ui/dom.js";

export async function render(main) {
  main.append(h("h1", {}, "Node dashboard"), h("p", { class: "lead" }, "Height, peers, validators and throughput come here."));
}
