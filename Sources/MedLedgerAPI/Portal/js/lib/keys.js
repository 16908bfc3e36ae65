// Key files (the JSON of Core/KeyFile.swift) and the signed-in identity built from one.
//
//   { "encryptionKey": 64 hex, "encryptionSuite": "x25519"|"xwing" (absent: x25519),
//     "identity": 64 hex (optional), "label": "...", "signingKey": 64 hex }
//
// signingKey is the Ed25519 seed; encryptionKey the X25519 scalar or the X-Wing seed. The
// identity id is SHA-256 of the Ed25519 public key unless the file names `identity` (keys
// rotated after registration keep the first key's id). Private keys are imported into
// non-extractable CryptoKeys and the hex is dropped; nothing here sends or logs them.

import { encryptionKey } from "./enckey.js";
import { fromHex, hex, randomBytes, sha256 } from "./bytes.js";
import { ed25519FromSeed, ed25519Sign, x25519FromScalar } from "./primitives.js";
import * as hpke from "./hpke.js";
import { expandSeed } from "./xwing.js";

const HEX64 = /^[0-9a-fA-F]{64}$/;
const SUITES = ["x25519", "xwing"];

function notKeyFile(why) {
  return new Error(`This is not a MedLedger key file: ${why}.`);
}

/**
 * The identity of a key file's JSON text. Throws an Error with a clear message for anything
 * that is not a MedLedger key file.
 */
export async function importKeyFile(jsonText) {
  let file;
  try {
    file = JSON.parse(jsonText);
  } catch {
    throw notKeyFile("it is not JSON");
  }
  if (typeof file !== "object" || file === null || Array.isArray(file)) throw notKeyFile("it is not a JSON object");
  if (typeof file.label !== "string") throw notKeyFile("it has no label");
  if (typeof file.signingKey !== "string" || !HEX64.test(file.signingKey)) throw notKeyFile("signingKey must be 64 hex characters");
  if (typeof file.encryptionKey !== "string" || !HEX64.test(file.encryptionKey)) throw notKeyFile("encryptionKey must be 64 hex characters");
  const suite = file.encryptionSuite ?? "x25519";
  if (!SUITES.includes(suite)) throw notKeyFile(`unknown encryptionSuite ${String(suite).slice(0, 40)}; use x25519 or xwing`);
  if (file.identity !== undefined && file.identity !== null && (typeof file.identity !== "string" || !HEX64.test(file.identity))) {
    throw notKeyFile("identity must be a 64-hex identity id");
  }
  const signingSeed = fromHex(file.signingKey);
  const encryptionSecret = fromHex(file.encryptionKey);
  try {
    return await identityFromSecrets({ label: file.label, signingSeed, encryptionSecret, suite, identity: file.identity });
  } finally {
    signingSeed.fill(0);
    encryptionSecret.fill(0);
  }
}

/** Builds the Identity object from raw private keys (32 bytes each). */
async function identityFromSecrets({ label, signingSeed, encryptionSecret, suite, identity }) {
  const signing = await ed25519FromSeed(signingSeed);
  let kemPrivate;
  let rawPublic;
  if (suite === "xwing") {
    kemPrivate = await expandSeed(encryptionSecret);
    rawPublic = kemPrivate.publicKey;
  } else {
    kemPrivate = await x25519FromScalar(encryptionSecret);
    rawPublic = kemPrivate.publicKey;
  }
  const encryption = encryptionKey(rawPublic, "the key file's encryption key");
  const id = identity ? identity.toLowerCase() : hex(await sha256(signing.publicKey));
  return new Identity({ id, label, suite, signing, kemPrivate, encryption });
}

/** A signed-in identity: public keys and the operations its private keys allow. */
export class Identity {
  #signing;
  #kemPrivate;
  constructor({ id, label, suite, signing, kemPrivate, encryption }) {
    this.id = id;
    this.label = label;
    this.suite = suite;
    this.signingPublic = signing.publicKey;
    /** Canonical enckey bytes (what a registration carries). */
    this.encryptionPublic = encryption.canonical;
    /** The raw public key (32 or 1,216 bytes; hex of these is what the API shows). */
    this.encryptionRaw = encryption.raw;
    this.#signing = signing.privateKey;
    this.#kemPrivate = kemPrivate;
  }
  /** Ed25519 signature (64 bytes) of `bytes`. */
  async sign(bytes) {
    return ed25519Sign(this.#signing, bytes);
  }
  /**
   * Opens an HPKE envelope sealed to this identity's key (vault.js's use): `envelope` is
   * { encapsulatedKey, wrappedKey }, `info` the HPKE info. The envelope's suite is its
   * encapsulated key's length; a mismatch is named.
   */
  async openEnvelope(envelope, info) {
    const suite = envelope.encapsulatedKey.length === 32 ? "x25519" : envelope.encapsulatedKey.length === 1120 ? "xwing" : null;
    if (!suite) throw new Error(`an envelope with a ${envelope.encapsulatedKey.length}-byte encapsulated key is no suite's`);
    if (suite !== this.suite) throw new Error(`the envelope is sealed with ${suite}, but this identity's key is ${this.suite}`);
    return hpke.open(suite, envelope.encapsulatedKey, this.#kemPrivate, info, new Uint8Array(0), envelope.wrappedKey);
  }
  toJSON() {
    return { id: this.id, label: this.label, suite: this.suite };
  }
}

/** A key file's JSON text as Swift's JSONEncoder writes it (sorted keys, pretty-printed). */
function keyFileJSON(fields) {
  const lines = Object.keys(fields)
    .sort()
    .map((key) => `  ${JSON.stringify(key)} : ${JSON.stringify(fields[key])}`);
  return `{\n${lines.join(",\n")}\n}`;
}

/**
 * Fresh random keys: { json (the key file text, format of Core/KeyFile.swift), identity }.
 * The caller offers `json` for download; it is the only copy of the private keys.
 */
export async function newKeyFile({ label, suite = "x25519" }) {
  if (typeof label !== "string" || label.length === 0) throw new Error("a key file needs a label");
  if (!SUITES.includes(suite)) throw new Error(`unknown encryption suite ${suite}; use x25519 or xwing`);
  const signingSeed = randomBytes(32);
  const encryptionSecret = randomBytes(32);
  try {
    const identity = await identityFromSecrets({ label, signingSeed, encryptionSecret, suite });
    const json = keyFileJSON({
      encryptionKey: hex(encryptionSecret),
      encryptionSuite: suite,
      identity: identity.id,
      label,
      signingKey: hex(signingSeed),
    });
    return { json, identity };
  } finally {
    signingSeed.fill(0);
    encryptionSecret.fill(0);
  }
}
