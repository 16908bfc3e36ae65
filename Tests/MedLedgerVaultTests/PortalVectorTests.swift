import Crypto
import Foundation
import Testing

@testable import MedLedgerCore
@testable import MedLedgerVault

/// Vectors shared with the web portal's self-test (`Sources/MedLedgerAPI/Portal/selftest.html`,
/// `docs/spec/portal-crypto.md`): what Swift seals and signs, the browser must open and
/// reproduce, and what the browser sealed (`js-vectors.json`, written by
/// `scripts/portal-selftest.py --write-js-vectors`) Swift must open.
///
/// `MEDLEDGER_WRITE_VECTORS=1 swift test --filter PortalVectorTests` rewrites
/// `swift-vectors.json` (the envelopes and the sealed report are randomized, so the file
/// changes each time); without the variable the committed files are checked.
@Suite struct PortalVectorTests {
    static let writing = ProcessInfo.processInfo.environment["MEDLEDGER_WRITE_VECTORS"] == "1"
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/MedLedgerAPI/Portal/selftest")
    static let swiftFile = directory.appendingPathComponent("swift-vectors.json")
    static let jsFile = directory.appendingPathComponent("js-vectors.json")

    static let chainID = "medledger-portal-vectors"
    static let report = ReportID(bytes: Array(0x10...0x1f))!
    static let dataKey = Array(0x00...0x1f) as [UInt8]
    static let plaintext = "Hemoglobin 13.5 g/dL\nPlatelets 250 x10^9/L\n"

    /// Every identity in the vectors: deterministic keys, mixed suites (custodians sorted by id later).
    static let cast: [(name: String, suite: EncryptionSuite)] = [
        ("patient", .x25519), ("author", .xwing), ("organization", .x25519),
        ("custodian-a", .x25519), ("custodian-b", .xwing), ("custodian-c", .x25519),
    ]
    static func keys(_ name: String) -> IdentityKeys {
        IdentityKeys.deterministic(seed: "portal-vectors/\(name)", suite: cast.first { $0.name == name }!.suite)
    }
    static var custody: ReportCrypto.Custody {
        let custodians = ["custodian-a", "custodian-b", "custodian-c"].map { keys($0) }
            .sorted { $0.identityID < $1.identityID }
            .map { (id: $0.identityID, key: $0.publicEncryptionKey) }
        return ReportCrypto.Custody(threshold: 2, custodians: custodians)
    }

    // MARK: The file's shape

    struct Vectors: Codable {
        var about: String
        var chainId: String
        var report: String
        var version: UInt32
        var dataKey: String
        var keyFiles: [String: KeyFile]
        var identities: [String: PublicIdentity]
        var envelopes: [String: String]
        var sealed: Sealed
        var transactions: [SignedVector]
    }
    struct PublicIdentity: Codable {
        var id: String
        var signingKey: String
        var encryptionKey: String
        var encryptionKeyCanonical: String
    }
    struct Sealed: Codable {
        var plaintext: String
        var title: String
        var effectiveDate: String?
        var note: String?
        var blob: String
        var content: String
        var custodyThreshold: Int
        /// Custodian names in validator-set order (by id): custodian i holds share x = i + 1.
        var custodians: [String]
    }
    struct SignedVector: Codable {
        var name: String
        var signer: String
        var nonce: UInt64
        var signingBytes: String
        var encoded: String
        var id: String
    }

    /// What the browser sealed with the same cast (`js-vectors.json`).
    struct BrowserVectors: Codable {
        var report: String
        var version: UInt32
        var plaintext: String
        var title: String
        var blob: String
        var content: String
    }

    // MARK: Writing

    @Test(.enabled(if: writing)) func writeVectors() throws {
        var keyFiles: [String: KeyFile] = [:]
        var identities: [String: PublicIdentity] = [:]
        for member in Self.cast {
            let keys = Self.keys(member.name)
            keyFiles[member.name] = KeyFile(label: member.name, keys: keys)
            identities[member.name] = PublicIdentity(
                id: keys.identityID.hex, signingKey: Hex.encode(keys.publicSigningKey.rawBytes),
                encryptionKey: keys.publicEncryptionKey.hex,
                encryptionKeyCanonical: Hex.encode(keys.publicEncryptionKey.canonicalBytes))
        }
        let patient = Self.keys("patient")
        let author = Self.keys("author")
        let key = SymmetricKey(data: Self.dataKey)
        var envelopes: [String: String] = [:]
        for (suite, keys) in [("x25519", patient), ("xwing", author)] {
            let envelope = try ReportCrypto.wrap(
                dataKey: key, for: keys.identityID, key: keys.publicEncryptionKey, report: Self.report, version: 1)
            envelopes[suite] = Hex.encode(envelope.canonicalBytes)
        }
        let sealed = try ReportCrypto.seal(
            plaintext: Array(Self.plaintext.utf8), title: "Complete blood count", effectiveDate: "2026-01-15",
            note: "file-name: cbc.txt\nmedia-type: text/plain", report: Self.report, version: 1,
            recipients: [
                (patient.identityID, patient.publicEncryptionKey), (author.identityID, author.publicEncryptionKey),
            ],
            custody: Self.custody)
        let custodianNames = Self.custody.custodians.map { custodian in
            Self.cast.first { Self.keys($0.name).identityID == custodian.id }!.name
        }
        let vectors = Vectors(
            about:
                "Written by Tests/MedLedgerVaultTests/PortalVectorTests.swift (MEDLEDGER_WRITE_VECTORS=1); opened by Portal/js/selftest.js. Deterministic test keys only.",
            chainId: Self.chainID, report: Self.report.hex, version: 1, dataKey: Hex.encode(Self.dataKey),
            keyFiles: keyFiles, identities: identities, envelopes: envelopes,
            sealed: Sealed(
                plaintext: Self.plaintext, title: "Complete blood count", effectiveDate: "2026-01-15",
                note: "file-name: cbc.txt\nmedia-type: text/plain", blob: Hex.encode(sealed.blob),
                content: Hex.encode(sealed.content.canonicalBytes), custodyThreshold: Self.custody.threshold,
                custodians: custodianNames),
            transactions: Self.transactions(content: sealed.content).map { name, signer, tx in
                SignedVector(
                    name: name, signer: signer, nonce: tx.nonce.rawValue, signingBytes: Hex.encode(tx.signingBytes),
                    encoded: Hex.encode(tx.encoded), id: tx.hash.hex)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(vectors).write(to: Self.swiftFile)
    }

    /// The signed transactions of the vectors, rebuilt the same way when checking.
    static func transactions(content: ReportContent) -> [(String, String, Transaction)] {
        let patient = keys("patient")
        let author = keys("author")
        let organization = keys("organization")
        let submit = TransactionPayload.submitReport(
            SubmitReport(
                report: report, patient: patient.identityID, category: Code("LAB")!, content: content,
                recipients: [organization.identityID]))
        let grant = TransactionPayload.grantAccess(
            GrantAccess(
                grant: GrantID(bytes: Array(0x00...0x0f))!, patient: patient.identityID, grantee: author.identityID,
                scope: .reports([report]), purpose: .research,
                validFrom: ConsensusTime(milliseconds: 1_767_225_600_000),
                validUntil: ConsensusTime(milliseconds: 1_769_904_000_000)))
        let register = TransactionPayload.registerPractitioner(
            RegisterPractitioner(
                organization: organization.identityID, signingKey: author.publicSigningKey,
                encryptionKey: author.publicEncryptionKey, roles: [.author, .reader, .privacyOfficer]))
        return [
            (
                "submit-report", "author",
                Transaction(chainID: chainID, signer: author.identityID, keys: author, nonce: 7, payload: submit)
            ),
            (
                "grant-access", "patient",
                Transaction(chainID: chainID, signer: patient.identityID, keys: patient, nonce: 3, payload: grant)
            ),
            (
                "register-practitioner", "organization",
                Transaction(
                    chainID: chainID, signer: organization.identityID, keys: organization, nonce: 1, payload: register)
            ),
        ]
    }

    // MARK: Checking the committed files

    static func load() throws -> Vectors {
        try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: swiftFile))
    }

    @Test(.enabled(if: !writing)) func keyFilesGiveTheListedIdentities() throws {
        let vectors = try Self.load()
        #expect(vectors.keyFiles.count == Self.cast.count)
        for (name, file) in vectors.keyFiles {
            let keys = try file.keys()
            let identity = try #require(vectors.identities[name])
            #expect(try file.identityID().hex == identity.id)
            #expect(Hex.encode(keys.publicSigningKey.rawBytes) == identity.signingKey)
            #expect(keys.publicEncryptionKey.hex == identity.encryptionKey)
            #expect(Hex.encode(keys.publicEncryptionKey.canonicalBytes) == identity.encryptionKeyCanonical)
        }
    }

    @Test(.enabled(if: !writing)) func envelopesOpenToTheDataKey() throws {
        let vectors = try Self.load()
        for (suite, name) in [("x25519", "patient"), ("xwing", "author")] {
            let envelopeHex = try #require(vectors.envelopes[suite])
            let envelope = try KeyEnvelope.decode(canonical: try #require(Hex.decode(envelopeHex)))
            #expect(envelope.suite?.name == suite)
            let key = try ReportCrypto.unwrap(envelope, using: Self.keys(name), report: Self.report, version: 1)
            #expect(key.withUnsafeBytes { Array($0) } == Self.dataKey)
        }
    }

    @Test(.enabled(if: !writing)) func theSealedReportOpensByEnvelopeAndByShares() throws {
        let vectors = try Self.load()
        let sealed = vectors.sealed
        let (plaintext, title) = try Self.open(
            blob: sealed.blob, content: sealed.content, report: Self.report, version: vectors.version)
        #expect(plaintext == sealed.plaintext)
        #expect(title == sealed.title)
        #expect(
            sealed.custodians
                == Self.custody.custodians.map { c in Self.cast.first { Self.keys($0.name).identityID == c.id }!.name })
    }

    @Test(.enabled(if: !writing)) func transactionsAreReproduced() throws {
        let vectors = try Self.load()
        let content = try ReportContent.decode(canonical: try #require(Hex.decode(vectors.sealed.content)))
        let expected = Self.transactions(content: content)
        #expect(vectors.transactions.count == expected.count)
        for (vector, (name, signer, tx)) in zip(vectors.transactions, expected) {
            #expect(vector.name == name)
            #expect(vector.signer == signer)
            #expect(vector.signingBytes == Hex.encode(tx.signingBytes))
            let decoded = try Transaction.decode(try #require(Hex.decode(vector.encoded)))
            #expect(decoded.hasValidSignature)
            #expect(decoded.hash.hex == vector.id)
            #expect(Hex.encode(decoded.signingBytes) == vector.signingBytes)
        }
    }

    /// The report the browser sealed opens in Swift, with the patient's envelope, the
    /// author's, and from two custodians' shares.
    @Test(.enabled(if: !writing)) func theBrowserSealedReportOpens() throws {
        let browser = try JSONDecoder().decode(BrowserVectors.self, from: Data(contentsOf: Self.jsFile))
        let report = try #require(ReportID(hex: browser.report))
        let (plaintext, title) = try Self.open(
            blob: browser.blob, content: browser.content, report: report, version: browser.version)
        #expect(plaintext == browser.plaintext)
        #expect(title == browser.title)
    }

    /// Opens with each whole-key envelope (patient, author) and with the first two
    /// custodians' shares; every way must give the same plaintext.
    static func open(blob blobHex: String, content contentHex: String, report: ReportID, version: UInt32) throws -> (
        String, String
    ) {
        let blob = try #require(Hex.decode(blobHex))
        let content = try ReportContent.decode(canonical: try #require(Hex.decode(contentHex)))
        let version = ReportVersion(version)
        var results: [OpenedReport] = []
        for name in ["patient", "author"] {
            let reader = Self.keys(name)
            let envelope = try #require(content.envelope(for: reader.identityID))
            let key = try ReportCrypto.unwrap(envelope, using: reader, report: report, version: version)
            results.append(
                try ReportCrypto.open(blob: blob, content: content, dataKey: key, report: report, version: version))
        }
        var shares: [Shamir.Share] = []
        for (index, custodian) in custody.custodians.enumerated().prefix(2) {
            let custodianKeys = cast.map { Self.keys($0.name) }.first { $0.identityID == custodian.id }!
            let envelope = try #require(content.envelope(for: custodian.id))
            shares.append(
                try ReportCrypto.unwrapShare(
                    envelope, using: custodianKeys, x: UInt8(index + 1), threshold: custody.threshold, report: report,
                    version: version))
        }
        let key = try ReportCrypto.combineShares(
            shares, threshold: custody.threshold, commitments: content.shareCommitments, report: report,
            version: version)
        results.append(
            try ReportCrypto.open(blob: blob, content: content, dataKey: key, report: report, version: version))
        #expect(Set(results).count == 1)
        return (String(decoding: results[0].plaintext, as: UTF8.self), results[0].metadata.title)
    }
}
