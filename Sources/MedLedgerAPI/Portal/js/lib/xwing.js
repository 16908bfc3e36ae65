// X-Wing (draft-connolly-cfrg-xwing-kem-06): ML-KEM-768 + X25519, combined with SHA3-256.
// What swift-crypto (BoringSSL) implements and the Swift side uses as HPKE KEM 0x647a.
//
//   expand(seed):  e = SHAKE256(seed, 96); ML-KEM-768 key from the 64-byte seed e[0..64]
//                  (d ‖ z, WebCrypto format "raw-seed"); X25519 scalar e[64..96]
//   public key:    pk_M (1,184) ‖ pk_X (32)                                        1,216 bytes
//   ciphertext:    ct_M (1,088) ‖ ct_X (32)                                        1,120 bytes
//   shared secret: SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ "\.//^\")
//
// ML-KEM itself is WebCrypto's (Chromium 156: importKey "raw-seed", encapsulateBits,
// decapsulateBits); X25519 is WebCrypto's; SHAKE256 / SHA3-256 are ./sha3.js.

import { concat } from "./bytes.js";
import { sha3_256, shake256 } from "./sha3.js";
import { x25519, x25519FromScalar, x25519Generate } from "./primitives.js";

const subtle = crypto.subtle;
const MLKEM = { name: "ML-KEM-768" };

export const PUBLIC_KEY_BYTES = 1216;
export const CIPHERTEXT_BYTES = 1120;
const MLKEM_PUBLIC_BYTES = 1184;
const MLKEM_CIPHERTEXT_BYTES = 1088;
/** The combiner's label, the six ASCII characters \.//^\ */
const LABEL = Uint8Array.from([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);

/**
 * The X-Wing private key of a 32-byte seed: { mlkemPrivate (CryptoKey), x25519Private
 * (CryptoKey), x25519Public (32 bytes), publicKey (1,216 bytes) }. The expanded seed is
 * wiped once the keys are imported.
 */
export async function expandSeed(seed) {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new Error("an X-Wing private key (seed) must be 32 bytes");
  const expanded = shake256(seed, 96);
  try {
    const mlkemPrivate = await subtle.importKey("raw-seed", expanded.subarray(0, 64), MLKEM, false, ["decapsulateBits"]);
    const mlkemPublicKey = await subtle.getPublicKey(mlkemPrivate, ["encapsulateBits"]);
    const mlkemPublic = new Uint8Array(await subtle.exportKey("raw-public", mlkemPublicKey));
    const x = await x25519FromScalar(expanded.slice(64, 96));
    return {
      mlkemPrivate,
      x25519Private: x.privateKey,
      x25519Public: x.publicKey,
      publicKey: concat(mlkemPublic, x.publicKey),
    };
  } finally {
    expanded.fill(0);
  }
}

function combine(ssM, ssX, ctX, pkX) {
  return sha3_256(concat(ssM, ssX, ctX, pkX, LABEL));
}

/** Encapsulates to a 1,216-byte X-Wing public key: { sharedSecret (32), ciphertext (1,120) }. */
export async function encapsulate(publicKey) {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new Error(`an X-Wing public key is ${PUBLIC_KEY_BYTES} bytes, not ${publicKey.length}`);
  const pkM = publicKey.subarray(0, MLKEM_PUBLIC_BYTES);
  const pkX = publicKey.slice(MLKEM_PUBLIC_BYTES);
  let mlkemKey;
  try {
    mlkemKey = await subtle.importKey("raw-public", pkM, MLKEM, true, ["encapsulateBits"]);
  } catch {
    throw new Error("the X-Wing public key's ML-KEM-768 part is not a valid encapsulation key");
  }
  const { sharedKey, ciphertext } = await subtle.encapsulateBits(MLKEM, mlkemKey);
  const ssM = new Uint8Array(sharedKey);
  const ephemeral = await x25519Generate();
  const ssX = await x25519(ephemeral.privateKey, pkX);
  const ctX = ephemeral.publicKey;
  const sharedSecret = combine(ssM, ssX, ctX, pkX);
  ssM.fill(0);
  ssX.fill(0);
  return { sharedSecret, ciphertext: concat(new Uint8Array(ciphertext), ctX) };
}

/** Decapsulates a 1,120-byte ciphertext with keys from `expandSeed`: the 32-byte shared secret.
 * (ML-KEM rejects implicitly: a forged ciphertext gives an unrelated secret, which the AEAD
 * then refuses.) */
export async function decapsulate(keys, ciphertext) {
  if (ciphertext.length !== CIPHERTEXT_BYTES) throw new Error(`an X-Wing ciphertext is ${CIPHERTEXT_BYTES} bytes, not ${ciphertext.length}`);
  const ctM = ciphertext.subarray(0, MLKEM_CIPHERTEXT_BYTES);
  const ctX = ciphertext.slice(MLKEM_CIPHERTEXT_BYTES);
  const ssM = new Uint8Array(await subtle.decapsulateBits(MLKEM, keys.mlkemPrivate, ctM));
  const ssX = await x25519(keys.x25519Private, ctX);
  const sharedSecret = combine(ssM, ssX, ctX, keys.x25519Public);
  ssM.fill(0);
  ssX.fill(0);
  return sharedSecret;
}
