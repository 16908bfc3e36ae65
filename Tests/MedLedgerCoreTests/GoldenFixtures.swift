import Foundation
import Testing
import MedLedgerCore

/// Fixed values whose canonical bytes are pinned in `Vectors/`. Everything here is built from
/// deterministic keys and constants, so the bytes never change unless the wire format does.
/// Ed25519 signatures from swift-crypto are randomized: only signing bytes are pinned.
enum GoldenFixtures {
    static let chainID = "medledger-golden"
    static let genesisTime = ConsensusTime(milliseconds: 1_767_225_600_000)  // 2026-01-01T00:00:00.000Z

    static let validatorKeys = IdentityKeys.deterministic(seed: "golden-validator")
    static let orgKeys = IdentityKeys.deterministic(seed: "golden-org")
    static let authorKeys = IdentityKeys.deterministic(seed: "golden-author")
    static let patientKeys = IdentityKeys.deterministic(seed: "golden-patient")

    static let reportID = ReportID(bytes: Array(0x00...0x0f))!
    static let grantID = GrantID(bytes: Array(0xf0...0xff))!

    static func bytes(_ count: Int, from start: UInt8) -> [UInt8] {
        (0..<count).map { start &+ UInt8(truncatingIfNeeded: $0) }
    }

    /// ADR 11: a patient whose encryption key is X-Wing (the extended form), and an X-Wing
    /// envelope's layout (1,120-byte encapsulated key).
    static let xwingPatientKeys = IdentityKeys.deterministic(seed: "golden-xwing-patient", suite: .xwing)
    static var xwingRegistration: TransactionPayload {
        .registerPatient(
            RegisterPatient(
                signingKey: xwingPatientKeys.publicSigningKey, encryptionKey: xwingPatientKeys.publicEncryptionKey))
    }
    static var xwingKeyEnvelope: KeyEnvelope {
        KeyEnvelope(
            recipient: xwingPatientKeys.identityID, encapsulatedKey: bytes(1_120, from: 0x30),
            wrappedKey: bytes(48, from: 0x10))
    }

    static var keyEnvelope: KeyEnvelope {
        KeyEnvelope(
            recipient: patientKeys.identityID, encapsulatedKey: bytes(32, from: 0xa0),
            wrappedKey: bytes(48, from: 0x10))
    }

    static var reportContent: ReportContent {
        ReportContent(
            contentAddress: Hash256.of(Array("golden ciphertext".utf8)),
            sizeBytes: 4_096,
            commitment: Hash256.of(Array("golden commitment".utf8)),
            encryptedMetadata: bytes(24, from: 0x40),
            envelopes: [
                keyEnvelope,
                KeyEnvelope(
                    recipient: authorKeys.identityID, encapsulatedKey: bytes(32, from: 0x01),
                    wrappedKey: bytes(48, from: 0x80)),
            ],
            shareCommitments: [Hash256.of(Array("golden share 1".utf8))])
    }

    static var grantScopes: [(name: String, scope: GrantScope)] {
        [
            ("all-reports", .allReports),
            ("reports", .reports([reportID, ReportID(bytes: grantID.bytes)!])),
            ("categories", .categories([Code("LAB")!, Code("11502-2")!])),
        ]
    }

    static var submitPayload: TransactionPayload {
        .submitReport(
            SubmitReport(
                report: reportID, patient: patientKeys.identityID, category: Code("LAB")!,
                content: reportContent, recipients: [orgKeys.identityID]))
    }

    static var transactionSigningBytes: [UInt8] {
        Transaction.signingBytes(
            chainID: chainID, signer: authorKeys.identityID,
            signerKey: authorKeys.publicSigningKey, nonce: 7, payload: submitPayload)
    }

    static var blockHeader: BlockHeader {
        BlockHeader(
            chainID: chainID, height: 42, time: ConsensusTime(milliseconds: 1_795_255_200_000),
            previousBlockHash: Hash256.of(Array("previous".utf8)), lastCommitHash: .zero,
            transactionsRoot: Merkle.root(leaves: [[0x01], [0x02], [0x03]]),
            resultsRoot: Merkle.root(leaves: []),
            stateRoot: Hash256.of(Array("state".utf8)),
            validatorsHash: genesis.validatorSet.hash,
            proposer: validatorKeys.identityID)
    }

    static var genesis: Genesis {
        Genesis(
            chainID: chainID, genesisTime: genesisTime,
            validators: [
                Validator(
                    name: "validator-1", signingKey: validatorKeys.publicSigningKey,
                    encryptionKey: validatorKeys.publicEncryptionKey, power: 10)
            ],
            organizations: [
                GenesisOrganization(
                    name: "General Hospital", signingKey: orgKeys.publicSigningKey,
                    encryptionKey: orgKeys.publicEncryptionKey)
            ])
    }

    /// A refused read: code 204, the facts of the refusal in order, and the access event
    /// the refusal still records.
    static var rejectedReceipt: TransactionReceipt {
        let reader = authorKeys.identityID
        let patient = patientKeys.identityID
        return .rejected(
            .noActiveGrant, [.identity(reader), .report(reportID), .version(1), .purpose(.treatment)],
            events: [
                .access(
                    report: reportID, version: 1, patient: patient, reader: reader,
                    purpose: .treatment, basis: .denied(.noActiveGrant), organization: orgKeys.identityID)
            ])
    }

    /// A self-approved submission: no facts, its events say what happened (submitted,
    /// distribution grant, distributed).
    static var acceptedReceipt: TransactionReceipt {
        let patient = patientKeys.identityID
        let recipient = orgKeys.identityID
        return .accepted([
            .report(
                report: reportID, version: 1, patient: patient, action: .submitted, status: .final,
                organization: recipient),
            .grantChanged(grant: grantID, patient: patient, grantee: recipient, active: true),
            .report(
                report: reportID, version: 1, patient: patient, action: .distributed, status: .final,
                organization: recipient),
        ])
    }

    /// A stale nonce: the smallest receipt with facts (its layout is checked by hand).
    static var staleNonceReceipt: TransactionReceipt { .rejected(.staleNonce, [.nonce(5), .lastNonce(7)]) }

    /// The results root of a block holding the three receipts above, in that order.
    static var resultsRoot: Hash256 {
        Merkle.root(leaves: [acceptedReceipt, rejectedReceipt, staleNonceReceipt].map(\.hash.bytes))
    }

    /// Every pinned vector: file name (without extension), description, canonical bytes, and
    /// the hash the protocol takes of them where it takes one.
    static var attestBlobsPayload: TransactionPayload {
        .attestBlobs(
            AttestBlobs(holdings: [
                BlobHolding(report: reportID, version: 1), BlobHolding(report: reportID, version: 2),
            ]))
    }

    static let caseID = CaseID(bytes: Array(0x20...0x2f))!

    /// The patient reports the golden author's read (tag 50), concern wrong-purpose.
    static var openCasePayload: TransactionPayload {
        .openCase(
            OpenCase(
                caseID: caseID, accessTransaction: Hash256.of(Array("golden access".utf8)), report: reportID,
                reader: authorKeys.identityID, concern: .wrongPurpose))
    }

    /// The privacy officer's finding (tag 51): inappropriate.
    static var resolveCasePayload: TransactionPayload {
        .resolveCase(ResolveCase(caseID: caseID, resolution: .inappropriate))
    }

    /// The event both transactions leave (tag 6), here after resolution.
    static var caseChangedEvent: LedgerEvent {
        .caseChanged(
            case: caseID, patient: patientKeys.identityID, organization: orgKeys.identityID,
            reader: authorKeys.identityID, status: .resolved)
    }

    static var genesisWithStorage: Genesis {
        let org = orgKeys.identityID
        return Genesis(
            chainID: genesis.chainID, genesisTime: genesis.genesisTime, validators: genesis.validators,
            organizations: genesis.organizations,
            storage: GenesisStorage(
                replicas: 1, nodes: [NodeAffiliation(node: validatorKeys.identityID, organization: org)],
                policies: [StoragePolicy(organization: org, holderOrganizations: [org])]))
    }

    static var all: [(file: String, description: String, bytes: [UInt8], hash: Hash256?)] {
        var vectors: [(file: String, description: String, bytes: [UInt8], hash: Hash256?)] = [
            (
                "transaction-signing-bytes",
                "Transaction.signingBytes: submit-report by deterministic key 'golden-author', nonce 7, chain 'medledger-golden'",
                transactionSigningBytes, nil
            ),
            (
                "block-header", "BlockHeader at height 42; hash = SHA-256 of the canonical bytes",
                blockHeader.canonicalBytes, blockHeader.hash
            ),
            (
                "genesis",
                "Genesis with one validator (power 10) and one organization; hash = SHA-256 of the canonical bytes",
                genesis.canonicalBytes, genesis.hash
            ),
            ("key-envelope", "KeyEnvelope to the golden patient", keyEnvelope.canonicalBytes, nil),
            ("report-content", "ReportContent with two envelopes", reportContent.canonicalBytes, nil),
            (
                "payload-register-patient-xwing",
                "TransactionPayload register-patient with an X-Wing encryption key (extended form: 32 zero bytes, 02, 1,216 bytes), no key proof",
                xwingRegistration.canonicalBytes, nil
            ),
            (
                "key-envelope-xwing", "KeyEnvelope to the golden X-Wing patient (1,120-byte encapsulated key)",
                xwingKeyEnvelope.canonicalBytes, nil
            ),
            (
                "receipt-accepted",
                "TransactionReceipt: code 0, no facts, three events (submitted, grant, distributed); hash = results-tree leaf data",
                acceptedReceipt.canonicalBytes, acceptedReceipt.hash
            ),
            (
                "receipt-rejected",
                "TransactionReceipt: code 204, facts identity, report, version, purpose, and the denied access event",
                rejectedReceipt.canonicalBytes, rejectedReceipt.hash
            ),
            (
                "receipt-stale-nonce", "TransactionReceipt: code 103, facts nonce 5 and lastNonce 7, no events",
                staleNonceReceipt.canonicalBytes, staleNonceReceipt.hash
            ),
            (
                "results-root",
                "RFC 6962 root over the hashes of receipt-accepted, receipt-rejected, receipt-stale-nonce",
                resultsRoot.bytes, nil
            ),
            (
                "attest-blobs",
                "TransactionPayload attest-blobs (tag 40): report versions 1 and 2 of the golden report",
                attestBlobsPayload.canonicalBytes, nil
            ),
            (
                "genesis-storage",
                "The golden genesis with a storage section: 1 replica, the validator run by the organization, the organization's blobs only on its own nodes; hash = SHA-256 of the canonical bytes",
                genesisWithStorage.canonicalBytes, genesisWithStorage.hash
            ),
            (
                "open-case",
                "TransactionPayload open-case (tag 50): case 2021…2f, access transaction SHA-256('golden access'), the golden report, reader the golden author, concern 2 wrong-purpose",
                openCasePayload.canonicalBytes, nil
            ),
            (
                "resolve-case", "TransactionPayload resolve-case (tag 51): case 2021…2f, resolution 2 inappropriate",
                resolveCasePayload.canonicalBytes, nil
            ),
            (
                "event-case-changed",
                "LedgerEvent case-changed (tag 6): case, patient, organization, reader, status 2 resolved",
                caseChangedEvent.canonicalBytes, nil
            ),
        ]
        for (name, scope) in grantScopes {
            vectors.append(("grant-scope-\(name)", "GrantScope.\(name)", scope.canonicalBytes, nil))
        }
        return vectors
    }
}

/// A pinned vector as stored in `Vectors/<name>.json`.
struct GoldenVector: Codable, Equatable {
    var description: String
    var hex: String
    var sha256: String?
}

enum Vectors {
    static func load(_ name: String) throws -> GoldenVector {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors"),
            "Vectors/\(name).json is not in the test bundle")
        return try JSONDecoder().decode(GoldenVector.self, from: Data(contentsOf: url))
    }

    /// The folder in the source tree, for regeneration only.
    static var sourceFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")
    }
}
