// Encrypting a report version in the browser for its patient, its author and the custodians
// (the genesis validators, each getting one key share), then uploading the ciphertext.

import { sealReport } from "../lib/vault.js";
import { hex, fromHex, sha256 } from "../lib/bytes.js";
import { provenIdentity } from "../lib/proofs.js";

/** Identity kind tag of a patient in the canonical record (transactions.md, enums). */
const patientKind = 3;

const maxFileBytes = 32 * 1024 * 1024;

/** The genesis validators as custodians, in validator-set order (sorted by id). */
export async function custodiansOf(genesis) {
  if (!genesis?.validators?.length) {
    throw new Error("The node did not give its genesis (the list of custodians), so the report cannot be encrypted. Try again, or ask your administrator to update the node.");
  }
  const list = await Promise.all(
    genesis.validators.map(async (v) => ({ ...v, id: v.id ?? hex(await sha256(fromHex(v.signingKey))) })),
  );
  return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Encrypts `bytes` as version `version` of `reportId` for patient `patientId`, uploads the
 * blob and returns the `content` for submitReport / reviseReport.
 */
export async function sealAndUpload(session, { reportId, version, bytes, metadata, patientId }) {
  if (bytes.length === 0) throw new Error("The file is empty. Choose the report file.");
  if (bytes.length > maxFileBytes) throw new Error("The file is larger than 32 MB. Choose a smaller file.");
  const custodians = await custodiansOf(session.genesis);
  let patient;
  try {
    // The patient's key comes with a proof against a block the genesis validators
    // certified, so a node cannot swap in a key of its own.
    patient = await provenIdentity(session.client, patientId, session.genesis);
  } catch (error) {
    if (error.status === 404 || error.status === 403) throw new Error("No patient is registered with that id. Check the patient's id.");
    throw error;
  }
  if (patient.kind !== patientKind) throw new Error("That id belongs to a practitioner or an organization, not a patient. Check the patient's id.");
  const { blob, content } = await sealReport({
    reportId,
    version,
    plaintext: bytes,
    metadata,
    patient: { id: patient.id, encryptionKey: patient.encryptionKey.raw },
    author: session.identity,
    custodians,
    custodyThreshold: session.genesis.custodyThreshold,
  });
  await session.client.putBlob(blob);
  return content;
}

/** Title, media type and file name for a chosen file. */
export function metadataFor(file, title) {
  return {
    title: (title || file.name.replace(/\.[^.]+$/, "")).slice(0, 200),
    mediaType: file.type || (/\.(txt|text)$/i.test(file.name) ? "text/plain" : "application/octet-stream"),
    fileName: file.name.slice(0, 200),
  };
}
