// Byte helpers shared by every portal module. All byte values are Uint8Array.

const HEX_DIGITS = "0123456789abcdef";

/** Lower-case hex of `bytes`. */
export function hex(bytes) {
  let out = "";
  for (const b of bytes) out += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15];
  return out;
}

/** Bytes of a hex string (either case, even length); throws naming `what` otherwise. */
export function fromHex(str, what = "hex value") {
  if (typeof str !== "string" || str.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(str)) {
    throw new Error(`${what} is not an even-length hex string`);
  }
  const out = new Uint8Array(str.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(str.substr(i * 2, 2), 16);
  return out;
}

/** Standard base64 with padding (RFC 4648 §4), as the API uses for byte strings. */
export function base64(bytes) {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Bytes of a standard base64 string; throws naming `what` when it is not base64. */
export function fromBase64(str, what = "base64 value") {
  let binary;
  try {
    binary = atob(str);
  } catch {
    throw new Error(`${what} is not base64`);
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8(str) {
  return encoder.encode(str);
}

/** The string of UTF-8 bytes; throws on invalid UTF-8 (the ledger refuses it too). */
export function fromUtf8(bytes) {
  return strictDecoder.decode(bytes);
}

/** One array of all the arguments' bytes, in order. */
export function concat(...arrays) {
  let length = 0;
  for (const a of arrays) length += a.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** `n` bytes from the browser's CSPRNG (getRandomValues caps one call at 65,536 bytes). */
export function randomBytes(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/** SHA-256 of `bytes` (WebCrypto). */
export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** True when both arrays hold the same bytes. Time depends only on the length. */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Lexicographic comparison of byte strings (-1, 0, 1), as the ledger sorts ids. */
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Overwrites a secret buffer with zeros once it is no longer needed. */
export function wipe(bytes) {
  if (bytes) bytes.fill(0);
}
