// The patient's pages; each view lives in its own module.

import * as reports from "./patient-reports.js";
import * as sharing from "./patient-sharing.js";
import * as timeline from "./patient-timeline.js";
import * as guardians from "./patient-guardians.js";
import * as cases from "./patient-cases.js";

const views = { reports, sharing, timeline, guardians, cases };

export function render(main, session, view = "reports") {
  return (views[view] ?? reports).render(main, session);
}
