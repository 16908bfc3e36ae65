// Report encryption and reading, as docs/spec/vault.md and docs/spec/custody.md and
// Sources/MedLedgerVault (ReportCrypto*.swift):
//
//   blob        = AES-256-GCM(data key, random nonce, plaintext, AAD = content AAD) as nonce ‖ ct ‖ tag
//   metadata    = canonical(title, effectiveDate?, note?, salt 32) sealed the same way (metadata AAD)
//   commitment  = SHA-256("medledger/commitment/v1" ‖ salt ‖ plaintext)
//   envelopes   = the data key whole (HPKE, key-wrap info) to the patient and the author, and
//                 one Shamir share (HPKE, key-share info) to every custodian; sorted by recipient
//   shareCommitments[x-1] = SHA-256(canonical("medledger/key-share-commitment/v1", report, version, x, share))
//
// readReport commits an access-report transaction, fetches the version's content, unwraps
// its own envelope or collects k custodian shares (each checked against its commitment),
// decrypts, and checks the content address and the commitment.

import { Reader, encode } from "./canonical.js";
import { compareBytes, concat, fromBase64, fromHex, hex, randomBytes, sha256, utf8 } from "./bytes.js";
import { encryptionKey } from "./enckey.js";
import { aesGcmOpen, aesGcmSeal } from "./primitives.js";
import * as hpke from "./hpke.js";
import * as shamir from "./shamir.js";
import { APIError } from "./api.js";
import { accessReport, idBytes } from "./transactions.js";
import { provenRecord, stateKey } from "./proofs.js";

const CONTENT_DOMAIN = "medledger/report-content/v1";
const METADATA_DOMAIN = "medledger/report-metadata/v1";
const KEY_WRAP_DOMAIN = "medledger/key-wrap/v1";
const KEY_SHARE_DOMAIN = "medledger/key-share/v1";
const SHARE_COMMITMENT_DOMAIN = "medledger/key-share-commitment/v1";
const COMMITMENT_DOMAIN = "medledger/commitment/v1";

const BLOB_MAX_BYTES = 32 * 1024 * 1024;
export const PLAINTEXT_MAX_BYTES = BLOB_MAX_BYTES - 28;
const ENVELOPES_MAX = 102;
const STRAGGLER_MS = 2000;

/** A read or seal that failed, with what failed; `code`/`codeName`/`receipt` when the
 * ledger denied the read. */
export class VaultError extends Error {
  constructor(message, extra = {}) {
    super(message);
    this.name = "VaultError";
    Object.assign(this, extra);
  }
}

// --- Bound contexts -----------------------------------------------------------------------

const reportBytes = (reportId) => idBytes(reportId, 16, "reportId");
const context = (domain, reportId, version) => (w) => w.string(domain).fixed(reportBytes(reportId)).u32(version);

export const contentAAD = (reportId, version) => encode(context(CONTENT_DOMAIN, reportId, version));
export const metadataAAD = (reportId, version) => encode(context(METADATA_DOMAIN, reportId, version));
export const keyWrapInfo = (reportId, version, recipient) =>
  encode((w) => { context(KEY_WRAP_DOMAIN, reportId, version)(w); w.fixed(idBytes(recipient, 32, "recipient")); });
export const keyShareInfo = (reportId, version, recipient, x, threshold) =>
  encode((w) => { context(KEY_SHARE_DOMAIN, reportId, version)(w); w.fixed(idBytes(recipient, 32, "recipient")).u8(x).u8(threshold); });

export async function shareCommitment(reportId, version, share) {
  return sha256(encode((w) => { context(SHARE_COMMITMENT_DOMAIN, reportId, version)(w); w.u8(share.x).bytes(share.y); }));
}

export async function commitment(salt, plaintext) {
  return sha256(concat(utf8(COMMITMENT_DOMAIN), salt, plaintext));
}

// --- Metadata -----------------------------------------------------------------------------
// The ledger's metadata has title, effective date and note. The portal keeps a file's name
// and media type in the note's first lines ("file-name: …", "media-type: …", then a blank
// line and any note), so a Swift reader still opens the report and shows them as the note.

const LIMITS = { title: 512, effectiveDate: 64, note: 2048 };

export function encodeMetadata({ title, effectiveDate = null, note = null, salt }) {
  for (const [field, value] of Object.entries({ title, effectiveDate, note })) {
    if (value !== null && value !== undefined && utf8(value).length > LIMITS[field]) throw new VaultError(`metadata ${field} is over ${LIMITS[field]} bytes`);
  }
  if (salt.length !== 32) throw new VaultError("metadata salt must be 32 bytes");
  return encode((w) => {
    w.string(title);
    w.optional(effectiveDate, (w, v) => w.string(v));
    w.optional(note, (w, v) => w.string(v));
    w.fixed(salt);
  });
}

export function decodeMetadata(bytes) {
  const r = new Reader(bytes);
  const title = r.string("metadata.title", LIMITS.title);
  const effectiveDate = r.optional("metadata.effectiveDate", (r) => r.string("metadata.effectiveDate", LIMITS.effectiveDate));
  const note = r.optional("metadata.note", (r) => r.string("metadata.note", LIMITS.note));
  const salt = r.fixed("metadata.salt", 32);
  r.end("metadata");
  return { title, effectiveDate, note, salt, ...fileFieldsOf(note) };
}

function noteWithFileFields({ note, fileName, mediaType }) {
  const lines = [];
  if (fileName) lines.push(`file-name: ${fileName.replace(/[\r\n]/g, " ")}`);
  if (mediaType) lines.push(`media-type: ${mediaType.replace(/[\r\n]/g, " ")}`);
  if (lines.length === 0) return note ?? null;
  return note ? `${lines.join("\n")}\n\n${note}` : lines.join("\n");
}

function fileFieldsOf(note) {
  const out = { fileName: null, mediaType: null };
  if (!note) return out;
  for (const line of note.split("\n")) {
    if (line === "") break;
    const match = /^(file-name|media-type): (.*)$/.exec(line);
    if (!match) break;
    if (match[1] === "file-name") out.fileName = match[2];
    else out.mediaType = match[2];
  }
  return out;
}

// --- Canonical records from the API ---------------------------------------------------------

export function readEnvelope(r) {
  return {
    recipient: hex(r.fixed("envelope.recipient", 32)),
    encapsulatedKey: r.bytes("envelope.encapsulatedKey", 1200),
    wrappedKey: r.bytes("envelope.wrappedKey", 1200),
  };
}

export function decodeEnvelope(bytes) {
  const r = new Reader(bytes);
  const envelope = readEnvelope(r);
  r.end("envelope");
  return envelope;
}

export function readContent(r) {
  return {
    address: hex(r.fixed("content.contentAddress", 32)),
    size: r.u64("content.sizeBytes"),
    commitment: hex(r.fixed("content.commitment", 32)),
    encryptedMetadata: r.bytes("content.encryptedMetadata", 4096),
    envelopes: r.array("content.envelopes", ENVELOPES_MAX, readEnvelope),
    shareCommitments: r.array("content.shareCommitments", 100, (r) => hex(r.fixed("content.shareCommitments", 32))),
  };
}

/** A ReportVersionRecord (Contracts/ReportRecord.swift) from its canonical bytes. */
export function decodeVersionRecord(bytes) {
  const r = new Reader(bytes);
  const record = {
    version: r.u32("version"),
    status: r.u8("status"),
    author: hex(r.fixed("author", 32)),
    submittedAt: r.u64("submittedAt"),
    content: readContent(r),
    revision: r.optional("revision", (r) => ({ kind: r.u8("revision.kind"), reason: r.u8("revision.reason") })),
    approvals: r.array("approvals", 16, (r) => ({ approver: hex(r.fixed("approvals.approver", 32)), time: r.u64("approvals.time") })),
    withdrawal: r.optional("withdrawal", (r) => r.u8("withdrawal")),
  };
  r.end("version record");
  return record;
}

// --- Custody ----------------------------------------------------------------------------------

/**
 * The custody of a genesis (GET /v1/genesis): { custodians (its validators), custodyThreshold
 * (default n − ⌊(n − 1)/3⌋) }, ready to spread into sealReport's arguments. sealReport sorts
 * the custodians by id (validator-set order: custodian i holds x = i + 1).
 */
export function custodyFromGenesis(genesis) {
  const custodians = genesis.validators.map((v) => ({ id: v.id, signingKey: v.signingKey, encryptionKey: v.encryptionKey }));
  const n = custodians.length;
  const custodyThreshold = genesis.custodyThreshold ?? n - Math.floor((Math.max(n, 1) - 1) / 3);
  return { custodians, custodyThreshold };
}

async function normalizeCustodians(list) {
  const out = [];
  for (const c of list) {
    const id = c.id ?? hex(await sha256(fromHex(c.signingKey, "custodian signingKey")));
    out.push({ id, key: encryptionKey(c.encryptionKey, `custodian ${id} encryption key`) });
  }
  return out.sort((a, b) => compareBytes(fromHex(a.id), fromHex(b.id)));
}

async function sealTo(recipientKey, info, secret) {
  const { enc, ciphertext } = await hpke.seal(recipientKey.suite, recipientKey.raw, info, new Uint8Array(0), secret);
  return { encapsulatedKey: enc, wrappedKey: ciphertext };
}

// --- Sealing ------------------------------------------------------------------------------

/**
 * Encrypts one report version. `metadata` = { title, effectiveDate?, note?, mediaType?,
 * fileName? }; `patient` = { id, encryptionKey (hex or raw bytes of the public key) };
 * `author` = the signed-in Identity; `custodians` = genesis validators (any order; sorted
 * here by id) with `custodyThreshold`. Returns { blob, content } where `content` is what
 * transactions.submitReport / reviseReport take.
 */
export async function sealReport({ reportId, version, plaintext, metadata, patient, author, custodians, custodyThreshold }) {
  if (!(plaintext instanceof Uint8Array)) throw new VaultError("the report text must be bytes (Uint8Array)");
  if (plaintext.length > PLAINTEXT_MAX_BYTES) throw new VaultError(`the report is ${plaintext.length} bytes, limit ${PLAINTEXT_MAX_BYTES}`);
  if (!Number.isInteger(version) || version < 1) throw new VaultError("version must be a positive integer");
  const custody = await normalizeCustodians(custodians);
  const k = custodyThreshold;
  if (!(Number.isInteger(k) && k >= 1 && k <= custody.length)) throw new VaultError(`custody threshold ${k} is not within 1-${custody.length}`);
  const whole = [
    { id: patient.id.toLowerCase(), key: encryptionKey(patient.encryptionKey, "the patient's encryption key") },
    { id: author.id, key: encryptionKey(author.encryptionRaw, "the author's encryption key") },
  ];
  if (whole[0].id === whole[1].id) whole.pop(); // a patient writing her own note: one envelope
  const everyone = [...whole.map((r) => r.id), ...custody.map((c) => c.id)];
  if (new Set(everyone).size !== everyone.length) throw new VaultError("a recipient is listed twice (the patient or the author is also a custodian)");
  if (everyone.length > ENVELOPES_MAX) throw new VaultError(`${everyone.length} envelopes, limit ${ENVELOPES_MAX}`);

  const dataKey = randomBytes(32);
  const salt = randomBytes(32);
  try {
    const note = noteWithFileFields(metadata);
    const metadataBytes = encodeMetadata({ title: metadata.title ?? "", effectiveDate: metadata.effectiveDate ?? null, note, salt });
    const blob = await aesSealCombined(dataKey, plaintext, contentAAD(reportId, version));
    const encryptedMetadata = await aesSealCombined(dataKey, metadataBytes, metadataAAD(reportId, version));

    const envelopes = [];
    for (const r of whole) {
      envelopes.push({ recipient: r.id, ...(await sealTo(r.key, keyWrapInfo(reportId, version, r.id), dataKey)) });
    }
    const shares = shamir.split(dataKey, k, custody.length);
    const shareCommitments = [];
    for (let i = 0; i < custody.length; i++) {
      const share = shares[i];
      envelopes.push({ recipient: custody[i].id, ...(await sealTo(custody[i].key, keyShareInfo(reportId, version, custody[i].id, share.x, k), share.y)) });
      shareCommitments.push(hex(await shareCommitment(reportId, version, share)));
      share.y.fill(0);
    }
    envelopes.sort((a, b) => compareBytes(fromHex(a.recipient), fromHex(b.recipient)));
    const content = {
      address: hex(await sha256(blob)),
      size: blob.length,
      commitment: hex(await commitment(salt, plaintext)),
      encryptedMetadata,
      envelopes,
      shareCommitments,
    };
    return { blob, content };
  } finally {
    dataKey.fill(0);
  }
}

async function aesSealCombined(key, plaintext, aad) {
  const nonce = randomBytes(12);
  return concat(nonce, await aesGcmSeal(key, nonce, plaintext, aad));
}

async function aesOpenCombined(key, combined, aad, what) {
  try {
    if (combined.length < 28) throw new Error("short");
    return await aesGcmOpen(key, combined.subarray(0, 12), combined.subarray(12), aad);
  } catch {
    throw new VaultError(`${what} did not decrypt: wrong data key, wrong report id or version, or altered ciphertext`);
  }
}

// --- Opening ------------------------------------------------------------------------------

/**
 * Checks and decrypts a version's blob with its data key, as ReportCrypto.open: the content
 * address and size first (a node that served other bytes is named as such), then AES-GCM of
 * blob and metadata, then the commitment. Returns { plaintext, metadata }.
 */
export async function openVersion({ blob, content, dataKey, reportId, version }) {
  const address = hex(await sha256(blob));
  if (address !== content.address) throw new VaultError(`the blob hashes to ${address}, but the ledger's content address is ${content.address}`);
  if (BigInt(blob.length) !== BigInt(content.size)) throw new VaultError(`the blob is ${blob.length} bytes, the ledger says ${content.size}`);
  if (dataKey.length !== 32) throw new VaultError("the data key is not 256 bits");
  const plaintext = await aesOpenCombined(dataKey, blob, contentAAD(reportId, version), `report ${reportId} version ${version} content`);
  const metadataBytes = await aesOpenCombined(dataKey, content.encryptedMetadata, metadataAAD(reportId, version), `report ${reportId} version ${version} metadata`);
  let metadata;
  try {
    metadata = decodeMetadata(metadataBytes);
  } catch (error) {
    throw new VaultError(`the metadata of report ${reportId} version ${version} does not decode: ${error.message}`);
  }
  const expected = hex(await commitment(metadata.salt, plaintext));
  if (expected !== content.commitment) throw new VaultError(`report ${reportId} version ${version} does not match its commitment ${content.commitment}`);
  return { plaintext, metadata };
}

/** The data key from a whole-key envelope sealed to `identity`. */
export async function unwrapKey(identity, envelope, reportId, version) {
  let key;
  try {
    key = await identity.openEnvelope(envelope, keyWrapInfo(reportId, version, envelope.recipient));
  } catch (error) {
    throw new VaultError(`the key envelope for ${envelope.recipient} does not open with this key for report ${reportId} version ${version} (${error.message})`);
  }
  if (key.length !== 32) throw new VaultError(`the envelope holds ${key.length} bytes, not a 32-byte data key`);
  return key;
}

/** One key share { x, y } from a share envelope sealed to `identity`. */
export async function unwrapShare(identity, envelope, x, threshold, reportId, version) {
  let y;
  try {
    y = await identity.openEnvelope(envelope, keyShareInfo(reportId, version, envelope.recipient, x, threshold));
  } catch (error) {
    throw new VaultError(`key share ${x} does not open with this key for report ${reportId} version ${version} (${error.message})`);
  }
  if (y.length !== 32) throw new VaultError(`key share ${x} holds ${y.length} bytes, not 32`);
  return { x, y };
}

/** Opens a sealed version with the caller's own whole-key envelope (patient or author). */
export async function openOwnEnvelope({ identity, reportId, version, blob, content }) {
  const envelope = content.envelopes.find((e) => e.recipient === identity.id);
  if (!envelope) throw new VaultError(`version ${version} has no key envelope for ${identity.id}`);
  const dataKey = await unwrapKey(identity, envelope, reportId, version);
  try {
    return await openVersion({ blob, content, dataKey, reportId, version });
  } finally {
    dataKey.fill(0);
  }
}

// --- Reading over the API -----------------------------------------------------------------

/**
 * Reads one version: commits access-report (waiting for the commit), fetches the content,
 * gets the data key (own envelope, or k custodian shares), decrypts and checks. Returns
 * { plaintext, metadata, receipt, verified: true, proven, custody }. With a `genesis` (by
 * default the client's) the version record is checked against a certified header first
 * (`proven: true`). A denied read throws a VaultError with `denied: true`, `code`,
 * `codeName` and the `receipt`.
 */
export async function readReport({ client, reportId, version, purpose, custodianClients = [], genesis = client.trustAnchor }) {
  const identity = client.identity;
  if (!identity) throw new VaultError("reading a report needs a signed-in identity");
  const number = version ?? (await latestVisibleVersion(client, reportId));
  const receipt = await client.submit(accessReport({ report: reportId, version: number, purpose }), { wait: true });
  if (receipt.status !== "committed") throw new VaultError(`the access transaction ${receipt.id} did not commit in time`, { receipt });
  if (receipt.code !== 0) {
    throw new VaultError(`The read was denied (${receipt.codeName ?? receipt.code}): ${receipt.message ?? "no active grant allows it"}`, {
      denied: true, code: receipt.code, codeName: receipt.codeName, receipt,
    });
  }
  const answer = await client.get(`/v1/reports/${reportId}/versions/${number}/content`);
  let recordBytes = fromBase64(answer.version.record, "version.record");
  if (genesis) recordBytes = await provenRecord(answer.version, stateKey.reportVersion(reportId, number), genesis);
  const record = decodeVersionRecord(recordBytes);
  if (record.version !== number) throw new VaultError(`asked for version ${number}, the node answered version ${record.version}`);
  const envelope = decodeEnvelope(fromBase64(answer.envelope, "envelope"));
  if (envelope.recipient !== identity.id) throw new VaultError(`the node answered an envelope for ${envelope.recipient}, not for this identity`);
  const blob = fromBase64(answer.ciphertext, "ciphertext");

  let dataKey;
  let custody = null;
  if (answer.shareIndex === undefined || answer.shareIndex === null) {
    dataKey = await unwrapKey(identity, envelope, reportId, number);
  } else {
    ({ dataKey, custody } = await keyFromShares({
      identity, reportId, version: number, record, receipt, custodianClients,
      first: { node: client.baseURL, envelope, x: answer.shareIndex, threshold: answer.threshold },
    }));
  }
  try {
    const opened = await openVersion({ blob, content: record.content, dataKey, reportId, version: number });
    return { ...opened, receipt, record, verified: true, proven: Boolean(genesis), custody };
  } finally {
    dataKey.fill(0);
  }
}

async function latestVisibleVersion(client, reportId) {
  try {
    const report = await client.get(`/v1/reports/${reportId}`);
    return report.versions.length;
  } catch (error) {
    if (error instanceof APIError && error.status === 403) return 1; // not visible before the receipt
    throw error;
  }
}

/**
 * k good shares: the first from the node that served the content, the rest asked of every
 * other custodian at once; each checked against its commitment. Once k are in, the others
 * get 2 s more so the ones that refused or sent a wrong share are named.
 */
async function keyFromShares({ identity, reportId, version, record, receipt, custodianClients, first }) {
  const k = first.threshold;
  const commitments = record.content.shareCommitments;
  const good = new Map();
  const failures = [];
  const accept = async (node, share) => {
    const index = share.x - 1;
    if (index < 0 || index >= commitments.length || hex(await shareCommitment(reportId, version, share)) !== commitments[index]) {
      failures.push({ node, shareIndex: share.x, reason: "sent a key share that does not match its commitment" });
    } else if (!good.has(share.x)) {
      good.set(share.x, share);
    }
  };
  try {
    await accept(first.node, await unwrapShare(identity, first.envelope, first.x, k, reportId, version));
  } catch (error) {
    failures.push({ node: first.node, shareIndex: first.x, reason: error.message });
  }

  const others = custodianClients.filter((c) => c.baseURL !== first.node);
  const pending = new Set(others.map((c) => c.baseURL));
  let graceTimer = null;
  await new Promise((resolve) => {
    const startGrace = () => {
      if (graceTimer === null) graceTimer = setTimeout(resolve, STRAGGLER_MS);
    };
    if (others.length === 0) return resolve();
    if (good.size >= k) startGrace();
    for (const other of others) {
      shareFrom(other, identity, reportId, version, receipt)
        .then((share) => accept(other.baseURL, share))
        .catch((error) => failures.push({ node: other.baseURL, shareIndex: null, reason: error.message }))
        .finally(() => {
          pending.delete(other.baseURL);
          if (pending.size === 0) resolve();
          else if (good.size >= k) startGrace();
        });
    }
  });
  if (graceTimer !== null) clearTimeout(graceTimer);
  for (const node of pending) failures.push({ node, shareIndex: null, reason: `no answer within ${STRAGGLER_MS} ms` });

  if (good.size < k) {
    const why = custodianClients.length === 0 ? "no other custodian node to ask" : failures.map((f) => `${f.node}${f.shareIndex ? ` (share ${f.shareIndex})` : ""}: ${f.reason}`).join("; ");
    throw new VaultError(`only ${good.size} of the ${k} key shares needed: ${why}`, { failures });
  }
  const used = [...good.values()].slice(0, k);
  const dataKey = shamir.combine(used);
  for (const share of good.values()) share.y.fill(0);
  return { dataKey, custody: { threshold: k, sharesUsed: used.map((s) => s.x), goodShares: good.size, failures } };
}

/** One custodian's share, released against the committed receipt. A custodian that has not
 * committed the receipt's block yet answers 403 on `receipt`: wait for it there, ask again. */
async function shareFrom(custodian, identity, reportId, version, receipt) {
  const path = `/v1/reports/${reportId}/versions/${version}/key`;
  const ask = async () => (await custodian.request("POST", path)).json();
  let answer;
  try {
    answer = await ask();
  } catch (error) {
    if (!(error instanceof APIError && error.status === 403 && error.field === "receipt")) throw error;
    await custodian.get(`/v1/transactions/${receipt.id}?wait=commit`, { signed: false });
    answer = await ask();
  }
  if (answer.shareIndex === undefined || answer.threshold === undefined) throw new VaultError("answered with a whole key envelope instead of a key share");
  const envelope = decodeEnvelope(fromBase64(answer.canonical, "canonical"));
  if (envelope.recipient !== identity.id) throw new VaultError(`released a share for ${envelope.recipient}, not for this identity`);
  return unwrapShare(identity, envelope, answer.shareIndex, answer.threshold, reportId, version);
}
