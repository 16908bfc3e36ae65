// The portal shell: hash router, the signed-in session, navigation by what the identity's
// record allows, and the live event stream while signed in. The private key lives only in
// `session.identity` (memory); signing out drops it.

import { NodeClient } from "./lib/api.js";
import { hex, fromHex, sha256 } from "./lib/bytes.js";
import { h, replace, focus } from "./ui/dom.js";
import { notify, showError, clearErrors } from "./ui/messages.js";
import { describeEvent } from "./ui/events.js";
import { learnPeople } from "./ui/people.js";
import { shortId } from "./ui/format.js";
import * as signin from "./pages/signin.js";
import * as patient from "./pages/patient.js";
import * as practitioner from "./pages/practitioner.js";
import * as admin from "./pages/admin.js";
import * as privacy from "./pages/privacy.js";
import * as dashboard from "./pages/dashboard.js";

const hasRole = (session, role) => (session.record.roles ?? []).includes(role);
const isKind = (kind) => (session) => session.record.kind === kind;
const isAdmin = (s) => s.record.kind === "organization" || (s.record.kind === "practitioner" && hasRole(s, "admin"));
const isPrivacyOfficer = (s) => s.record.kind === "practitioner" && hasRole(s, "privacy-officer");

/** Every route: its page module, the view it passes, the nav label and who may see it. */
const routes = {
  signin: { module: signin, title: "Sign in", public: true },
  "patient/reports": { module: patient, view: "reports", title: "My reports", allow: isKind("patient") },
  "patient/sharing": { module: patient, view: "sharing", title: "Sharing", allow: isKind("patient") },
  "patient/timeline": { module: patient, view: "timeline", title: "Who read my reports", allow: isKind("patient") },
  "patient/guardians": { module: patient, view: "guardians", title: "Guardians", allow: isKind("patient") },
  "patient/cases": { module: patient, view: "cases", title: "My concerns", allow: isKind("patient") },
  "practitioner/worklist": { module: practitioner, view: "worklist", title: "Worklist", allow: isKind("practitioner") },
  "practitioner/submit": {
    module: practitioner,
    view: "submit",
    title: "Submit a report",
    allow: (s) => s.record.kind === "practitioner" && hasRole(s, "author"),
  },
  "admin/practitioners": { module: admin, view: "practitioners", title: "Practitioners", allow: isAdmin },
  "privacy/log": { module: privacy, view: "log", title: "Access log", allow: isPrivacyOfficer },
  "privacy/cases": { module: privacy, view: "cases", title: "Patient concerns", allow: isPrivacyOfficer },
  dashboard: { module: dashboard, view: "dashboard", title: "Node dashboard", public: true },
};

const navOrder = Object.keys(routes).filter((path) => path !== "signin");

let session = null;
let page = null; // what the visible page's render returned ({ onEvent })
let renderCount = 0;
let wantedPath = null; // where a signed-out visitor was going
let liveStream = null; // AbortController of the event stream
let lastActivity = Date.now();
/** Signed in but untouched this long, the portal signs out (shared computers in clinics). */
const idleSignOutMs = 15 * 60 * 1000;

const main = document.getElementById("main");

function parseHash() {
  const raw = location.hash.startsWith("#/") ? location.hash.slice(2) : "";
  const [path, query = ""] = raw.split("?");
  return { path, params: new URLSearchParams(query) };
}

function defaultPath() {
  if (!session) return "signin";
  return navOrder.find((path) => routes[path].allow?.(session)) ?? "dashboard";
}

function navigate(hash) {
  const target = hash.startsWith("#") ? hash : `#/${hash}`;
  if (location.hash === target) render();
  else location.hash = target;
}

function visible(path) {
  const route = routes[path];
  if (!session) return route.public === true;
  if (path === "signin") return false;
  return route.allow ? route.allow(session) : true;
}

function updateNav(current) {
  const nav = document.getElementById("nav");
  const items = session ? navOrder.filter(visible) : ["signin", "dashboard"];
  if (items.length === 0) {
    nav.replaceChildren();
    return;
  }
  replace(
    nav,
    h(
      "ul",
      {},
      items.map((path) =>
        h(
          "li",
          {},
          h(
            "a",
            { href: `#/${path}`, "data-route": path, "aria-current": path === current ? "page" : null },
            routes[path].title,
          ),
        ),
      ),
    ),
  );
}

async function render() {
  if (location.hash && !location.hash.startsWith("#/")) return; // in-page anchors such as the skip link
  const { path, params } = parseHash();
  if (!routes[path]) return navigate(defaultPath());
  if (!session && !routes[path].public) {
    wantedPath = `${path}${params.size ? `?${params}` : ""}`;
    return navigate("signin");
  }
  if (session && !visible(path)) {
    if (path !== "signin") notify(`"${routes[path].title}" is not available for your account.`);
    return navigate(defaultPath());
  }
  const route = routes[path];
  const count = ++renderCount;
  page = null;
  clearErrors();
  document.title = `${route.title} · MedLedger`;
  updateNav(path);
  main.replaceChildren();
  const context = session ? Object.assign(session, { params }) : signedOutShell(params);
  let pending;
  try {
    pending = route.module.render(main, context, route.view);
  } catch (error) {
    pending = Promise.reject(error);
  }
  focus(main.querySelector("h1") ?? main); // pages draw their heading before their first await
  try {
    const handle = await pending;
    if (count === renderCount) page = handle ?? null;
  } catch (error) {
    if (count === renderCount) showError(error, { context: "This page could not load" });
  }
}

/** What a page gets when nobody is signed in: an unsigned client for public routes. */
function signedOutShell(params) {
  return { signIn, notify, navigate, params, signedOut: true, client: new NodeClient({ baseURL: location.origin }) };
}

/** Called by the sign-in page with an imported identity (lib/keys.js). */
async function signIn(identity) {
  const anonymous = new NodeClient({ baseURL: location.origin });
  const status = await anonymous.status();
  // The serving node's genesis is the trust anchor: report versions and the keys sealed to
  // are checked against blocks its validators certified (lib/proofs.js).
  const genesis = await anonymous.genesis().catch(() => null);
  const client = new NodeClient({ baseURL: location.origin, identity, chainId: status.chainId, genesis });
  let record;
  try {
    record = await client.identityRecord(identity.id);
  } catch (error) {
    if (error.status === 404 || error.status === 403 || error.codeName === "unknown-identity") {
      throw new Error(
        "This key is not registered on this ledger. Ask your hospital or clinic to register you, or check that you opened the right key file.",
      );
    }
    throw error;
  }
  if (record.signingKey && identity.signingPublic && record.signingKey !== hex(identity.signingPublic)) {
    throw new Error("This key file is out of date: the account's keys were changed since. Open your newest key file.");
  }
  session = {
    identity,
    client,
    record,
    genesis,
    status,
    notify,
    navigate,
    people: new Map(),
    organizationNames: await organizationNames(genesis),
  };
  if (record.status === "suspended") {
    notify("Your account is suspended: you can look, but the ledger will refuse your actions. Contact your administrator.", {
      kind: "error",
    });
  }
  if (record.organization) learnPeople(session, [record.organization]).catch(() => {});
  lastActivity = Date.now();
  showWhoAmI();
  startLiveEvents();
  const target = wantedPath && visible(wantedPath.split("?")[0]) ? wantedPath : defaultPath();
  wantedPath = null;
  notify(`Signed in as ${identity.label || shortId(identity.id)}.`, { kind: "success" });
  navigate(target);
}

/** Founding organizations' names, by id (the SHA-256 of their signing key). */
async function organizationNames(genesis) {
  const names = new Map();
  for (const org of genesis?.organizations ?? []) {
    try {
      const id = org.id ?? hex(await sha256(fromHex(org.signingKey)));
      if (org.name) names.set(id, org.name);
    } catch {
      // A genesis entry we cannot read only costs a name.
    }
  }
  return names;
}

const kindWords = { patient: "patient", practitioner: "practitioner", organization: "organization", node: "node" };

function showWhoAmI() {
  const who = document.getElementById("whoami");
  const button = document.getElementById("signout-button");
  if (!session) {
    who.replaceChildren();
    button.hidden = true;
    return;
  }
  const { identity, record } = session;
  const roles = (record.roles ?? []).join(", ");
  const copy = h(
    "button",
    {
      type: "button",
      class: "button-secondary button-small",
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(identity.id);
          notify("Your full id was copied. Paste it where someone asks for your MedLedger id.", { kind: "success" });
        } catch {
          notify("Copying is not allowed here; select the id and copy it by hand.");
        }
      },
    },
    "Copy my id",
  );
  replace(
    who,
    h("span", { class: "who-label" }, identity.label || "Signed in"),
    roleText(identity.label, kindWords[record.kind] ?? record.kind, roles),
    h("br"),
    h("span", { class: "who-id" }, "My id: ", h("span", { class: "id full-id", id: "whoami-id" }, identity.id)),
    " ",
    copy,
  );
  button.hidden = false;
}

/** " (practitioner: author, approver)"; the kind is left out when the label already says it. */
function roleText(label, kind, roles) {
  const parts = [(label ?? "").toLowerCase().includes(kind) ? "" : kind, roles].filter(Boolean);
  if (parts.length === 2) return ` (${parts[0]}: ${parts[1]})`;
  return parts.length ? ` (${parts[0]})` : "";
}

function signOut(reason = "You are signed out. Your key is no longer loaded in this page.") {
  if (!session) return;
  liveStream?.abort();
  liveStream = null;
  session = null; // the identity (and its private key) goes with it
  page = null;
  showWhoAmI();
  updateNav(null);
  notify(reason, { kind: "success" });
  navigate("signin");
}

function startLiveEvents() {
  const controller = new AbortController();
  liveStream = controller;
  let warned = false;
  const stream = session.client.events({
    signal: controller.signal,
    onEvent: (evt) => {
      warned = false;
      handleEvent(evt).catch((error) => console.error(error));
    },
    onError: (error) => {
      if (controller.signal.aborted || warned) return;
      warned = true;
      console.warn("live events:", error);
      notify("Live updates are interrupted; reconnecting. Reload the page if this stays.");
    },
  });
  Promise.resolve(stream).catch((error) => {
    if (!controller.signal.aborted) console.warn("live events ended:", error);
  });
}

async function handleEvent(evt) {
  if (!session) return;
  const current = session;
  const e = evt?.data?.event ?? {};
  const ids = [e.reader, e.grantee, e.patient].filter((id) => id && id !== current.identity.id);
  await Promise.race([learnPeople(current, ids), new Promise((resolve) => setTimeout(resolve, 1500))]);
  if (session !== current) return;
  const text = describeEvent(evt, current);
  if (text) notify(text);
  try {
    await page?.onEvent?.(evt);
  } catch (error) {
    console.error(error);
  }
}

function start() {
  document.getElementById("signout-button").addEventListener("click", () => signOut());
  for (const type of ["pointerdown", "keydown", "wheel", "touchstart"]) {
    document.addEventListener(type, () => (lastActivity = Date.now()), { passive: true, capture: true });
  }
  setInterval(() => {
    if (session && Date.now() - lastActivity > idleSignOutMs) {
      signOut("You were signed out after 15 minutes without activity, so that nobody else can use your key here.");
    }
  }, 30000);
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    focus(main.querySelector("h1") ?? main);
  });
  window.addEventListener("hashchange", render);
  if (!location.hash.startsWith("#/")) history.replaceState(null, "", "#/signin");
  render();
}

start();
