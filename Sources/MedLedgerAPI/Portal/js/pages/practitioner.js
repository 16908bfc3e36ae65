// The practitioner's pages; each view lives in its own module.

import * as worklist from "./practitioner-worklist.js";
import * as submit from "./practitioner-submit.js";

const views = { worklist, submit };

export function render(main, session, view = "worklist") {
  return (views[view] ?? worklist).render(main, session);
}
