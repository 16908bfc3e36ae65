import Crypto
import MedLedgerCore
import Testing
@testable import MedLedgerVault

/// Issue 8.1: no custodian, nor any k − 1 of them, can open a report; any k can, for a
/// reader they release their shares to; a wrong share is detected and named.
@Suite("threshold custody")
struct ThresholdCustodyTests {
    static let custodians = (1...4).map { IdentityKeys.deterministic(seed: "vault-custodian-\($0)") }
    static let custody = ReportCrypto.Custody(
        threshold: 3, custodians: custodians.map { ($0.identityID, $0.publicEncryptionKey) })

    static func sealed() throws -> SealedReport {
        try ReportCrypto.seal(
            plaintext: Sample.plaintext, title: "CT head", effectiveDate: nil, note: nil, report: Sample.report,
            version: 1, recipients: [Party.recipient(Party.patient), Party.recipient(Party.author)], custody: custody)
    }

    /// Custodian i's own share, as it would open it (x = i + 1).
    static func share(_ sealed: SealedReport, _ index: Int) throws -> Shamir.Share {
        let keys = custodians[index]
        let envelope = try #require(sealed.content.envelope(for: keys.identityID))
        return try ReportCrypto.unwrapShare(
            envelope, using: keys, x: UInt8(index + 1), threshold: 3, report: Sample.report, version: 1)
    }

    /// Whether `key` opens the sealed version (AES-GCM authentication and the commitment).
    static func opens(_ sealed: SealedReport, with key: [UInt8]) -> Bool {
        (try? ReportCrypto.open(
            blob: sealed.blob, content: sealed.content, dataKey: SymmetricKey(data: key), report: Sample.report,
            version: 1)) != nil
    }

    @Test func anyThreeOfFourSharesOpenTheReport() throws {
        let sealed = try Self.sealed()
        #expect(sealed.content.shareCommitments.count == 4)
        let shares = try (0..<4).map { try Self.share(sealed, $0) }
        for left in 0..<4 {
            let three = shares.enumerated().filter { $0.offset != left }.map(\.element)
            let key = try ReportCrypto.combineShares(
                three, threshold: 3, commitments: sealed.content.shareCommitments, report: Sample.report, version: 1)
            #expect(key == sealed.dataKey, "without custodian \(left)")
        }
    }

    /// One custodian's key material, or any two (k − 1) together, cannot open the report:
    /// its own envelope is not a key, and the shares they hold combine to a wrong key.
    @Test func noCustodianAndNoTwoCustodiansCanOpenTheReport() throws {
        let sealed = try Self.sealed()
        let shares = try (0..<4).map { try Self.share(sealed, $0) }
        for (index, keys) in Self.custodians.enumerated() {
            let envelope = try #require(sealed.content.envelope(for: keys.identityID))
            #expect(throws: VaultError.unwrapFailed) {
                try ReportCrypto.unwrap(envelope, using: keys, report: Sample.report, version: 1)
            }
            #expect(!Self.opens(sealed, with: shares[index].y), "a share used as the key")
        }
        for first in 0..<4 {
            for second in (first + 1)..<4 {
                let guess = try Shamir.combine([shares[first], shares[second]])
                #expect(!Self.opens(sealed, with: guess), "custodians \(first) and \(second) together")
                #expect(throws: VaultError.notEnoughShares) {
                    try ReportCrypto.combineShares(
                        [shares[first], shares[second]], threshold: 3,
                        commitments: sealed.content.shareCommitments, report: Sample.report, version: 1)
                }
            }
        }
    }

    /// A custodian that sends a wrong share is named by its x; with enough good shares the
    /// read still opens, without it the error says which share was wrong.
    @Test func aWrongShareIsDetectedAndNamed() throws {
        let sealed = try Self.sealed()
        var shares = try (0..<4).map { try Self.share(sealed, $0) }
        var tampered = shares[1].y
        tampered[0] ^= 0x01
        shares[1] = Shamir.Share(x: 2, y: tampered)
        #expect(
            ReportCrypto.badShares(
                shares, commitments: sealed.content.shareCommitments, report: Sample.report, version: 1) == [2])
        let key = try ReportCrypto.combineShares(
            shares, threshold: 3, commitments: sealed.content.shareCommitments, report: Sample.report, version: 1)
        #expect(key == sealed.dataKey, "the three good shares")
        #expect {
            try ReportCrypto.combineShares(
                Array(shares.prefix(3)), threshold: 3, commitments: sealed.content.shareCommitments,
                report: Sample.report, version: 1)
        } throws: { error in
            (error as? VaultError) == .shareMismatch && "\(error)".contains("key shares 2 do not match")
        }
    }

    @Test func sealingRefusesAThresholdOutsideTheCustodians() throws {
        for threshold in [0, 5] {
            #expect(throws: VaultError.invalidRecipients) {
                try ReportCrypto.seal(
                    plaintext: [1], title: "t", effectiveDate: nil, note: nil, report: Sample.report, version: 1,
                    recipients: [Party.recipient(Party.patient)],
                    custody: ReportCrypto.Custody(threshold: threshold, custodians: Self.custody.custodians))
            }
        }
    }
}

/// Shamir over GF(2^8): the pinned vectors of `docs/spec/custody.md`, and its algebra.
@Suite("Shamir")
struct ShamirTests {
    @Test func fieldArithmeticMatchesAES() {
        // FIPS-197 §4.2: {57} • {83} = {c1}; {57} • {13} = {fe}.
        #expect(Shamir.multiply(0x57, 0x83) == 0xc1)
        #expect(Shamir.multiply(0x57, 0x13) == 0xfe)
        for a in 1...255 {
            #expect(Shamir.multiply(UInt8(a), Shamir.inverse(UInt8(a))) == 1)
        }
    }

    /// The spec's worked example: secret 0x00 0x01 … 0x1f (32 bytes), k = 3, n = 5, and byte
    /// i's coefficients (i, 0xff − i).
    static let vectorSecret = (0..<32).map { UInt8($0) }
    static func vectorCoefficients(_ index: Int) -> [UInt8] { [UInt8(index), 0xff - UInt8(index)] }
    /// Computed by an independent implementation (log/exp tables for generator 3, in
    /// Python), not by the code under test.
    static let vectorShares: [String] = [
        "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0",
        "d1d6dfd8cdcac3c4e9eee7e0f5f2fbfca1a6afa8bdbab3b4999e979085828b8c",
        "2e29202732353c3b1611181f0a0d04035e59505742454c4b6661686f7a7d7473",
        "697c43563d281702c1d4ebfe9580bfaa2237081d76635c498a9fa0b5decbf4e1",
        "9683bca9c2d7e8fd3e2b14016a7f4055ddc8f7e2899ca3b675605f4a21340b1e",
    ]

    @Test func splitMatchesThePinnedVectors() throws {
        let shares = try Shamir.split(
            Self.vectorSecret, threshold: 3, count: 5, coefficients: Self.vectorCoefficients)
        #expect(shares.map(\.x) == [1, 2, 3, 4, 5])
        #expect(shares.map { Hex.encode($0.y) } == Self.vectorShares)
    }

    @Test func everyThreeOfFiveRebuildTheSecretAndTwoDoNot() throws {
        let shares = try Shamir.split(
            Self.vectorSecret, threshold: 3, count: 5, coefficients: Self.vectorCoefficients)
        for a in 0..<5 {
            for b in (a + 1)..<5 {
                #expect(try Shamir.combine([shares[a], shares[b]]) != Self.vectorSecret)
                for c in (b + 1)..<5 {
                    #expect(try Shamir.combine([shares[c], shares[a], shares[b]]) == Self.vectorSecret)
                }
            }
        }
    }

    @Test func malformedInputsThrowInsteadOfTrapping() throws {
        #expect(throws: Shamir.Failure.self) { try Shamir.split([1], threshold: 0, count: 3) { _ in [] } }
        #expect(throws: Shamir.Failure.self) { try Shamir.split([1], threshold: 4, count: 3) { _ in [1, 2, 3] } }
        #expect(throws: Shamir.Failure.self) { try Shamir.split([1], threshold: 2, count: 256) { _ in [1] } }
        #expect(throws: Shamir.Failure.self) { try Shamir.split([1], threshold: 2, count: 3) { _ in [] } }
        #expect(throws: Shamir.Failure.self) { try Shamir.combine([]) }
        #expect(throws: Shamir.Failure.self) { try Shamir.combine([.init(x: 0, y: [1])]) }
        #expect(throws: Shamir.Failure.self) { try Shamir.combine([.init(x: 1, y: [1]), .init(x: 1, y: [2])]) }
        #expect(throws: Shamir.Failure.self) { try Shamir.combine([.init(x: 1, y: [1]), .init(x: 2, y: [2, 3])]) }
    }
}
