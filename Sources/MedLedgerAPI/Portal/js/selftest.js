// The portal library's self-test, run in a real browser (selftest.html). Every check writes
// an <li data-status="pass|fail"> into #results; #summary gets data-failed="N" at the end.
// Vectors: FIPS 202; RFC 9180 A.1/A.2; draft-connolly-cfrg-xwing-kem-06; the worked examples
// of docs/spec (api.md, transactions.md, vault.md, custody.md); and selftest/swift-vectors.json
// written by the Swift side (Tests/MedLedgerVaultTests/PortalVectorTests.swift).

import { concat, equalBytes, fromHex, fromUtf8, hex, sha256, utf8 } from "./lib/bytes.js";
import { DecodingError, Reader, encode } from "./lib/canonical.js";
import { sha3_256, shake256 } from "./lib/sha3.js";
import * as hpke from "./lib/hpke.js";
import * as xwing from "./lib/xwing.js";
import { aesGcmSeal, ed25519Verify, x25519FromScalar } from "./lib/primitives.js";
import { encryptionKey } from "./lib/enckey.js";
import { importKeyFile, newKeyFile } from "./lib/keys.js";
import * as keystore from "./lib/keystore.js";
import * as shamir from "./lib/shamir.js";
import * as tx from "./lib/transactions.js";
import { APIError, NodeClient, readEventStream, requestSigningBytes, signatureHeaders } from "./lib/api.js";
import * as vault from "./lib/vault.js";
import { ProofError, provenIdentity } from "./lib/proofs.js";

const results = document.getElementById("results");
let failed = 0;
let passed = 0;

function report(name, ok, detail = "") {
  const li = document.createElement("li");
  li.dataset.status = ok ? "pass" : "fail";
  li.textContent = `${ok ? "PASS" : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`;
  results.append(li);
  if (ok) passed++;
  else failed++;
}

/** Runs one named check; it passes when `body` returns without throwing. */
async function check(name, body) {
  try {
    await body();
    report(name, true);
  } catch (error) {
    report(name, false, error?.message ?? String(error));
  }
}

function expectEqual(actual, expected, what) {
  const a = actual instanceof Uint8Array ? hex(actual) : String(actual);
  const e = expected instanceof Uint8Array ? hex(expected) : String(expected);
  if (a !== e) throw new Error(`${what}: got ${a.slice(0, 80)}${a.length > 80 ? "…" : ""}, expected ${e.slice(0, 80)}${e.length > 80 ? "…" : ""}`);
}

async function expectThrows(body, pattern, what) {
  try {
    await body();
  } catch (error) {
    if (pattern && !pattern.test(error.message)) throw new Error(`${what}: threw "${error.message}", expected ${pattern}`);
    return error;
  }
  throw new Error(`${what}: did not throw`);
}

async function loadJSON(name) {
  const response = await fetch(new URL(`../selftest/${name}`, import.meta.url), { cache: "no-store" });
  if (!response.ok) throw new Error(`selftest/${name}: HTTP ${response.status}`);
  return response.json();
}

const range = (from, to) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

// --- FIPS 202 -------------------------------------------------------------------------------

async function sha3Checks() {
  const a3 = new Uint8Array(200).fill(0xa3);
  await check("FIPS 202: SHA3-256 of the empty string", () =>
    expectEqual(sha3_256(new Uint8Array()), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", "digest"));
  await check("FIPS 202: SHA3-256 of \"abc\"", () =>
    expectEqual(sha3_256(utf8("abc")), "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", "digest"));
  await check("FIPS 202: SHA3-256 of 1,600 bits of a3 (NIST example)", () =>
    expectEqual(sha3_256(a3), "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787", "digest"));
  await check("FIPS 202: SHAKE256 of the empty string, 256 bits", () =>
    expectEqual(shake256(new Uint8Array(), 32), "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f", "output"));
  await check("FIPS 202: SHAKE256 of 1,600 bits of a3, 4,096 bits (NIST example, first and last 32 bytes)", () => {
    const out = shake256(a3, 512);
    expectEqual(out.subarray(0, 32), "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d", "first 32");
    expectEqual(out.subarray(480), "6a1a9d7846436e4dca5728b6f760eef0ca92bf0be5615e96959d767197a0beeb", "last 32");
  });
  // Inputs around the 136-byte rate (padding in the same or the next block); values from
  // Python's hashlib (OpenSSL).
  await check("SHA3-256 / SHAKE256 at the rate boundary (135, 136, 137 bytes; hashlib values)", () => {
    const expected = {
      135: ["7a2dee0ec28bf949ef9024fcecc0f444a38f906060941c20e89c75e199fec311", "17237a31e31054eb"],
      136: ["b36dc2167c4d9dda1a58b87046c8d76a6359afe3612c4de8a38857e09117b2db", "0e63d8417e3e1897"],
      137: ["beb945428a8cac83d5fc550ec2a772dd1ca3dc2aa18f798f62b0505aaa21e7e8", "cbed96c52201943e"],
    };
    for (const [n, [digest, shakeTail]] of Object.entries(expected)) {
      expectEqual(sha3_256(new Uint8Array(Number(n)).fill(1)), digest, `SHA3-256 of ${n} bytes`);
      expectEqual(hex(shake256(new Uint8Array(Number(n)).fill(2), 300)).slice(-16), shakeTail, `SHAKE256 of ${n} bytes`);
    }
  });
}

// --- RFC 9180 ---------------------------------------------------------------------------------

async function hpkeChecks() {
  const { vectors } = await loadJSON("rfc9180-vectors.json");
  for (const v of vectors) {
    const suite = v.aead_id === 1 ? "x25519-aes128" : "x25519";
    const label = v.aead_id === 1 ? "RFC 9180 A.1.1 (AES-128-GCM)" : "RFC 9180 A.2.1 (ChaCha20-Poly1305)";
    const info = fromHex(v.info);
    await check(`${label}: keys, encapsulation with the fixed ephemeral key, key schedule`, async () => {
      const ephemeral = await x25519FromScalar(fromHex(v.skEm));
      expectEqual(ephemeral.publicKey, v.pkEm, "pkEm");
      const recipient = await x25519FromScalar(fromHex(v.skRm));
      expectEqual(recipient.publicKey, v.pkRm, "pkRm");
      const { sharedSecret, enc } = await hpke.encap(suite, fromHex(v.pkRm), ephemeral);
      expectEqual(enc, v.enc, "enc");
      expectEqual(sharedSecret, v.shared_secret, "shared_secret");
      expectEqual(await hpke.decap(suite, fromHex(v.enc), recipient), v.shared_secret, "decapsulated shared_secret");
      const schedule = await hpke.keySchedule(suite, sharedSecret, info);
      expectEqual(schedule.key, v.key, "key");
      expectEqual(schedule.baseNonce, v.base_nonce, "base_nonce");
      expectEqual(schedule.exporterSecret, v.exporter_secret, "exporter_secret");
    });
    await check(`${label}: seal and open at sequence numbers ${v.encryptions.map((e) => e.seq).join(", ")}`, async () => {
      const ephemeral = await x25519FromScalar(fromHex(v.skEm));
      const recipient = await x25519FromScalar(fromHex(v.skRm));
      const sender = await hpke.setupBaseS(suite, fromHex(v.pkRm), info, ephemeral);
      const receiver = await hpke.setupBaseR(suite, sender.enc, recipient, info);
      for (const e of v.encryptions) {
        sender.context.seq = e.seq;
        receiver.seq = e.seq;
        expectEqual(sender.context.nonce(e.seq), e.nonce, `nonce ${e.seq}`);
        expectEqual(await sender.context.seal(fromHex(e.aad), fromHex(e.pt)), e.ct, `ciphertext ${e.seq}`);
        expectEqual(await receiver.open(fromHex(e.aad), fromHex(e.ct)), e.pt, `plaintext ${e.seq}`);
      }
      receiver.seq = 0;
      await expectThrows(() => receiver.open(fromHex(v.encryptions[1].aad), fromHex(v.encryptions[1].ct)), null, "opening at the wrong sequence number");
    });
  }
  await check("HPKE refuses a small-order X25519 recipient key (RFC 9180 §7.1.4)", async () => {
    await expectThrows(() => hpke.seal("x25519", new Uint8Array(32), new Uint8Array(), new Uint8Array(), new Uint8Array(32)), /small-order/, "sealing to the zero key");
  });
}

// --- X-Wing ---------------------------------------------------------------------------------

async function xwingChecks() {
  const { vectors } = await loadJSON("xwing-vectors.json");
  for (const [i, v] of vectors.entries()) {
    await check(`X-Wing draft-06 vector ${i + 1}: public key from the seed, decapsulation`, async () => {
      const keys = await xwing.expandSeed(fromHex(v.sk));
      expectEqual(keys.publicKey, v.pk, "public key");
      expectEqual(await xwing.decapsulate(keys, fromHex(v.ct)), v.ss, "shared secret");
    });
  }
  await check("X-Wing: encapsulate then decapsulate (WebCrypto's ML-KEM randomness)", async () => {
    const keys = await xwing.expandSeed(fromHex(vectors[0].sk));
    const { sharedSecret, ciphertext } = await xwing.encapsulate(keys.publicKey);
    expectEqual(ciphertext.length, 1120, "ciphertext length");
    expectEqual(await xwing.decapsulate(keys, ciphertext), sharedSecret, "shared secret");
  });
  await check("HPKE X-Wing / HKDF-SHA256 / AES-256-GCM: seal and open, and a tampered encapsulation fails", async () => {
    const keys = await xwing.expandSeed(fromHex(vectors[1].sk));
    const info = utf8("info");
    const { enc, ciphertext } = await hpke.seal("xwing", keys.publicKey, info, new Uint8Array(), range(0, 31));
    expectEqual(enc.length, 1120, "enc length");
    expectEqual(await hpke.open("xwing", enc, keys, info, new Uint8Array(), ciphertext), range(0, 31), "plaintext");
    const forged = enc.slice();
    forged[5] ^= 1;
    await expectThrows(() => hpke.open("xwing", forged, keys, info, new Uint8Array(), ciphertext), null, "forged ML-KEM ciphertext");
  });
}

// --- The docs/spec worked examples -----------------------------------------------------------

const PATIENT_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const ALICE_X25519 = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const PATIENT_ID = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

async function specPatient(suite = "x25519", encryptionKeyHex = ALICE_X25519) {
  return importKeyFile(JSON.stringify({ label: "spec patient", signingKey: PATIENT_SEED, encryptionKey: encryptionKeyHex, encryptionSuite: suite }));
}

async function apiExampleChecks() {
  await check("api.md worked example: signed request bytes and signature", async () => {
    const identity = await specPatient();
    expectEqual(identity.id, PATIENT_ID, "identity id");
    const pathAndQuery = `/v1/patients/${PATIENT_ID}/grants?limit=10`;
    const bytes = await requestSigningBytes({ chainId: "medledger-spec", method: "GET", pathAndQuery, timestamp: 1767225600000, body: new Uint8Array() });
    expectEqual(bytes.length, 183, "length");
    expectEqual(
      bytes,
      "000000116d65646c65646765722f687474702f76310000000e6d65646c65646765722d737065630000000347455400" +
        "00005d" + hex(utf8(pathAndQuery)) + "0000019b76daa800e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "signed bytes",
    );
    const headers = await signatureHeaders({ identity, chainId: "medledger-spec", method: "GET", pathAndQuery, body: new Uint8Array(), timestamp: 1767225600000 });
    expectEqual(headers["X-MedLedger-Identity"], PATIENT_ID, "identity header");
    expectEqual(headers["X-MedLedger-Timestamp"], "1767225600000", "timestamp header");
    expectEqual(headers["X-MedLedger-Signature"], "L++cNe/zFqTrQYFWy6a/9iG6/2RLt82UNoyGAerkqQ+hoviQFe+gD1iiDj7SS+q8bTJUVfkA+fC05gK2X6rSCg==", "signature header");
  });
  await check("event stream parser: ids, types, multi-line data, comments, CRLF", async () => {
    const text = ": keep-alive\r\nid: 5.0.0\r\nevent: access\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nevent: grant\ndata: [2]\n\n";
    const body = new Blob([text]).stream();
    const events = [];
    await readEventStream(body, null, (e) => events.push(e));
    expectEqual(JSON.stringify(events), JSON.stringify([{ id: "5.0.0", type: "access", data: { a: 1 } }, { id: "5.0.0", type: "grant", data: [2] }]), "events");
  });
}

async function transactionExampleChecks() {
  const keyProof = "7ae6ab494935357bc6acf370ac74ca7742a74e797dc62f0e9b29495e057a1e056f75ea137d71f5be458dea09d995fa07728a1b93c37f1c5f1f78de710cb8c604";
  await check("transactions.md example 1: key proof and register-patient, byte for byte", async () => {
    const identity = await specPatient();
    expectEqual(identity.signingPublic, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "signing key");
    expectEqual(identity.encryptionPublic, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "encryption key");
    const message = tx.keyProofMessage({ signingKey: identity.signingPublic, encryptionKey: identity.encryptionRaw });
    expectEqual(message, "000000166d65646c65646765722f6b65792d70726f6f662f7631d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "key proof message");
    expectEqual(await identity.sign(message), keyProof, "key proof");
    const payload = tx.registerPatient({ signingKey: identity.signingPublic, encryptionKey: identity.encryptionRaw, keyProof: fromHex(keyProof) });
    const signed = await tx.signTransaction({ chainId: "medledger-spec", identity, nonce: 1n, payload });
    // The document's hex is 239 bytes (its heading says 269; the hex and the Swift test agree on 239).
    expectEqual(signed.signingBytes.length, 239, "signing bytes length");
    expectEqual(
      signed.signingBytes,
      "0000000f6d65646c65646765722f74782f76310000000e6d65646c65646765722d73706563" + PATIENT_ID +
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" + "0000000000000001" + "02" +
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a" + "01" + keyProof,
      "signing bytes",
    );
    expectEqual(signed.bytes.subarray(239), "c0015c9a145e871dc37edfd1c21d3f0acad1f8a3b86ac805126d5bbb9ea4a7d4d0becdf2b84b1ea0366641fd5d95e3aae6571f3d122dae1cd7639f8b6c8cec0e", "signature");
    expectEqual(signed.id, "89e35dd66dc65693d745302eb3979792170b6e75bf351be8b7a79abc42d6eb64", "transaction id");
  });
  await check("transactions.md example 2: grant-access, byte for byte", async () => {
    const identity = await specPatient();
    const payload = tx.grantAccess({
      grant: "000102030405060708090a0b0c0d0e0f", patient: PATIENT_ID, grantee: "39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f",
      scope: { categories: ["LAB"] }, purpose: "treatment", validUntil: 1769904000000,
    });
    const signed = await tx.signTransaction({ chainId: "medledger-spec", identity, nonce: 2n, payload });
    expectEqual(
      signed.signingBytes,
      "0000000f6d65646c65646765722f74782f76310000000e6d65646c65646765722d73706563" + PATIENT_ID +
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0000000000000002" + "14" + "000102030405060708090a0b0c0d0e0f" + PATIENT_ID +
        "39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f" + "0300000001000000034c4142" + "01" + "00" + "010000019c167fcc00",
      "signing bytes",
    );
    expectEqual(signed.bytes.subarray(213), "e896bf87e56cd7d88f78918b04c173c405a3474dbf8dc0bf7367c48e43324e935c205ebd41b110fb33fbacb7fd68145619f2cc41d4d1f8fa10324e14598cee0f", "signature");
    expectEqual(signed.id, "87b2fad4b4315d778bee4a266811df7003d03c6023267fea4bbc76dd3b54c90e", "transaction id");
  });
  await check("payload builders refuse bad fields, naming them", async () => {
    await expectThrows(() => tx.grantAccess({ grant: "800102030405060708090a0b0c0d0e0f", patient: PATIENT_ID, grantee: PATIENT_ID, scope: { all: true }, purpose: "treatment" }), /grant: a consent grant id/, "grant id with first bit set");
    await expectThrows(() => tx.accessReport({ report: "00", version: 1, purpose: "treatment" }), /report must be 16 bytes/, "short report id");
    await expectThrows(() => tx.accessReport({ report: "000102030405060708090a0b0c0d0e0f", version: 1, purpose: "curiosity" }), /purpose: unknown value/, "unknown purpose");
    await expectThrows(() => tx.submitReport({ report: "000102030405060708090a0b0c0d0e0f", patient: PATIENT_ID, category: "has space", content: {}, recipients: [] }), /category/, "bad category code");
  });
  await check("open-case (tag 50) and resolve-case (tag 51): the plan's field order and the Swift golden vectors", async () => {
    const open = tx.openCase({ caseId: "0f".repeat(16), accessTransaction: "aa".repeat(32), report: "10".repeat(16), reader: "bb".repeat(32), concern: "wrong-purpose" });
    expectEqual(open.tag, 50, "open tag");
    expectEqual(open.body, "0f".repeat(16) + "aa".repeat(32) + "10".repeat(16) + "bb".repeat(32) + "02", "open-case body");
    const resolve = tx.resolveCase({ caseId: "0f".repeat(16), resolution: "referred" });
    expectEqual(resolve.tag, 51, "resolve tag");
    expectEqual(resolve.body, "0f".repeat(16) + "03", "resolve-case body");
    expectEqual(fromHex(tx.newCaseId())[0] & 0x80, 0, "new case id's first bit");
    // The Swift golden vectors of H1's cases work (Tests/MedLedgerCoreTests/Vectors/open-case.json, resolve-case.json).
    const golden = tx.openCase({
      caseId: "202122232425262728292a2b2c2d2e2f", accessTransaction: "7d362e2db722de211ad3d94bace9e0da46415b6d21ffbb796b3a70fe83450673",
      report: "000102030405060708090a0b0c0d0e0f", reader: "efd62d59bea8bebb111502a6973bb8df3d9c80ade7de9426028790b5a7cc7176", concern: "wrong-purpose",
    });
    expectEqual(concat(Uint8Array.of(golden.tag), golden.body), "32202122232425262728292a2b2c2d2e2f7d362e2db722de211ad3d94bace9e0da46415b6d21ffbb796b3a70fe83450673000102030405060708090a0b0c0d0e0fefd62d59bea8bebb111502a6973bb8df3d9c80ade7de9426028790b5a7cc717602", "open-case golden vector");
    const goldenResolve = tx.resolveCase({ caseId: "202122232425262728292a2b2c2d2e2f", resolution: "inappropriate" });
    expectEqual(concat(Uint8Array.of(goldenResolve.tag), goldenResolve.body), "33202122232425262728292a2b2c2d2e2f02", "resolve-case golden vector");
    expectEqual(fromHex(tx.newGrantId())[0] & 0x80, 0, "new grant id's first bit");
  });
  await check("setIdentityStatus, setGuardian, approve, revise reasons, mark-entered-in-error, revoke: tags and bodies", async () => {
    expectEqual(hex(tx.setIdentityStatus({ target: PATIENT_ID, status: "suspended" }).body), PATIENT_ID + "02", "set-identity-status");
    expectEqual(hex(tx.setGuardian({ guardian: PATIENT_ID, isGuardian: true }).body), PATIENT_ID + "01", "set-guardian");
    expectEqual(hex(tx.approveReport({ report: "00".repeat(16), version: 3 }).body), "00".repeat(16) + "00000003", "approve-report");
    expectEqual(hex(tx.markEnteredInError({ report: "00".repeat(16), reason: "wrong-patient" }).body), "00".repeat(16) + "04", "mark-entered-in-error");
    expectEqual(hex(tx.revokeGrant({ grant: "ff".repeat(16) }).body), "ff".repeat(16), "revoke-grant (distribution grants too)");
    expectEqual(hex(tx.accessReport({ report: "00".repeat(16), version: 2, purpose: "emergency" }).body), "00".repeat(16) + "0000000203", "access-report");
  });
}

async function vaultExampleChecks() {
  const report = "000102030405060708090a0b0c0d0e0f";
  const dataKey = range(0, 31);
  await check("vault.md: blob AAD and HPKE info", () => {
    expectEqual(vault.contentAAD(report, 1), "0000001b6d65646c65646765722f7265706f72742d636f6e74656e742f7631000102030405060708090a0b0c0d0e0f00000001", "blob AAD");
    expectEqual(vault.keyWrapInfo(report, 1, "ab".repeat(32)), "000000156d65646c65646765722f6b65792d777261702f7631000102030405060708090a0b0c0d0e0f00000001" + "ab".repeat(32), "HPKE info");
  });
  await check("vault.md worked version: blob, address, metadata, encrypted metadata, commitment", async () => {
    const plaintext = utf8("Hemoglobin 13.5 g/dL");
    const salt = range(0x20, 0x3f);
    const blob = concat(range(0x40, 0x4b), await aesGcmSeal(dataKey, range(0x40, 0x4b), plaintext, vault.contentAAD(report, 1)));
    expectEqual(blob, "404142434445464748494a4b" + "aadcc34c4150e861a4aa3707a84a267b1ee93610" + "cd98962ff9b4197532a0f7303f26f420", "blob");
    expectEqual(await sha256(blob), "d6554ac183e82aeaa6ee422f76835740d65b03072626b5a1ab0408fe6482d885", "address");
    const metadata = vault.encodeMetadata({ title: "Complete blood count", effectiveDate: "2026-01-15", note: null, salt });
    expectEqual(metadata, "00000014436f6d706c65746520626c6f6f6420636f756e7401" + "0000000a323032362d30312d313500" + hex(salt), "metadata");
    const sealedMetadata = concat(range(0x50, 0x5b), await aesGcmSeal(dataKey, range(0x50, 0x5b), metadata, vault.metadataAAD(report, 1)));
    expectEqual(sealedMetadata, "505152535455565758595a5b92273660a73fd49630d34900ed83efba8c4bdd884d04f4562589e0dbfa72a54667c2baec4617a6b449fbc7bdf1a7dff0f9025c3206307c42aff7d6379bfc32a50853e6a1b5ce294e6f1fedddbec4297aa37363aa32f220b3", "encrypted metadata");
    expectEqual(await vault.commitment(salt, plaintext), "f2c20e6f21198f593f5949b1deaa80abbc92ff6d0276245914148e2a59ab93af", "commitment");
    const content = { address: hex(await sha256(blob)), size: 48, commitment: "f2c20e6f21198f593f5949b1deaa80abbc92ff6d0276245914148e2a59ab93af", encryptedMetadata: sealedMetadata };
    const opened = await vault.openVersion({ blob, content, dataKey, reportId: report, version: 1 });
    expectEqual(fromUtf8(opened.plaintext), "Hemoglobin 13.5 g/dL", "opened plaintext");
    expectEqual(opened.metadata.title, "Complete blood count", "opened title");
  });
  const spec = await loadJSON("spec-vectors.json");
  await check("vault.md: the recorded X25519 envelope (ChaCha20-Poly1305) opens with Alice's key, not as version 2", async () => {
    const identity = await specPatient();
    const envelope = vault.decodeEnvelope(fromHex(spec.x25519Envelope));
    expectEqual(await vault.unwrapKey(identity, envelope, report, 1), dataKey, "data key");
    await expectThrows(() => vault.unwrapKey(identity, envelope, report, 2), /does not open/, "as version 2");
  });
  await check("vault.md: the X-Wing key's canonical form and the recorded X-Wing envelope opens, not as version 2", async () => {
    const identity = await specPatient("xwing", "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
    expectEqual(identity.encryptionPublic.length, 1249, "extended form length");
    expectEqual(await sha256(identity.encryptionRaw), "2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb", "public key SHA-256");
    expectEqual(await sha256(identity.encryptionPublic), "3298bbe000202147b01de57ac57e33ba618513c1b1ba4f5917b3d1a5d70a0093", "extended form SHA-256");
    const bytes = fromHex(spec.xwingEnvelope);
    expectEqual(await sha256(bytes), "b58be555a178385f8f07b95f989ced6ae906e121fd202f8a655020eac7cacfd1", "envelope SHA-256");
    const envelope = vault.decodeEnvelope(bytes);
    expectEqual(await vault.unwrapKey(identity, envelope, report, 1), dataKey, "data key");
    await expectThrows(() => vault.unwrapKey(identity, envelope, report, 2), /does not open/, "as version 2");
    const x25519Identity = await specPatient();
    await expectThrows(() => vault.unwrapKey(x25519Identity, envelope, report, 1), /sealed with xwing, but this identity's key is x25519/, "with an X25519 key");
  });
  await check("encryption keys: small-order X25519 keys and the extended form's checks are refused", async () => {
    await expectThrows(() => encryptionKey(new Uint8Array(32)), /small order/, "zero key");
    await expectThrows(() => encryptionKey(fromHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880")), /small order/, "order-8 point with bit 255 set");
    await expectThrows(() => encryptionKey(new Uint8Array(1216).fill(0xff)), /modulus/, "unreduced ML-KEM key");
    await expectThrows(() => encryptionKey(new Uint8Array(33)), /neither/, "33-byte key");
    const xw = await specPatient("xwing", "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
    expectEqual(encryptionKey(xw.encryptionPublic).raw, xw.encryptionRaw, "the canonical (extended) form is taken too");
    expectEqual(hex(tx.registerPractitioner({ organization: PATIENT_ID, signingKey: xw.signingPublic, encryptionKey: xw.encryptionPublic, roles: ["reader"] }).body),
      hex(tx.registerPractitioner({ organization: PATIENT_ID, signingKey: xw.signingPublic, encryptionKey: hex(xw.encryptionRaw), roles: ["reader"] }).body), "register-practitioner from either form");
  });
}

async function shamirChecks() {
  const secret = range(0, 31);
  const expected = [
    "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0",
    "d1d6dfd8cdcac3c4e9eee7e0f5f2fbfca1a6afa8bdbab3b4999e979085828b8c",
    "2e29202732353c3b1611181f0a0d04035e59505742454c4b6661686f7a7d7473",
    "697c43563d281702c1d4ebfe9580bfaa2237081d76635c498a9fa0b5decbf4e1",
    "9683bca9c2d7e8fd3e2b14016a7f4055ddc8f7e2899ca3b675605f4a21340b1e",
  ];
  await check("custody.md Shamir vectors: k = 3, n = 5, polynomials (i, i, 0xff − i)", () => {
    const shares = shamir.split(secret, 3, 5, (i) => Uint8Array.of(i, 0xff - i));
    shares.forEach((share, i) => expectEqual(share.y, expected[i], `share ${i + 1}`));
  });
  await check("Shamir: every 3 of the 5 vector shares give the secret; 2 do not", () => {
    const shares = expected.map((y, i) => ({ x: i + 1, y: fromHex(y) }));
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) for (let c = b + 1; c < 5; c++) {
      expectEqual(shamir.combine([shares[a], shares[b], shares[c]]), secret, `shares ${a + 1},${b + 1},${c + 1}`);
    }
    if (equalBytes(shamir.combine(shares.slice(0, 2)), secret)) throw new Error("two shares gave the secret");
  });
  await check("GF(2^8): a · a⁻¹ = 1 for every a ≠ 0; {53} · {CA} = 1 (FIPS 197)", () => {
    for (let a = 1; a < 256; a++) if (shamir.multiply(a, shamir.inverse(a)) !== 1) throw new Error(`inverse of ${a}`);
    expectEqual(shamir.multiply(0x53, 0xca), 1, "{53}·{CA}");
    expectEqual(shamir.multiply(0x57, 0x83), 0xc1, "{57}·{83}");
  });
  await check("Shamir refuses bad parameters and shares", async () => {
    await expectThrows(() => shamir.split(secret, 4, 3), /threshold/, "k > n");
    await expectThrows(() => shamir.combine([{ x: 1, y: secret }, { x: 1, y: secret }]), /same x/, "repeated x");
  });
}

async function canonicalChecks() {
  await check("canonical reader: bounds checked before reading, trailing bytes refused, bools strict", async () => {
    const encoded = encode((w) => w.bytes(new Uint8Array(10)));
    await expectThrows(() => new Reader(encoded).bytes("field", 9), /field: 10 bytes, limit 9/, "over the limit");
    await expectThrows(() => new Reader(fromHex("ffffffff")).bytes("huge", 1 << 30), /huge: 4294967295 bytes, limit/, "hostile length");
    await expectThrows(() => new Reader(fromHex("0000ffff")).array("list", 10, (r) => r.u8("x")), /list: 65535 items, limit 10/, "hostile count");
    const reader = new Reader(fromHex("0102"));
    reader.u8("a");
    const error = await expectThrows(() => reader.end("value"), /trailing/, "trailing byte");
    if (!(error instanceof DecodingError)) throw new Error("not a DecodingError");
    await expectThrows(() => new Reader(fromHex("02")).bool("flag"), /flag/, "bool 2");
    expectEqual(hex(encode((w) => w.u64(0x0102030405060708n).u16(0xabcd).optional(null, () => {}))), "0102030405060708abcd00", "u64, u16, absent optional");
  });
}

// --- Key files and the key store ---------------------------------------------------------------

async function keyChecks() {
  await check("importKeyFile refuses what is not a key file, with a clear message", async () => {
    await expectThrows(() => importKeyFile("not json"), /not a MedLedger key file: it is not JSON/, "text");
    await expectThrows(() => importKeyFile("{}"), /no label/, "empty object");
    await expectThrows(() => importKeyFile(JSON.stringify({ label: "x", signingKey: "00", encryptionKey: PATIENT_SEED })), /signingKey/, "short signing key");
    await expectThrows(() => importKeyFile(JSON.stringify({ label: "x", signingKey: PATIENT_SEED, encryptionKey: PATIENT_SEED, encryptionSuite: "rsa" })), /unknown encryptionSuite/, "unknown suite");
  });
  await check("importKeyFile honours a named identity (rotated keys keep the first id)", async () => {
    const identity = await importKeyFile(JSON.stringify({ label: "x", signingKey: PATIENT_SEED, encryptionKey: ALICE_X25519, identity: "AB".repeat(32) }));
    expectEqual(identity.id, "ab".repeat(32), "id");
  });
  for (const suite of ["x25519", "xwing"]) {
    await check(`newKeyFile (${suite}): the file imports to the same identity, signs, and opens what is sealed to it`, async () => {
      const { json, identity } = await newKeyFile({ label: "Dr. New", suite });
      const file = JSON.parse(json);
      expectEqual(Object.keys(file).join(","), "encryptionKey,encryptionSuite,identity,label,signingKey", "fields (sorted, as Swift writes them)");
      const again = await importKeyFile(json);
      expectEqual(again.id, identity.id, "identity id");
      expectEqual(identity.id, hex(await sha256(identity.signingPublic)), "id = SHA-256 of the signing key");
      expectEqual(again.encryptionPublic, identity.encryptionPublic, "encryption key");
      const message = utf8("hello");
      if (!(await ed25519Verify(identity.signingPublic, await again.sign(message), message))) throw new Error("signature does not verify");
      const info = utf8("info");
      const { enc, ciphertext } = await hpke.seal(suite, identity.encryptionRaw, info, new Uint8Array(), range(1, 32));
      expectEqual(await again.openEnvelope({ encapsulatedKey: enc, wrappedKey: ciphertext }, info), range(1, 32), "opened");
      if (JSON.stringify(identity).includes(file.signingKey)) throw new Error("the identity's JSON shows the private key");
    });
  }
  await check("keystore: PBKDF2 (600,000) + AES-256-GCM round trip; wrong passphrase refused; forget", async () => {
    const name = `selftest-${Date.now()}`;
    const json = JSON.stringify({ label: "x", signingKey: PATIENT_SEED, encryptionKey: ALICE_X25519 });
    await keystore.saveKey(name, json, "correct horse battery");
    try {
      if (!keystore.listKeys().includes(name)) throw new Error("not listed");
      const stored = JSON.parse(localStorage.getItem(`medledger.keys.${name}`));
      expectEqual(stored.iterations, 600000, "iterations");
      if (localStorage.getItem(`medledger.keys.${name}`).includes(PATIENT_SEED)) throw new Error("stored in clear");
      expectEqual(await keystore.loadKey(name, "correct horse battery"), json, "loaded");
      await expectThrows(() => keystore.loadKey(name, "wrong horse battery"), /^wrong passphrase$/, "wrong passphrase");
    } finally {
      keystore.forgetKey(name);
    }
    if (keystore.listKeys().includes(name)) throw new Error("still listed after forgetKey");
  });
}

// --- Swift-side vectors ---------------------------------------------------------------------------

async function swiftChecks() {
  const v = await loadJSON("swift-vectors.json");
  const identities = {};
  await check("Swift vectors: every key file imports to the identity Swift computed", async () => {
    for (const [name, file] of Object.entries(v.keyFiles)) {
      const identity = await importKeyFile(JSON.stringify(file));
      const expected = v.identities[name];
      expectEqual(identity.id, expected.id, `${name} id`);
      expectEqual(identity.signingPublic, expected.signingKey, `${name} signing key`);
      expectEqual(identity.encryptionRaw, expected.encryptionKey, `${name} encryption key`);
      expectEqual(identity.encryptionPublic, expected.encryptionKeyCanonical, `${name} canonical encryption key`);
      identities[name] = identity;
    }
  });
  await check("Swift vectors: the X25519 and X-Wing envelopes Swift sealed open to the data key", async () => {
    for (const [suite, name] of [["x25519", "patient"], ["xwing", "author"]]) {
      const envelope = vault.decodeEnvelope(fromHex(v.envelopes[suite]));
      expectEqual(await vault.unwrapKey(identities[name], envelope, v.report, v.version), v.dataKey, `${suite} data key`);
    }
  });
  const reader = new Reader(fromHex(v.sealed.content));
  const content = vault.readContent(reader);
  reader.end("content");
  const blob = fromHex(v.sealed.blob);
  await check("Swift vectors: the sealed report opens with the patient's (X25519) and the author's (X-Wing) envelopes", async () => {
    for (const name of ["patient", "author"]) {
      const opened = await vault.openOwnEnvelope({ identity: identities[name], reportId: v.report, version: v.version, blob, content });
      expectEqual(fromUtf8(opened.plaintext), v.sealed.plaintext, `${name}: plaintext`);
      expectEqual(opened.metadata.title, v.sealed.title, `${name}: title`);
      expectEqual(opened.metadata.effectiveDate, v.sealed.effectiveDate, `${name}: date`);
      expectEqual(opened.metadata.fileName, "cbc.txt", `${name}: file name from the note`);
      expectEqual(opened.metadata.mediaType, "text/plain", `${name}: media type from the note`);
    }
  });
  await check("Swift vectors: each custodian's share envelope opens, matches its commitment, and 2 of 3 rebuild the key", async () => {
    const k = v.sealed.custodyThreshold;
    const shares = [];
    for (const [i, name] of v.sealed.custodians.entries()) {
      const envelope = content.envelopes.find((e) => e.recipient === identities[name].id);
      const share = await vault.unwrapShare(identities[name], envelope, i + 1, k, v.report, v.version);
      expectEqual(hex(await vault.shareCommitment(v.report, v.version, share)), content.shareCommitments[i], `commitment of share ${i + 1}`);
      await expectThrows(() => vault.unwrapShare(identities[name], envelope, i + 1, k + 1, v.report, v.version), /does not open/, "as another threshold");
      shares.push(share);
    }
    for (const pair of [[0, 1], [0, 2], [1, 2]]) {
      const key = shamir.combine(pair.map((i) => shares[i]));
      const opened = await vault.openVersion({ blob, content, dataKey: key, reportId: v.report, version: v.version });
      expectEqual(fromUtf8(opened.plaintext), v.sealed.plaintext, `shares ${pair.map((i) => i + 1)}`);
    }
  });
  await check("Swift vectors: the transactions Swift signed are rebuilt byte for byte (signing bytes, signature, id)", async () => {
    const I = (name) => v.identities[name].id;
    const payloads = {
      "submit-report": tx.submitReport({ report: v.report, patient: I("patient"), category: "LAB", content: { ...content, size: Number(content.size) }, recipients: [I("organization")] }),
      "grant-access": tx.grantAccess({ grant: "000102030405060708090a0b0c0d0e0f", patient: I("patient"), grantee: I("author"), scope: { reports: [v.report] }, purpose: "research", validFrom: 1767225600000, validUntil: 1769904000000 }),
      "register-practitioner": tx.registerPractitioner({ organization: I("organization"), signingKey: v.identities.author.signingKey, encryptionKey: v.identities.author.encryptionKey, roles: ["privacy-officer", "reader", "author"] }),
    };
    for (const t of v.transactions) {
      const signed = await tx.signTransaction({ chainId: v.chainId, identity: identities[t.signer], nonce: BigInt(t.nonce), payload: payloads[t.name] });
      expectEqual(signed.signingBytes, t.signingBytes, `${t.name} signing bytes`);
      expectEqual(signed.bytes, t.encoded, `${t.name} encoded (Ed25519 is deterministic on both sides)`);
      expectEqual(signed.id, t.id, `${t.name} id`);
    }
  });
  return { v, identities };
}

// --- JS seal → JS open (and the file the Swift side opens) ----------------------------------------

async function roundTripChecks(swift) {
  if (!swift) return;
  const { v, identities } = swift;
  const custodians = v.sealed.custodians.map((name) => ({ signingKey: v.identities[name].signingKey, encryptionKey: v.identities[name].encryptionKey }));
  const reportId = tx.newReportId();
  const plaintext = utf8("Sealed in the browser.\nCreatinine 0.9 mg/dL — ✓\n");
  let sealed;
  await check("JS seal → JS open: a report sealed here opens with both envelopes and from 2 of 3 custodians' shares", async () => {
    sealed = await vault.sealReport({
      reportId, version: 1, plaintext, metadata: { title: "Renal panel", effectiveDate: "2026-02-01", fileName: "renal.txt", mediaType: "text/plain" },
      patient: { id: identities.patient.id, encryptionKey: v.identities.patient.encryptionKey }, author: identities.author,
      custodians, custodyThreshold: 2,
    });
    const { blob, content } = sealed;
    expectEqual(content.envelopes.length, 5, "envelopes");
    const ids = content.envelopes.map((e) => e.recipient);
    expectEqual(ids.join(), [...ids].sort().join(), "envelopes sorted by recipient");
    expectEqual(content.shareCommitments.length, 3, "share commitments");
    for (const name of ["patient", "author"]) {
      const opened = await vault.openOwnEnvelope({ identity: identities[name], reportId, version: 1, blob, content });
      expectEqual(opened.plaintext, plaintext, `${name}: plaintext`);
      expectEqual(opened.metadata.fileName, "renal.txt", `${name}: file name`);
    }
    const shares = [];
    for (const [i, name] of v.sealed.custodians.entries()) {
      const envelope = content.envelopes.find((e) => e.recipient === identities[name].id);
      shares.push(await vault.unwrapShare(identities[name], envelope, i + 1, 2, reportId, 1));
    }
    const opened = await vault.openVersion({ blob, content, dataKey: shamir.combine([shares[2], shares[0]]), reportId, version: 1 });
    expectEqual(opened.plaintext, plaintext, "plaintext from shares 3 and 1");
    // The payload builder takes the content as it is and the transaction decodes in Swift
    // (the lead's end-to-end suite submits one); here: it encodes within the limits.
    const payload = tx.submitReport({ report: reportId, patient: identities.patient.id, category: "LAB", content, recipients: [] });
    if (payload.body.length > 60000) throw new Error("payload too large");
  });
  await check("JS open refuses a changed blob, another version, and a wrong commitment, saying which", async () => {
    const { blob, content } = sealed;
    const changed = blob.slice();
    changed[20] ^= 1;
    await expectThrows(() => vault.openOwnEnvelope({ identity: identities.patient, reportId, version: 1, blob: changed, content }), /content address/, "changed blob");
    await expectThrows(() => vault.openOwnEnvelope({ identity: identities.patient, reportId, version: 2, blob, content }), /does not open/, "version 2");
    await expectThrows(() => vault.openOwnEnvelope({ identity: identities.patient, reportId, version: 1, blob, content: { ...content, commitment: "00".repeat(32) } }), /does not match its commitment/, "wrong commitment");
  });
  await check("sealReport refuses duplicate recipients and a threshold above the custodians", async () => {
    const base = { reportId, version: 1, plaintext, metadata: { title: "x" }, author: identities.author, custodians };
    await expectThrows(() => vault.sealReport({ ...base, patient: { id: v.identities[v.sealed.custodians[0]].id, encryptionKey: v.identities.patient.encryptionKey }, custodyThreshold: 2 }), /listed twice/, "patient is a custodian");
    await expectThrows(() => vault.sealReport({ ...base, patient: { id: identities.patient.id, encryptionKey: v.identities.patient.encryptionKey }, custodyThreshold: 4 }), /threshold/, "k = 4 of 3");
  });
  if (sealed) {
    const contentBytes = encode((w) => tx.writeContent(w, sealed.content));
    document.getElementById("js-vectors").textContent = JSON.stringify(
      { report: reportId, version: 1, plaintext: fromUtf8(plaintext), title: "Renal panel", blob: hex(sealed.blob), content: hex(contentBytes) },
      null,
      1,
    );
  }
}

// When the node itself serves this page (/portal/selftest.html), the client also talks to it.
async function liveNodeChecks() {
  if (!location.pathname.startsWith("/portal/")) return; // a plain static server: no node to ask
  await check("NodeClient against the serving node: status, and an unsigned protected route is a 401 APIError naming the header", async () => {
    const client = new NodeClient();
    const status = await client.status();
    if (typeof status.chainId !== "string" || status.chainId.length === 0) throw new Error("no chainId");
    const error = await expectThrows(() => client.get(`/v1/patients/${PATIENT_ID}/grants`, { signed: false }), null, "anonymous read");
    if (!(error instanceof APIError) || error.status !== 401) throw new Error(`expected a 401 APIError, got ${error.name} ${error.status}`);
  });
  await check("proofs against the serving node: its own identity record is proven by a certified header of GET /v1/genesis; another validator set is refused", async () => {
    const client = new NodeClient();
    const [status, genesis] = await Promise.all([client.status(), client.genesis()]);
    const record = await provenIdentity(client, status.nodeId, genesis);
    expectEqual(record.id, status.nodeId, "record id");
    const other = { ...genesis, validators: genesis.validators.map((v) => ({ ...v, power: Number(v.power) + 1 })) };
    const error = await expectThrows(() => provenIdentity(client, status.nodeId, other), /validator set/, "another validator set");
    if (!(error instanceof ProofError)) throw new Error("not a ProofError");
  });
}

async function main() {
  const started = performance.now();
  const sections = [sha3Checks, canonicalChecks, hpkeChecks, xwingChecks, apiExampleChecks, transactionExampleChecks, vaultExampleChecks, shamirChecks, keyChecks, liveNodeChecks];
  for (const section of sections) {
    try {
      await section();
    } catch (error) {
      report(`${section.name} could not run`, false, error.message);
    }
  }
  let swift = null;
  try {
    swift = await swiftChecks();
  } catch (error) {
    report("Swift vectors could not be loaded", false, error.message);
  }
  try {
    await roundTripChecks(swift);
  } catch (error) {
    report("round trip could not run", false, error.message);
  }
  const summary = document.getElementById("summary");
  summary.dataset.failed = String(failed);
  summary.dataset.passed = String(passed);
  summary.textContent = `${passed} passed, ${failed} failed (${Math.round(performance.now() - started)} ms)`;
}

main();
