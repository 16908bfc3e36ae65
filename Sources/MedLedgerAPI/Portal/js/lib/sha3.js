// SHA3-256 and SHAKE256 (FIPS 202) in plain JavaScript: WebCrypto has neither, and X-Wing
// needs both (SHAKE256 expands a private seed, SHA3-256 combines the shared secrets).
// Keccak-f[1600] on 25 64-bit lanes held as (low, high) 32-bit halves. Inputs here are
// public values or 32-byte seeds; the permutation has no secret-dependent branches or
// table lookups.

// Round constants, as (low, high) pairs.
const RC = new Uint32Array([
  0x00000001, 0x00000000, 0x00008082, 0x00000000, 0x0000808a, 0x80000000, 0x80008000, 0x80000000,
  0x0000808b, 0x00000000, 0x80000001, 0x00000000, 0x80008081, 0x80000000, 0x00008009, 0x80000000,
  0x0000008a, 0x00000000, 0x00000088, 0x00000000, 0x80008009, 0x00000000, 0x8000000a, 0x00000000,
  0x8000808b, 0x00000000, 0x0000008b, 0x80000000, 0x00008089, 0x80000000, 0x00008003, 0x80000000,
  0x00008002, 0x80000000, 0x00000080, 0x80000000, 0x0000800a, 0x00000000, 0x8000000a, 0x80000000,
  0x80008081, 0x80000000, 0x00008080, 0x80000000, 0x80000001, 0x00000000, 0x80008008, 0x80000000,
]);

// Rotation offsets and the pi permutation, for lane index x + 5y.
const ROTATIONS = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
const PI = new Array(25);
for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) PI[x + 5 * y] = y + 5 * ((2 * x + 3 * y) % 5);

/** Keccak-f[1600] in place on 50 words (lane i = words 2i low, 2i+1 high). */
function keccakF(s) {
  const c = new Uint32Array(10);
  const b = new Uint32Array(50);
  for (let round = 0; round < 24; round++) {
    // θ
    for (let x = 0; x < 5; x++) {
      c[2 * x] = s[2 * x] ^ s[2 * x + 10] ^ s[2 * x + 20] ^ s[2 * x + 30] ^ s[2 * x + 40];
      c[2 * x + 1] = s[2 * x + 1] ^ s[2 * x + 11] ^ s[2 * x + 21] ^ s[2 * x + 31] ^ s[2 * x + 41];
    }
    for (let x = 0; x < 5; x++) {
      const l1 = c[2 * ((x + 1) % 5)], h1 = c[2 * ((x + 1) % 5) + 1];
      const dl = c[2 * ((x + 4) % 5)] ^ ((l1 << 1) | (h1 >>> 31));
      const dh = c[2 * ((x + 4) % 5) + 1] ^ ((h1 << 1) | (l1 >>> 31));
      for (let y = 0; y < 25; y += 5) {
        s[2 * (x + y)] ^= dl;
        s[2 * (x + y) + 1] ^= dh;
      }
    }
    // ρ and π
    for (let i = 0; i < 25; i++) {
      const lo = s[2 * i], hi = s[2 * i + 1];
      let r = ROTATIONS[i];
      let rl, rh;
      if (r === 0) {
        rl = lo;
        rh = hi;
      } else if (r < 32) {
        rl = (lo << r) | (hi >>> (32 - r));
        rh = (hi << r) | (lo >>> (32 - r));
      } else if (r === 32) {
        rl = hi;
        rh = lo;
      } else {
        r -= 32;
        rl = (hi << r) | (lo >>> (32 - r));
        rh = (lo << r) | (hi >>> (32 - r));
      }
      b[2 * PI[i]] = rl;
      b[2 * PI[i] + 1] = rh;
    }
    // χ
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const i = x + y, i1 = ((x + 1) % 5) + y, i2 = ((x + 2) % 5) + y;
        s[2 * i] = b[2 * i] ^ (~b[2 * i1] & b[2 * i2]);
        s[2 * i + 1] = b[2 * i + 1] ^ (~b[2 * i1 + 1] & b[2 * i2 + 1]);
      }
    }
    // ι
    s[0] ^= RC[2 * round];
    s[1] ^= RC[2 * round + 1];
  }
}

/** The sponge: absorb `input` at `rate` bytes with domain byte `suffix`, squeeze `outLength`. */
function sponge(input, rate, suffix, outLength) {
  const state = new Uint32Array(50);
  const bytes = new Uint8Array(state.buffer); // little-endian lanes (every browser is LE)
  const padded = new Uint8Array(Math.floor(input.length / rate) * rate + rate);
  padded.set(input);
  padded[input.length] ^= suffix;
  padded[padded.length - 1] ^= 0x80;
  for (let offset = 0; offset < padded.length; offset += rate) {
    for (let i = 0; i < rate; i++) bytes[i] ^= padded[offset + i];
    keccakF(state);
  }
  const out = new Uint8Array(outLength);
  for (let offset = 0; ; ) {
    const take = Math.min(rate, outLength - offset);
    out.set(bytes.subarray(0, take), offset);
    offset += take;
    if (offset >= outLength) break;
    keccakF(state);
  }
  padded.fill(0);
  state.fill(0);
  return out;
}

/** SHA3-256 (FIPS 202): rate 136 bytes, domain bits 01. */
export function sha3_256(input) {
  return sponge(input, 136, 0x06, 32);
}

/** SHAKE256 (FIPS 202): rate 136 bytes, domain bits 1111, `outLength` bytes out. */
export function shake256(input, outLength) {
  return sponge(input, 136, 0x1f, outLength);
}
