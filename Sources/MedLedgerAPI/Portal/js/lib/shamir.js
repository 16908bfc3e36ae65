// Shamir secret sharing over GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1
// (0x11B), byte by byte, exactly as Sources/MedLedgerVault/Shamir.swift and
// docs/spec/custody.md: byte i of the secret is the constant term of its own polynomial of
// degree k − 1; share x holds every polynomial's value at x. Multiplication is shift-and-add
// with masks, no table lookups and no branches on secret bytes.

import { randomBytes } from "./bytes.js";

/** a · b in GF(2^8) mod 0x11B. */
export function multiply(a, b) {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    product ^= a & -(b & 1);
    const carry = -(a >> 7) & 0x1b;
    a = ((a << 1) & 0xff) ^ carry;
    b >>= 1;
  }
  return product & 0xff;
}

/** a^254 = a^-1 for a ≠ 0; 0 for 0. */
export function inverse(a) {
  let result = 1;
  let base = a;
  for (let exponent = 254; exponent > 0; exponent >>= 1) {
    if (exponent & 1) result = multiply(result, base);
    base = multiply(base, base);
  }
  return result;
}

/** Horner's rule, coefficients lowest degree first. */
function evaluate(polynomial, x) {
  let result = 0;
  for (let i = polynomial.length - 1; i >= 0; i--) result = multiply(result, x) ^ polynomial[i];
  return result;
}

/**
 * `count` shares { x, y } at x = 1…count of `secret`, any `threshold` of which rebuild it.
 * `coefficients(byteIndex)` gives that byte's k − 1 higher coefficients (highest degree last);
 * by default fresh CSPRNG bytes, fixed only for test vectors.
 */
export function split(secret, threshold, count, coefficients = () => randomBytes(threshold - 1)) {
  if (!(count >= 1 && count <= 255 && threshold >= 1 && threshold <= count)) {
    throw new Error(`need 1 <= threshold (${threshold}) <= count (${count}) <= 255`);
  }
  if (secret.length === 0) throw new Error("the secret is empty");
  const shares = Array.from({ length: count }, (_, i) => ({ x: i + 1, y: new Uint8Array(secret.length) }));
  const polynomial = new Uint8Array(threshold);
  for (let index = 0; index < secret.length; index++) {
    const higher = coefficients(index);
    if (higher.length !== threshold - 1) throw new Error(`byte ${index}: ${higher.length} coefficients, need ${threshold - 1}`);
    polynomial[0] = secret[index];
    polynomial.set(higher, 1);
    for (const share of shares) share.y[index] = evaluate(polynomial, share.x);
  }
  polynomial.fill(0);
  return shares;
}

/**
 * The secret from shares { x, y } (exactly the ones given are used). Throws for no shares,
 * unequal lengths, x = 0 or a repeated x. With fewer than k shares the result is a wrong
 * secret, not an error: callers check shares against their commitments first.
 */
export function combine(shares) {
  if (shares.length === 0 || shares[0].y.length === 0) throw new Error("no shares");
  const length = shares[0].y.length;
  if (!shares.every((s) => s.y.length === length)) throw new Error("shares differ in length");
  if (!shares.every((s) => s.x >= 1 && s.x <= 255)) throw new Error("a share has x outside 1-255");
  if (new Set(shares.map((s) => s.x)).size !== shares.length) throw new Error("two shares have the same x");
  const secret = new Uint8Array(length);
  shares.forEach((share, j) => {
    let numerator = 1;
    let denominator = 1;
    shares.forEach((other, m) => {
      if (m === j) return;
      numerator = multiply(numerator, other.x);
      denominator = multiply(denominator, other.x ^ share.x);
    });
    const basis = multiply(numerator, inverse(denominator));
    for (let i = 0; i < length; i++) secret[i] ^= multiply(share.y[i], basis);
  });
  return secret;
}
