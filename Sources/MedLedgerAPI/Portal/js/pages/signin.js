// Sign in: open a key file (optionally keeping it in this browser, encrypted under a
// passphrase), or unlock a key kept earlier. The key file is read by the browser and never
// uploaded.

import { importKeyFile } from "../lib/keys.js";
import { saveKey, listKeys, loadKey, forgetKey } from "../lib/keystore.js";
import { h } from "../ui/dom.js";
import { field, form, select } from "../ui/forms.js";
import { notify } from "../ui/messages.js";

const passphraseMinLength = 8;

export async function render(main, shell) {
  main.append(
    h("h1", {}, "Sign in"),
    h(
      "p",
      { class: "lead" },
      "Open the key file your hospital, clinic or lab gave you. It stays on this device: the portal uses it to sign what you do, and never sends it anywhere.",
    ),
  );
  const saved = safeListKeys();
  if (saved.length > 0) main.append(savedKeyCard(shell, saved));
  main.append(keyFileCard(shell, saved.length > 0));
}

function keyFileCard(shell, hasSaved) {
  const keyfile = h("input", { type: "file", accept: ".json,application/json", required: true });
  const remember = h("input", { type: "checkbox" });
  const passphrase = h("input", {
    type: "password",
    autocomplete: "new-password",
    minlength: passphraseMinLength,
  });
  remember.addEventListener("change", () => {
    passphrase.required = remember.checked;
  });


  const signinForm = form(
    {
      id: "signin-form",
      label: "Sign in with a key file",
      errorContext: "Could not sign in",
      busyText: "Signing in…",
      onSubmit: async () => {
        const file = keyfile.files?.[0];
        if (!file) throw new Error("Choose your key file first: the .json file you were given.");
        if (file.size > 64 * 1024) throw new Error("That file is too large to be a MedLedger key file. Choose the .json key file you were given.");
        const json = await file.text();
        const identity = await importKeyFile(json);
        if (remember.checked) {
          if (passphrase.value.length < passphraseMinLength) {
            passphrase.focus();
            throw new Error(`To keep your key in this browser, choose a passphrase of at least ${passphraseMinLength} characters.`);
          }
          const name = keyName(identity);
          await saveKey(name, json, passphrase.value);
          notify(`Your key is kept in this browser as "${name}", locked with your passphrase.`, { kind: "success" });
        }
        passphrase.value = "";
        await shell.signIn(identity);
      },
    },
    field(
      {
        id: "keyfile",
        label: "Your key file",
        hint: "A .json file, for example patient.json (the demo writes them to its demo-keys folder). It is read here and never uploaded.",
      },
      keyfile,
    ),
    field({ id: "remember", label: "Keep my key in this browser (locked with a passphrase)" }, remember),
    field(
      {
        id: "passphrase",
        label: "Passphrase to lock the kept key",
        hint: `At least ${passphraseMinLength} characters. Only needed if you keep your key here. Do not use this on a shared computer.`,
      },
      passphrase,
    ),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "signin-button" }, "Sign in")),
  );
  return h("section", { class: "card", "aria-labelledby": "keyfile-heading" }, h("h2", { id: "keyfile-heading" }, hasSaved ? "Or open a key file" : "Open your key file"), signinForm);
}

function savedKeyCard(shell, names) {
  const choice = select(names.map((name) => [name, name]), { required: true });
  const passphrase = h("input", { type: "password", autocomplete: "current-password", required: true });
  const forget = h(
    "button",
    {
      type: "button",
      class: "button-danger",
      id: "forget-key-button",
      onclick: () => {
        const name = choice.value;
        forgetKey(name);
        notify(`The key "${name}" was removed from this browser.`, { kind: "success" });
        shell.navigate("#/signin");
      },
    },
    "Remove this key from the browser",
  );
  const unlockForm = form(
    {
      id: "unlock-form",
      label: "Unlock a kept key",
      errorContext: "Could not unlock",
      busyText: "Unlocking…",
      onSubmit: async () => {
        let json;
        try {
          json = await loadKey(choice.value, passphrase.value);
        } catch (error) {
          passphrase.select();
          throw /passphrase/i.test(error?.message ?? "")
            ? new Error("That passphrase does not unlock this key. Check it and try again.")
            : error;
        }
        passphrase.value = "";
        await shell.signIn(await importKeyFile(json));
      },
    },
    field({ id: "saved-keys", label: "Key kept in this browser" }, choice),
    field({ id: "saved-passphrase", label: "Passphrase" }, passphrase),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "unlock-button" }, "Unlock and sign in"), forget),
  );
  return h("section", { class: "card", "aria-labelledby": "saved-heading" }, h("h2", { id: "saved-heading" }, "Use a key kept in this browser"), unlockForm);
}

/** The name a kept key is listed under: its label and short id (labels can repeat), in
 * printable ASCII without spaces (what the keystore accepts). */
function keyName(identity) {
  const label = (identity.label || "key")
    .normalize("NFKD")
    .replace(/[^\x21-\x7e ]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .slice(0, 50);
  return `${label || "key"}-${identity.id.slice(0, 8)}`;
}

function safeListKeys() {
  try {
    return listKeys();
  } catch {
    return [];
  }
}
