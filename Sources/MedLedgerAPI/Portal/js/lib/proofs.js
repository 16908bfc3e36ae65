// Checking what a node says against the consortium's genesis, as the Swift client does
// (MedLedgerClient/HTTPGateway+Proofs.swift, docs/spec/api.md "Proven identities"):
//
//   1. the block header is for the genesis chain and validator set;
//   2. its commit certificate carries valid precommit signatures of more than two thirds of
//      the genesis voting power, sorted by validator id, each validator once;
//   3. the header is at most 10 minutes old;
//   4. the record hashes into the header's state root through the state proof: its leaf
//      SHA-256(0x00 ‖ SHA-256(key) ‖ SHA-256(value)) joined with each sibling,
//      SHA-256(0x01 ‖ left ‖ right), on the side the bit of SHA-256(key) at that depth says,
//      up to the root of the sparse Merkle tree (Core/SparseMerkle.swift).
//
// A portal that checks these never seals a report key to a key a lying node made up, and
// never opens a version record the validators did not agree on.

import { Reader, encode } from "./canonical.js";
import { compareBytes, concat, equalBytes, fromBase64, fromHex, hex, sha256 } from "./bytes.js";
import { encryptionKey } from "./enckey.js";
import { ed25519Verify } from "./primitives.js";
import { idBytes } from "./transactions.js";

export const PROOF_MAX_AGE_MS = 10 * 60 * 1000;
/** The deepest a state leaf can sit: the 256 bits of a SHA-256 path. */
const STATE_PATH_BITS = 256;

/** An integrity failure: the node's answer is not what the validators agreed on. */
export class ProofError extends Error {
  constructor(message) {
    super(message);
    this.name = "ProofError";
  }
}

// --- Decoding ----------------------------------------------------------------------------

export function decodeHeader(bytes) {
  const r = new Reader(bytes);
  if (r.string("domainTag", 32) !== "medledger/block/v1") throw new ProofError("header: not a medledger/block/v1 header");
  const header = {
    chainId: r.string("chainID", 64),
    height: r.u64("height"),
    time: r.u64("time"),
    previousBlockHash: r.fixed("previousBlockHash", 32),
    lastCommitHash: r.fixed("lastCommitHash", 32),
    transactionsRoot: r.fixed("transactionsRoot", 32),
    resultsRoot: r.fixed("resultsRoot", 32),
    stateRoot: r.fixed("stateRoot", 32),
    validatorsHash: r.fixed("validatorsHash", 32),
    proposer: r.fixed("proposer", 32),
  };
  r.end("header");
  return header;
}

export function decodeCertificate(bytes) {
  const r = new Reader(bytes);
  const certificate = {
    height: r.u64("height"),
    round: r.u32("round"),
    blockHash: r.fixed("blockHash", 32),
    signatures: r.array("signatures", 100, (r) => ({ validator: r.fixed("validator", 32), time: r.u64("time"), signature: r.fixed("signature", 64) })),
  };
  r.end("certificate");
  return certificate;
}

/** A StateProof (Core/StateProof.swift): the siblings from the leaf up to the root. */
export function decodeStateProof(bytes) {
  const r = new Reader(bytes);
  const proof = { siblings: r.array("siblings", STATE_PATH_BITS, (r) => r.fixed("sibling", 32)) };
  r.end("proof");
  return proof;
}

/** An IdentityRecord (Contracts/IdentityRecord.swift) from its canonical bytes. It holds no
 * guardians: its proof is public, and they live in their own entry (decodeGuardiansRecord). */
export function decodeIdentityRecord(bytes) {
  const r = new Reader(bytes);
  const id = hex(r.fixed("id", 32));
  const kind = r.u8("kind");
  const signingKey = hex(r.fixed("signingKey", 32));
  let raw = r.fixed("encryptionKey", 32);
  if (raw.every((b) => b === 0)) {
    const suite = r.u8("encryptionKey.suite");
    if (suite !== 2) throw new ProofError(`encryptionKey: unknown extended suite ${suite}`);
    raw = r.fixed("encryptionKey", 1216);
  }
  const record = {
    id, kind, signingKey,
    encryptionKey: encryptionKey(raw, "the record's encryption key"),
    organization: r.optional("organization", (r) => hex(r.fixed("organization", 32))),
    roles: r.array("roles", 8, (r) => r.u8("role")),
    status: r.u8("status"),
    lastNonce: r.u64("lastNonce"),
    registeredAt: r.u64("registeredAt"),
  };
  r.end("identity record");
  return record;
}

/** A GuardiansRecord (Contracts/GuardiansRecord.swift): the patient's guardian ids, sorted. */
export function decodeGuardiansRecord(bytes) {
  const r = new Reader(bytes);
  const guardians = r.array("guardians", 8, (r) => hex(r.fixed("guardian", 32)));
  r.end("guardians record");
  return guardians;
}

// --- The state tree (Core/SparseMerkle.swift, docs/spec/contracts.md) ------------------------

const leafHash = (keyHash, valueHash) => sha256(concat(Uint8Array.of(0), keyHash, valueHash));
const branchHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));
/** Bit `depth` of a SHA-256 path, most significant bit of the first byte first. */
const pathBit = (path, depth) => (path[depth >> 3] >> (7 - (depth & 7))) & 1;

/** Whether `key` → `value` is in the state whose root is `stateRoot`. */
export async function stateProofVerifies(proof, key, value, stateRoot) {
  const count = proof.siblings.length;
  if (count > STATE_PATH_BITS) return false;
  const path = await sha256(key);
  let node = await leafHash(path, await sha256(value));
  for (let index = 0; index < count; index++) {
    const sibling = proof.siblings[index];
    node = pathBit(path, count - 1 - index) ? await branchHash(sibling, node) : await branchHash(node, sibling);
  }
  return equalBytes(node, stateRoot);
}

/** State keys: a table tag, then the entity id (Contracts/StateKey.swift). */
export const stateKey = {
  identity: (id) => concat(Uint8Array.of(1), idBytes(id, 32, "identity id")),
  guardians: (patient) => concat(Uint8Array.of(7), idBytes(patient, 32, "patient id")),
  reportVersion: (report, version) => encode((w) => w.u8(4).fixed(idBytes(report, 16, "report id")).u32(version)),
};

// --- The genesis and certified headers -----------------------------------------------------

/** The genesis validators sorted by id, with their ids, and the validator-set hash. */
export async function validatorSet(genesis) {
  const validators = [];
  for (const v of genesis.validators) {
    const signingKey = fromHex(v.signingKey, "validator signingKey");
    validators.push({ ...v, idBytes: await sha256(signingKey), signingKeyBytes: signingKey, power: BigInt(v.power) });
  }
  validators.sort((a, b) => compareBytes(a.idBytes, b.idBytes));
  const bytes = encode((w) =>
    w.array(validators, (w, v) => w.string(v.name).fixed(v.signingKeyBytes).fixed(encryptionKey(v.encryptionKey, `validator ${v.name}'s key`).canonical).u64(v.power)),
  );
  return { validators, hash: await sha256(bytes), totalPower: validators.reduce((sum, v) => sum + v.power, 0n) };
}

function precommitBytes(chainId, certificate, time) {
  return encode((w) =>
    w.string("medledger/vote/v1").u8(2).string(chainId).u64(certificate.height).u32(certificate.round).optional(certificate.blockHash, (w, h) => w.fixed(h)).u64(time),
  );
}

/** The header of `headerBytes` once its certificate verifies with the genesis validators
 * and it is recent; throws ProofError saying what failed. */
export async function certifiedHeader(headerBytes, certificateBytes, genesis, now = Date.now()) {
  const header = decodeHeader(headerBytes);
  const certificate = decodeCertificate(certificateBytes);
  const set = await validatorSet(genesis);
  if (header.chainId !== genesis.chainId || !equalBytes(header.validatorsHash, set.hash)) {
    throw new ProofError("the node's header is for another chain or validator set");
  }
  if (certificate.height !== header.height) throw new ProofError(`certificate height ${certificate.height} is not block height ${header.height}`);
  if (!equalBytes(certificate.blockHash, await sha256(headerBytes))) throw new ProofError("the certificate names another block");
  let previous = null;
  let power = 0n;
  for (const entry of certificate.signatures) {
    if (previous && compareBytes(previous, entry.validator) >= 0) throw new ProofError("certificate signatures are not sorted by validator id, each once");
    previous = entry.validator;
    const validator = set.validators.find((v) => equalBytes(v.idBytes, entry.validator));
    if (!validator) throw new ProofError(`signer ${hex(entry.validator)} is not a validator`);
    if (!(await ed25519Verify(validator.signingKeyBytes, entry.signature, precommitBytes(genesis.chainId, certificate, entry.time)))) {
      throw new ProofError(`bad precommit signature from validator ${hex(entry.validator)}`);
    }
    power += validator.power;
  }
  if (power * 3n <= set.totalPower * 2n) throw new ProofError(`signed power ${power} of ${set.totalPower} is not more than two thirds`);
  if (Number(header.time) + PROOF_MAX_AGE_MS < now) throw new ProofError(`the node's latest certified block ${header.height} is more than 10 minutes old`);
  return header;
}

/**
 * Checks a proven entry of the API ({header, certificate, record, proof}, base64) for the
 * state key `key`; `header` may be given when already certified. Returns the record bytes.
 */
export async function provenRecord(entry, key, genesis, header = null) {
  const certified = header ?? (await certifiedHeader(fromBase64(entry.header, "header"), fromBase64(entry.certificate, "certificate"), genesis));
  const record = fromBase64(entry.record, "record");
  const proof = decodeStateProof(fromBase64(entry.proof, "proof"));
  if (!(await stateProofVerifies(proof, key, record, certified.stateRoot))) {
    throw new ProofError(`the record is not proven by block ${certified.height}'s state root`);
  }
  return record;
}

/** An identity's record from GET /v1/identities/{id}/proof, checked against `genesis`. */
export async function provenIdentity(client, id, genesis) {
  const answer = await client.get(`/v1/identities/${id}/proof`, { signed: false });
  const record = decodeIdentityRecord(await provenRecord(answer, stateKey.identity(id), genesis));
  if (record.id !== id.toLowerCase()) throw new ProofError(`the node proved identity ${record.id}, not ${id}`);
  return record;
}

/**
 * The patient's guardians from GET /v1/patients/{id}/guardians (signed: the patient or a
 * guardian). When the node sends the guardians entry's proof, the list is the proven record's
 * (checked against `genesis`, and it must match the list the node wrote beside it); with no
 * proof the node says there are none, or the entry is not in a certified block yet.
 * Returns { guardians, proven }.
 */
export async function provenGuardians(client, patient, genesis) {
  const answer = await client.get(`/v1/patients/${patient}/guardians`);
  const listed = Array.isArray(answer.guardians) ? answer.guardians.map((id) => String(id).toLowerCase()) : null;
  if (!listed) throw new ProofError("the node's answer has no guardians list");
  if (!answer.proven) return { guardians: listed, proven: false };
  const guardians = decodeGuardiansRecord(await provenRecord(answer.proven, stateKey.guardians(patient), genesis));
  if (guardians.length !== listed.length || guardians.some((id, i) => id !== listed[i])) {
    throw new ProofError("the node's guardians list is not the one it proved");
  }
  return { guardians, proven: true };
}
