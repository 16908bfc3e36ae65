// Transaction payloads and signing, byte for byte as docs/spec/transactions.md and
// Sources/MedLedgerCore (TransactionPayload.swift, Payloads+*.swift, DomainValues.swift).
// Each builder returns { tag, body } with the body's canonical bytes. Ids are given as hex
// strings (or Uint8Array), times as milliseconds (Number or BigInt), enums by name.
//
//   signingBytes = string("medledger/tx/v1") ‖ string(chainID) ‖ signer id32 ‖ signerKey 32
//                  ‖ nonce u64 ‖ tag u8 ‖ body
//   encoded      = signingBytes ‖ Ed25519 signature (64)      id = SHA-256(encoded)

import { Writer, encode } from "./canonical.js";
import { concat, fromHex, hex, randomBytes, sha256 } from "./bytes.js";
import { encryptionKey } from "./enckey.js";

// --- Enums (never renumbered) ---------------------------------------------------------------

export const ROLES = { author: 1, approver: 2, reader: 3, emergency: 4, admin: 5, "privacy-officer": 6 };
export const IDENTITY_STATUS = { active: 1, suspended: 2 };
export const PURPOSES = { treatment: 1, research: 2, emergency: 3, payment: 4, legal: 5 };
export const REVISION_KINDS = { amend: 1, correct: 2 };
export const CHANGE_REASONS = { "clerical-error": 1, "additional-information": 2, "revised-interpretation": 3, "wrong-patient": 4, duplicate: 5, other: 6 };
export const CASE_CONCERNS = { "not-involved-in-care": 1, "wrong-purpose": 2, "unexpected-organization": 3, other: 4 };
export const CASE_RESOLUTIONS = { appropriate: 1, inappropriate: 2, referred: 3 };

export const TAGS = {
  registerPractitioner: 1, registerPatient: 2, setIdentityStatus: 4, setGuardian: 5,
  submitReport: 10, approveReport: 11, reviseReport: 12, markEnteredInError: 13,
  grantAccess: 20, revokeGrant: 21, accessReport: 30, openCase: 50, resolveCase: 51,
};

const TX_DOMAIN = "medledger/tx/v1";
const KEY_PROOF_DOMAIN = "medledger/key-proof/v1";

// --- Field helpers: each checks its value and names the field ------------------------------

function enumTag(table, value, field) {
  if (typeof value === "number" && Object.values(table).includes(value)) return value;
  const tag = table[value];
  if (tag === undefined) throw new Error(`${field}: unknown value ${String(value).slice(0, 40)}; one of ${Object.keys(table).join(", ")}`);
  return tag;
}

/** Fixed-size id bytes from hex or bytes. */
export function idBytes(value, size, field) {
  const bytes = typeof value === "string" ? fromHex(value, field) : value;
  if (!(bytes instanceof Uint8Array) || bytes.length !== size) throw new Error(`${field} must be ${size} bytes (${size * 2} hex characters)`);
  return bytes;
}
const id32 = (value, field) => idBytes(value, 32, field);
const id16 = (value, field) => idBytes(value, 16, field);

function code(value, field) {
  if (typeof value !== "string" || !/^[\x21-\x7e]{1,64}$/.test(value)) {
    throw new Error(`${field} must be 1-64 printable ASCII characters without spaces`);
  }
  return value;
}

function time(value, field) {
  const big = typeof value === "bigint" ? value : Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  if (big === null || big < 0n) throw new Error(`${field} must be milliseconds since 1970 (a non-negative integer)`);
  return big;
}

function u32(value, field) {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`${field} must be an integer 0-4294967295`);
  return value;
}

function consentGrantId(value, field) {
  const bytes = id16(value, field);
  if (bytes[0] & 0x80) throw new Error(`${field}: a consent grant id must have its first bit clear`);
  return bytes;
}

const payload = (tag, build) => ({ tag, body: encode(build) });

// --- Report content -----------------------------------------------------------------------

/** Writes ReportContent (contentAddress, sizeBytes, commitment, encryptedMetadata,
 * envelopes, shareCommitments), the shape vault.sealReport returns. */
export function writeContent(w, content) {
  w.fixed(id32(content.address, "content.address"));
  w.u64(time(content.size, "content.size"));
  w.fixed(id32(content.commitment, "content.commitment"));
  if (content.encryptedMetadata.length > 4096) throw new Error("content.encryptedMetadata is over 4 KiB");
  w.bytes(content.encryptedMetadata);
  if (content.envelopes.length > 102) throw new Error("content.envelopes: at most 102");
  w.array(content.envelopes, (w, e) => writeEnvelope(w, e));
  w.array(content.shareCommitments, (w, c) => w.fixed(id32(c, "content.shareCommitments")));
}

/** Writes a KeyEnvelope: recipient id32, u32-prefixed encapsulated key, u32-prefixed wrapped key. */
export function writeEnvelope(w, envelope) {
  w.fixed(id32(envelope.recipient, "envelope.recipient"));
  if (envelope.encapsulatedKey.length > 1200 || envelope.wrappedKey.length > 1200) throw new Error("envelope parts are at most 1,200 bytes");
  w.bytes(envelope.encapsulatedKey);
  w.bytes(envelope.wrappedKey);
}

// --- Payload builders ---------------------------------------------------------------------

/** Tag 1: an organization admin registers a practitioner. `encryptionKey` is hex or raw bytes
 * of the public key (its length names the suite). Roles are written sorted by tag. */
export function registerPractitioner({ organization, signingKey, encryptionKey: encKey, roles }) {
  const tags = [...new Set(roles.map((r) => enumTag(ROLES, r, "roles")))].sort((a, b) => a - b);
  if (tags.length === 0 || tags.length > 8) throw new Error("roles: 1-8 roles");
  const key = encryptionKey(encKey, "encryptionKey");
  return payload(TAGS.registerPractitioner, (w) => {
    w.fixed(id32(organization, "organization"));
    w.fixed(id32(signingKey, "signingKey"));
    w.fixed(key.canonical);
    w.array(tags, (w, t) => w.u8(t));
  });
}

/** The bytes a key proof signs: string("medledger/key-proof/v1") ‖ signingKey ‖ enckey. */
export function keyProofMessage({ signingKey, encryptionKey: encKey }) {
  return encode((w) => w.string(KEY_PROOF_DOMAIN).fixed(id32(signingKey, "signingKey")).fixed(encryptionKey(encKey).canonical));
}

/** Tag 2: a patient registers (self-registration may omit the key proof). */
export function registerPatient({ signingKey, encryptionKey: encKey, keyProof }) {
  return payload(TAGS.registerPatient, (w) => {
    w.fixed(id32(signingKey, "signingKey"));
    w.fixed(encryptionKey(encKey, "encryptionKey").canonical);
    w.optional(keyProof, (w, p) => w.fixed(idBytes(p, 64, "keyProof")));
  });
}

/** Tag 4: suspend or reinstate a practitioner. */
export function setIdentityStatus({ target, status }) {
  return payload(TAGS.setIdentityStatus, (w) => w.fixed(id32(target, "target")).u8(enumTag(IDENTITY_STATUS, status, "status")));
}

/** Tag 5: name (or remove) a guardian. */
export function setGuardian({ guardian, isGuardian }) {
  if (typeof isGuardian !== "boolean") throw new Error("isGuardian must be true or false");
  return payload(TAGS.setGuardian, (w) => w.fixed(id32(guardian, "guardian")).bool(isGuardian));
}

/** Tag 10: version 1 of a report. `content` is vault.sealReport's. */
export function submitReport({ report, patient, category, content, recipients = [] }) {
  if (recipients.length > 32) throw new Error("recipients: at most 32");
  return payload(TAGS.submitReport, (w) => {
    w.fixed(id16(report, "report"));
    w.fixed(id32(patient, "patient"));
    w.string(code(category, "category"));
    writeContent(w, content);
    w.array(recipients, (w, r) => w.fixed(id32(r, "recipients")));
  });
}

/** Tag 11: approve the latest, preliminary version. */
export function approveReport({ report, version }) {
  return payload(TAGS.approveReport, (w) => w.fixed(id16(report, "report")).u32(u32(version, "version")));
}

/** Tag 12: a new version (amend or correct) with a reason code. */
export function reviseReport({ report, previousVersion, kind, reason, content }) {
  return payload(TAGS.reviseReport, (w) => {
    w.fixed(id16(report, "report"));
    w.u32(u32(previousVersion, "previousVersion"));
    w.u8(enumTag(REVISION_KINDS, kind, "kind"));
    w.u8(enumTag(CHANGE_REASONS, reason, "reason"));
    writeContent(w, content);
  });
}

/** Tag 13: withdraw a report as entered in error. */
export function markEnteredInError({ report, reason }) {
  return payload(TAGS.markEnteredInError, (w) => w.fixed(id16(report, "report")).u8(enumTag(CHANGE_REASONS, reason, "reason")));
}

/** Tag 20: a consent grant. scope: {all: true} | {reports: [hex]} | {categories: [code]}. */
export function grantAccess({ grant, patient, grantee, scope, purpose, validFrom, validUntil }) {
  return payload(TAGS.grantAccess, (w) => {
    w.fixed(consentGrantId(grant, "grant"));
    w.fixed(id32(patient, "patient"));
    w.fixed(id32(grantee, "grantee"));
    writeScope(w, scope);
    w.u8(enumTag(PURPOSES, purpose, "purpose"));
    w.optional(validFrom, (w, t) => w.u64(time(t, "validFrom")));
    w.optional(validUntil, (w, t) => w.u64(time(t, "validUntil")));
  });
}

function writeScope(w, scope) {
  if (scope?.all === true) return w.u8(1);
  if (Array.isArray(scope?.reports)) {
    if (scope.reports.length < 1 || scope.reports.length > 64) throw new Error("scope.reports: 1-64 report ids");
    return w.u8(2).array(scope.reports, (w, r) => w.fixed(id16(r, "scope.reports")));
  }
  if (Array.isArray(scope?.categories)) {
    if (scope.categories.length < 1 || scope.categories.length > 64) throw new Error("scope.categories: 1-64 codes");
    return w.u8(3).array(scope.categories, (w, c) => w.string(code(c, "scope.categories")));
  }
  throw new Error("scope must be {all: true}, {reports: [...]} or {categories: [...]}");
}

/** Tag 21: revoke a grant. */
export function revokeGrant({ grant }) {
  return payload(TAGS.revokeGrant, (w) => w.fixed(id16(grant, "grant")));
}

/** Tag 30: a read of one version for a purpose (recorded allowed or denied). */
export function accessReport({ report, version, purpose }) {
  return payload(TAGS.accessReport, (w) => w.fixed(id16(report, "report")).u32(u32(version, "version")).u8(enumTag(PURPOSES, purpose, "purpose")));
}

/** Tag 50: the patient (or a guardian) reports an access: case id16 (first bit clear), the
 * access transaction's hash, report id16, reader id32, concern. */
export function openCase({ caseId, accessTransaction, report, reader, concern }) {
  return payload(TAGS.openCase, (w) => {
    w.fixed(consentGrantId(caseId, "caseId"));
    w.fixed(id32(accessTransaction, "accessTransaction"));
    w.fixed(id16(report, "report"));
    w.fixed(id32(reader, "reader"));
    w.u8(enumTag(CASE_CONCERNS, concern, "concern"));
  });
}

/** Tag 51: a privacy officer resolves an open case. */
export function resolveCase({ caseId, resolution }) {
  return payload(TAGS.resolveCase, (w) => w.fixed(id16(caseId, "caseId")).u8(enumTag(CASE_RESOLUTIONS, resolution, "resolution")));
}

// --- Ids ------------------------------------------------------------------------------------

/** A fresh random report id (hex). */
export const newReportId = () => hex(randomBytes(16));

function firstBitClear() {
  const id = randomBytes(16);
  id[0] &= 0x7f;
  return hex(id);
}
/** A fresh consent grant id (hex, first bit clear: the other half is for distribution grants). */
export const newGrantId = firstBitClear;
/** A fresh case id (hex, first bit clear). */
export const newCaseId = firstBitClear;

// --- Signing --------------------------------------------------------------------------------

/** The bytes an identity signs for `payload` with `nonce` (BigInt or Number) on `chainId`. */
export function signingBytes({ chainId, signer, signerKey, nonce, payload }) {
  if (typeof chainId !== "string" || !/^[\x21-\x7e]{1,64}$/.test(chainId)) throw new Error("chainId must be 1-64 printable ASCII characters");
  const w = new Writer();
  w.string(TX_DOMAIN).string(chainId);
  w.fixed(id32(signer, "signer")).fixed(id32(signerKey, "signerKey"));
  w.u64(typeof nonce === "bigint" ? nonce : BigInt(nonce));
  w.u8(payload.tag).fixed(payload.body);
  return w.finish();
}

/** Signs `payload` as `identity`: { bytes (the encoded transaction), id (hex SHA-256 of it),
 * signingBytes }. Keep the id: signing again may give another valid transaction. */
export async function signTransaction({ chainId, identity, nonce, payload }) {
  const message = signingBytes({ chainId, signer: identity.id, signerKey: identity.signingPublic, nonce, payload });
  const signature = await identity.sign(message);
  const bytes = concat(message, signature);
  if (bytes.length > 65536) throw new Error(`the transaction is ${bytes.length} bytes, limit 65,536`);
  return { bytes, id: hex(await sha256(bytes)), signingBytes: message };
}
