// HPKE base mode (RFC 9180) over WebCrypto, for the two suites MedLedger seals report keys in
// (docs/spec/vault.md "Suites") and, for the RFC's own test vectors, AES-128-GCM:
//
//   x25519: DHKEM(X25519, HKDF-SHA256) 0x0020, HKDF-SHA256 0x0001, ChaCha20-Poly1305 0x0003
//   xwing:  X-Wing 0x647a (./xwing.js),        HKDF-SHA256 0x0001, AES-256-GCM 0x0002
//
// LabeledExtract / LabeledExpand are HKDF built from HMAC-SHA256 (WebCrypto's HKDF cannot
// take the labelled inputs apart). Only what MedLedger uses is here: base mode, one-shot or
// a context with sequence numbers, no exporter interface beyond the exporter secret.

import { concat, utf8 } from "./bytes.js";
import { aesGcmOpen, aesGcmSeal, chachaOpen, chachaSeal, hmacSha256, x25519, x25519Generate } from "./primitives.js";
import * as xwing from "./xwing.js";

const AEADS = {
  1: { name: "AES-128-GCM", nk: 16, seal: aesGcmSeal, open: aesGcmOpen },
  2: { name: "AES-256-GCM", nk: 32, seal: aesGcmSeal, open: aesGcmOpen },
  3: { name: "ChaCha20-Poly1305", nk: 32, seal: chachaSeal, open: chachaOpen },
};

/** The ciphersuites by name. `x25519-aes128` exists only for RFC 9180 A.1's vectors. */
export const SUITES = {
  x25519: { kemId: 0x0020, kdfId: 0x0001, aeadId: 0x0003, encBytes: 32 },
  xwing: { kemId: 0x647a, kdfId: 0x0001, aeadId: 0x0002, encBytes: 1120 },
  "x25519-aes128": { kemId: 0x0020, kdfId: 0x0001, aeadId: 0x0001, encBytes: 32 },
};

function suiteOf(name) {
  const suite = SUITES[name];
  if (!suite) throw new Error(`unknown HPKE suite ${name}`);
  return suite;
}

const i2osp2 = (n) => Uint8Array.of(n >> 8, n & 0xff);
const HPKE_V1 = utf8("HPKE-v1");

// --- HKDF-SHA256 with RFC 9180 labels ---------------------------------------------------

async function extract(salt, ikm) {
  return hmacSha256(salt, ikm);
}

async function expand(prk, info, length) {
  const out = new Uint8Array(length);
  let block = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++) {
    block = await hmacSha256(prk, concat(block, info, Uint8Array.of(i)));
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    offset += 32;
  }
  return out;
}

export async function labeledExtract(suiteId, salt, label, ikm) {
  return extract(salt, concat(HPKE_V1, suiteId, utf8(label), ikm));
}

export async function labeledExpand(suiteId, prk, label, info, length) {
  return expand(prk, concat(i2osp2(length), HPKE_V1, suiteId, utf8(label), info), length);
}

// --- KEMs ---------------------------------------------------------------------------------

const kemSuiteId = (kemId) => concat(utf8("KEM"), i2osp2(kemId));

async function dhkemExtractAndExpand(dh, kemContext) {
  const suiteId = kemSuiteId(0x0020);
  const prk = await labeledExtract(suiteId, new Uint8Array(0), "eae_prk", dh);
  return labeledExpand(suiteId, prk, "shared_secret", kemContext, 32);
}

/**
 * Encapsulation to `recipientPublic` (raw key bytes of the suite's KEM). `ephemeral`
 * ({privateKey, publicKey} from x25519FromScalar) fixes DHKEM's ephemeral key, for test
 * vectors only; X-Wing's encapsulation is always WebCrypto's own randomness.
 */
export async function encap(suiteName, recipientPublic, ephemeral) {
  const suite = suiteOf(suiteName);
  if (suite.kemId === 0x647a) {
    const { sharedSecret, ciphertext } = await xwing.encapsulate(recipientPublic);
    return { sharedSecret, enc: ciphertext };
  }
  const eph = ephemeral ?? (await x25519Generate());
  const dh = await x25519(eph.privateKey, recipientPublic);
  const enc = eph.publicKey;
  const sharedSecret = await dhkemExtractAndExpand(dh, concat(enc, recipientPublic));
  dh.fill(0);
  return { sharedSecret, enc };
}

/**
 * Decapsulation with the recipient's private key: for x25519 suites { privateKey (CryptoKey),
 * publicKey (32 bytes) }, for xwing the keys of xwing.expandSeed.
 */
export async function decap(suiteName, enc, recipientPrivate) {
  const suite = suiteOf(suiteName);
  if (enc.length !== suite.encBytes) throw new Error(`an encapsulated key of ${suiteName} is ${suite.encBytes} bytes, not ${enc.length}`);
  if (suite.kemId === 0x647a) return xwing.decapsulate(recipientPrivate, enc);
  const dh = await x25519(recipientPrivate.privateKey, enc);
  const sharedSecret = await dhkemExtractAndExpand(dh, concat(enc, recipientPrivate.publicKey));
  dh.fill(0);
  return sharedSecret;
}

// --- Key schedule and context ---------------------------------------------------------

/** Base-mode key schedule: { key, baseNonce, exporterSecret }. */
export async function keySchedule(suiteName, sharedSecret, info) {
  const suite = suiteOf(suiteName);
  const aead = AEADS[suite.aeadId];
  const suiteId = concat(utf8("HPKE"), i2osp2(suite.kemId), i2osp2(suite.kdfId), i2osp2(suite.aeadId));
  const empty = new Uint8Array(0);
  const pskIdHash = await labeledExtract(suiteId, empty, "psk_id_hash", empty);
  const infoHash = await labeledExtract(suiteId, empty, "info_hash", info);
  const context = concat(Uint8Array.of(0), pskIdHash, infoHash);
  const secret = await labeledExtract(suiteId, sharedSecret, "secret", empty);
  const key = await labeledExpand(suiteId, secret, "key", context, aead.nk);
  const baseNonce = await labeledExpand(suiteId, secret, "base_nonce", context, 12);
  const exporterSecret = await labeledExpand(suiteId, secret, "exp", context, 32);
  secret.fill(0);
  return { key, baseNonce, exporterSecret };
}

/** An HPKE context: seal or open messages in sequence (sequence number 0 first). */
export class Context {
  constructor(suiteName, schedule) {
    this.aead = AEADS[suiteOf(suiteName).aeadId];
    this.key = schedule.key;
    this.baseNonce = schedule.baseNonce;
    this.exporterSecret = schedule.exporterSecret;
    this.seq = 0;
  }
  nonce(seq) {
    const nonce = this.baseNonce.slice();
    // seq fits in 53 bits here; XOR it into the nonce's last bytes, big-endian.
    let value = BigInt(seq);
    for (let i = nonce.length - 1; value > 0n; i--, value >>= 8n) nonce[i] ^= Number(value & 0xffn);
    return nonce;
  }
  async seal(aad, plaintext) {
    const sealed = await this.aead.seal(this.key, this.nonce(this.seq), plaintext, aad);
    this.seq++;
    return sealed;
  }
  async open(aad, ciphertext) {
    const opened = await this.aead.open(this.key, this.nonce(this.seq), ciphertext, aad);
    this.seq++;
    return opened;
  }
}

/** Sender setup: { enc, context }. */
export async function setupBaseS(suiteName, recipientPublic, info, ephemeral) {
  const { sharedSecret, enc } = await encap(suiteName, recipientPublic, ephemeral);
  const schedule = await keySchedule(suiteName, sharedSecret, info);
  sharedSecret.fill(0);
  return { enc, context: new Context(suiteName, schedule) };
}

/** Recipient setup: the context. */
export async function setupBaseR(suiteName, enc, recipientPrivate, info) {
  const sharedSecret = await decap(suiteName, enc, recipientPrivate);
  const schedule = await keySchedule(suiteName, sharedSecret, info);
  sharedSecret.fill(0);
  return new Context(suiteName, schedule);
}

/** One-shot seal (sequence number 0): { enc, ciphertext }. */
export async function seal(suiteName, recipientPublic, info, aad, plaintext) {
  const { enc, context } = await setupBaseS(suiteName, recipientPublic, info);
  return { enc, ciphertext: await context.seal(aad, plaintext) };
}

/** One-shot open (sequence number 0); throws when it does not authenticate. */
export async function open(suiteName, enc, recipientPrivate, info, aad, ciphertext) {
  const context = await setupBaseR(suiteName, enc, recipientPrivate, info);
  return context.open(aad, ciphertext);
}
