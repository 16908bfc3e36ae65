// Encryption public keys (docs/spec/transactions.md `enckey`, Core/PublicEncryptionKey.swift):
// X25519 keys are 32 bytes, X-Wing keys 1,216; the suite follows from the length in JSON.
// Canonical form: an X25519 key is its 32 bytes; an X-Wing key is 32 zero bytes, the suite
// tag 02, then its 1,216 bytes. Keys are checked as the Swift decoder checks them.

import { concat, equalBytes, fromHex } from "./bytes.js";

export const SUITE_TAGS = { x25519: 1, xwing: 2 };
const PUBLIC_BYTES = { x25519: 32, xwing: 1216 };

// Every encoding of a small-order X25519 point with bit 255 cleared (libsodium's list).
const SMALL_ORDER = [
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0100000000000000000000000000000000000000000000000000000000000000",
  "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
].map((h) => fromHex(h));

/** Whether a 32-byte X25519 public key is one of the small-order points. */
export function isSmallOrder(raw) {
  const masked = raw.slice();
  masked[31] &= 0x7f;
  return SMALL_ORDER.some((point) => equalBytes(point, masked));
}

/** FIPS 203 §7.2: every 12-bit coefficient of the ML-KEM-768 key's first 1,152 bytes is below 3329. */
function mlkemCoefficientsReduced(raw) {
  for (let i = 0; i < 1152; i += 3) {
    const low = raw[i] | ((raw[i + 1] & 0x0f) << 8);
    const high = (raw[i + 1] >> 4) | (raw[i + 2] << 4);
    if (low >= 3329 || high >= 3329) return false;
  }
  return true;
}

/** Why `raw` is not a usable public key of `suite`, or null. */
export function keyProblem(suite, raw) {
  const expected = PUBLIC_BYTES[suite];
  if (!expected) return `unknown encryption suite ${suite}`;
  if (raw.length !== expected) return `an ${suite} public key is ${expected} bytes, not ${raw.length}`;
  if (suite === "x25519") return isSmallOrder(raw) ? "not a usable X25519 public key (small order)" : null;
  if (!mlkemCoefficientsReduced(raw)) return "its ML-KEM-768 part fails the FIPS 203 modulus check";
  if (isSmallOrder(raw.subarray(1184))) return "its X25519 part is a small-order point";
  return null;
}

/**
 * An encryption public key from its raw bytes or their hex (as the API and genesis give it),
 * or from its canonical bytes (an Identity's `encryptionPublic`): { suite, raw, canonical }.
 * Throws naming the problem.
 */
export function encryptionKey(value, what = "encryption key") {
  if (value && value.raw instanceof Uint8Array) value = value.raw; // an encryptionKey() result
  let raw = typeof value === "string" ? fromHex(value, what) : value;
  if (!(raw instanceof Uint8Array)) throw new Error(`${what} is missing`);
  if (raw.length === 33 + PUBLIC_BYTES.xwing && raw.subarray(0, 32).every((b) => b === 0)) {
    if (raw[32] !== SUITE_TAGS.xwing) throw new Error(`${what}: unknown suite tag ${raw[32]} in the extended form`);
    raw = raw.subarray(33); // the extended form: 32 zero bytes, suite tag, key
  }
  const suite = Object.keys(PUBLIC_BYTES).find((s) => PUBLIC_BYTES[s] === raw.length);
  if (!suite) throw new Error(`${what} is ${raw.length} bytes: neither X25519 (32) nor X-Wing (1,216)`);
  const problem = keyProblem(suite, raw);
  if (problem) throw new Error(`${what}: ${problem}`);
  const canonical = suite === "x25519" ? raw : concat(new Uint8Array(32), Uint8Array.of(SUITE_TAGS[suite]), raw);
  return { suite, raw, canonical };
}
