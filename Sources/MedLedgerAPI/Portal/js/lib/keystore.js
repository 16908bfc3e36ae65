// Key files kept in the browser, encrypted under a passphrase (localStorage, one entry per
// name under `medledger.keys.<name>`):
//
//   key    = PBKDF2-HMAC-SHA256(passphrase, 16-byte random salt, 600,000 iterations) → AES-256
//   entry  = { v: 1, kdf: "PBKDF2-SHA256", iterations, salt, nonce, ciphertext }  (base64)
//   ciphertext = AES-256-GCM(key, 12-byte random nonce, key file JSON,
//                            AAD = "medledger/keystore/v1" ‖ 0x00 ‖ name)
//
// The AAD binds the entry to its name, so entries cannot be swapped between names. The
// iteration count is stored, so it can be raised later without breaking older entries; a
// stored count below the minimum is refused.

import { base64, concat, fromBase64, fromUtf8, randomBytes, utf8 } from "./bytes.js";

const PREFIX = "medledger.keys.";
export const PBKDF2_ITERATIONS = 600_000;
const NAME_PATTERN = /^[\x21-\x7e]{1,64}$/;

function checkName(name) {
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    throw new Error("a saved key's name is 1-64 printable characters without spaces");
  }
}

async function deriveKey(passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey("raw", utf8(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

const aad = (name) => concat(utf8("medledger/keystore/v1"), Uint8Array.of(0), utf8(name));

/** Encrypts `keyFileJSON` under `passphrase` and stores it as `name` (replacing any). */
export async function saveKey(name, keyFileJSON, passphrase) {
  checkName(name);
  if (typeof passphrase !== "string" || passphrase.length < 8) throw new Error("the passphrase must be at least 8 characters");
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = await deriveKey(passphrase, salt, PBKDF2_ITERATIONS);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad(name) }, key, utf8(keyFileJSON)),
  );
  const entry = { v: 1, kdf: "PBKDF2-SHA256", iterations: PBKDF2_ITERATIONS, salt: base64(salt), nonce: base64(nonce), ciphertext: base64(ciphertext) };
  localStorage.setItem(PREFIX + name, JSON.stringify(entry));
}

/** Names of the saved keys, sorted. */
export function listKeys() {
  const names = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key && key.startsWith(PREFIX)) names.push(key.slice(PREFIX.length));
  }
  return names.sort();
}

/** The key file JSON saved as `name`; throws "wrong passphrase" when it does not decrypt. */
export async function loadKey(name, passphrase) {
  checkName(name);
  const text = localStorage.getItem(PREFIX + name);
  if (text === null) throw new Error(`no saved key named ${name}`);
  let entry;
  try {
    entry = JSON.parse(text);
  } catch {
    throw new Error(`the saved key ${name} is damaged`);
  }
  if (entry.v !== 1 || entry.kdf !== "PBKDF2-SHA256" || !Number.isInteger(entry.iterations)) {
    throw new Error(`the saved key ${name} has an unknown format`);
  }
  if (entry.iterations < PBKDF2_ITERATIONS || entry.iterations > 10_000_000) {
    throw new Error(`the saved key ${name} uses ${entry.iterations} PBKDF2 iterations, outside ${PBKDF2_ITERATIONS}-10,000,000`);
  }
  const key = await deriveKey(passphrase, fromBase64(entry.salt), entry.iterations);
  let plain;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(entry.nonce), additionalData: aad(name) },
      key,
      fromBase64(entry.ciphertext),
    );
  } catch {
    throw new Error("wrong passphrase");
  }
  return fromUtf8(new Uint8Array(plain));
}

/** Removes the saved key `name`. */
export function forgetKey(name) {
  checkName(name);
  localStorage.removeItem(PREFIX + name);
}
