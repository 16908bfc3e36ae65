// Thin wrappers over WebCrypto for the primitives the portal needs: Ed25519 and X25519
// keys imported from their 32-byte private forms, X25519 agreement, HMAC-SHA256, AES-GCM
// and ChaCha20-Poly1305. Private keys become non-extractable CryptoKeys as soon as they are
// imported; the raw bytes are wiped by the callers that read them from a key file.

import { concat } from "./bytes.js";

const subtle = crypto.subtle;

// PKCS#8 wrappings of a 32-byte private key (RFC 8410): the fixed DER prefix, then the key.
const ED25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const X25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);

function checkLength(bytes, length, what) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new Error(`${what} must be ${length} bytes`);
  }
}

/** The public half (raw 32 bytes) of a PKCS#8 private key, via a throwaway extractable
 * import and its JWK export (WebCrypto has no "public key of this private key" for these). */
async function publicFromPrivate(pkcs8, algorithm) {
  const exportable = await subtle.importKey("pkcs8", pkcs8, { name: algorithm }, true, algorithm === "Ed25519" ? ["sign"] : ["deriveBits"]);
  const jwk = await subtle.exportKey("jwk", exportable);
  return base64urlDecode(jwk.x);
}

function base64urlDecode(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** An Ed25519 signing key from its 32-byte seed: { privateKey (CryptoKey), publicKey (32 bytes) }. */
export async function ed25519FromSeed(seed) {
  checkLength(seed, 32, "an Ed25519 private key");
  const pkcs8 = concat(ED25519_PKCS8_PREFIX, seed);
  try {
    const publicKey = await publicFromPrivate(pkcs8, "Ed25519");
    const privateKey = await subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
    return { privateKey, publicKey };
  } finally {
    pkcs8.fill(0);
  }
}

/** Ed25519 signature (64 bytes) of `message` (RFC 8032, deterministic in Chromium). */
export async function ed25519Sign(privateKey, message) {
  return new Uint8Array(await subtle.sign({ name: "Ed25519" }, privateKey, message));
}

/** Whether `signature` is a valid Ed25519 signature of `message` by the 32-byte `publicKey`. */
export async function ed25519Verify(publicKey, signature, message) {
  const key = await subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  return subtle.verify({ name: "Ed25519" }, key, signature, message);
}

/** An X25519 key from its 32-byte scalar: { privateKey (CryptoKey), publicKey (32 bytes) }. */
export async function x25519FromScalar(scalar) {
  checkLength(scalar, 32, "an X25519 private key");
  const pkcs8 = concat(X25519_PKCS8_PREFIX, scalar);
  try {
    const publicKey = await publicFromPrivate(pkcs8, "X25519");
    const privateKey = await subtle.importKey("pkcs8", pkcs8, { name: "X25519" }, false, ["deriveBits"]);
    return { privateKey, publicKey };
  } finally {
    pkcs8.fill(0);
  }
}

/** A fresh random X25519 key pair: { privateKey (CryptoKey), publicKey (32 bytes) }. */
export async function x25519Generate() {
  const pair = await subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]);
  const publicKey = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

/**
 * X25519(privateKey, publicKey) as 32 bytes. WebCrypto refuses (OperationError) when the
 * result is all zeros, i.e. for a small-order public key (RFC 9180 §7.1.4); that refusal is
 * turned into a clear error.
 */
export async function x25519(privateKey, publicKeyBytes) {
  checkLength(publicKeyBytes, 32, "an X25519 public key");
  const publicKey = await subtle.importKey("raw", publicKeyBytes, { name: "X25519" }, true, []);
  try {
    return new Uint8Array(await subtle.deriveBits({ name: "X25519", public: publicKey }, privateKey, 256));
  } catch (error) {
    throw new Error("X25519 agreement failed: the public key is a small-order point");
  }
}

/** HMAC-SHA256(key, data). An empty key is the same HMAC as 32 zero bytes (RFC 2104 pads
 * keys with zeros), and WebCrypto refuses empty HMAC keys, so that form is used instead. */
export async function hmacSha256(key, data) {
  const raw = key.length === 0 ? new Uint8Array(32) : key;
  const cryptoKey = await subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle.sign("HMAC", cryptoKey, data));
}

/** AES-GCM encryption (key 16 or 32 bytes, 12-byte nonce): ciphertext ‖ 16-byte tag. */
export async function aesGcmSeal(key, nonce, plaintext, aad) {
  const cryptoKey = await subtle.importKey("raw", key, { name: "AES-GCM" }, false, ["encrypt"]);
  return new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 }, cryptoKey, plaintext));
}

/** AES-GCM decryption of ciphertext ‖ tag; throws when authentication fails. */
export async function aesGcmOpen(key, nonce, sealed, aad) {
  const cryptoKey = await subtle.importKey("raw", key, { name: "AES-GCM" }, false, ["decrypt"]);
  return new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: aad, tagLength: 128 }, cryptoKey, sealed));
}

/** ChaCha20-Poly1305 (RFC 8439) encryption: ciphertext ‖ 16-byte tag. Chromium 156 has it
 * in WebCrypto (key format "raw-secret"). */
export async function chachaSeal(key, nonce, plaintext, aad) {
  const cryptoKey = await subtle.importKey("raw-secret", key, { name: "ChaCha20-Poly1305" }, false, ["encrypt"]);
  return new Uint8Array(await subtle.encrypt({ name: "ChaCha20-Poly1305", iv: nonce, additionalData: aad }, cryptoKey, plaintext));
}

/** ChaCha20-Poly1305 decryption; throws when authentication fails. */
export async function chachaOpen(key, nonce, sealed, aad) {
  const cryptoKey = await subtle.importKey("raw-secret", key, { name: "ChaCha20-Poly1305" }, false, ["decrypt"]);
  return new Uint8Array(await subtle.decrypt({ name: "ChaCha20-Poly1305", iv: nonce, additionalData: aad }, cryptoKey, sealed));
}
