import Crypto
import MedLedgerCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Threshold custody: a version's data key split k-of-n (`Shamir`) across the custodian
/// nodes, each share sealed to one custodian. No custodian, nor any k − 1 of them together,
/// holds the key; a reader collects k shares, each re-sealed to the reader by its custodian
/// against the reader's committed receipt, and checks each against its commitment on the
/// ledger, which names a custodian that sent a wrong one.
extension ReportCrypto {
    static let keyShareDomain = "medledger/key-share/v1"
    static let shareCommitmentDomain = "medledger/key-share-commitment/v1"

    /// The custodians of a version in genesis order (custodian i holds the share at
    /// x = i + 1) and how many shares rebuild the key.
    public struct Custody: Sendable {
        public let threshold: Int
        public let custodians: [(id: IdentityID, key: PublicEncryptionKey)]
        public init(threshold: Int, custodians: [(id: IdentityID, key: PublicEncryptionKey)]) {
            self.threshold = threshold
            self.custodians = custodians
        }

        /// A genesis's custody: every validator, in validator-set order, and its threshold.
        public init(genesis: Genesis) {
            self.init(
                threshold: Int(genesis.custodyThreshold),
                custodians: genesis.validatorSet.validators.map { ($0.id, $0.encryptionKey) })
        }
    }

    /// The shares of `dataKey`, with fresh random coefficients, sealed one to each custodian,
    /// and the commitment to each share (same order).
    static func splitAndSeal(
        dataKey: SymmetricKey, custody: Custody, report: ReportID, version: ReportVersion
    ) throws(VaultError) -> (envelopes: [KeyEnvelope], commitments: [Hash256]) {
        let shares: [Shamir.Share]
        do {
            shares = try dataKey.withUnsafeBytes { key in
                try Shamir.split(
                    Array(key), threshold: custody.threshold, count: custody.custodians.count,
                    coefficients: { _ in randomBytes(custody.threshold - 1) })
            }
        } catch {
            throw .invalidRecipients.with(
                "cannot split the key \(custody.threshold)-of-\(custody.custodians.count): \(error)")
        }
        var envelopes = [KeyEnvelope]()
        for (share, custodian) in zip(shares, custody.custodians) {
            envelopes.append(
                try wrapShare(
                    share, threshold: custody.threshold, for: custodian.id, key: custodian.key, report: report,
                    version: version))
        }
        return (envelopes, shares.map { shareCommitment(report: report, version: version, share: $0) })
    }

    /// `SHA-256(canonical("medledger/key-share-commitment/v1", report, version, x, y))`. A
    /// share is 32 uniformly random bytes (the key itself when k = 1), so its hash reveals
    /// nothing usable.
    public static func shareCommitment(report: ReportID, version: ReportVersion, share: Shamir.Share) -> Hash256 {
        var encoder = CanonicalEncoder(capacity: 128)
        encoder.write(shareCommitmentDomain)
        encoder.write(report)
        encoder.write(version)
        encoder.write(share.x)
        encoder.write(bytes: share.y)
        return Hash256.of(encoder.bytes)
    }

    /// HPKE info of a share envelope: canonical (domain, report, version, recipient, x, k), so
    /// a share opens only as that x of that threshold for that recipient and version.
    static func keyShareInfo(
        report: ReportID, version: ReportVersion, recipient: IdentityID, x: UInt8, threshold: Int
    ) -> [UInt8] {
        var encoder = CanonicalEncoder(capacity: 128)
        encoder.write(keyShareDomain)
        encoder.write(report)
        encoder.write(version)
        encoder.write(recipient)
        encoder.write(x)
        encoder.write(UInt8(clamping: threshold))
        return encoder.bytes
    }

    /// Seals one share to one recipient (its custodian, or a reader it is released to).
    public static func wrapShare(
        _ share: Shamir.Share, threshold: Int, for recipient: IdentityID, key: PublicEncryptionKey,
        report: ReportID, version: ReportVersion
    ) throws(VaultError) -> KeyEnvelope {
        let info = keyShareInfo(
            report: report, version: version, recipient: recipient, x: share.x, threshold: threshold)
        return try hpkeSeal(share.y, to: recipient, key: key, info: info)
    }

    /// Opens a share envelope as share `x` of a k = `threshold` split.
    /// - Throws: `.suiteMismatch` when the envelope is sealed in another suite than `keys`;
    ///   `.unwrapFailed` for the wrong keys, x, threshold, report or version, or an altered
    ///   envelope.
    public static func unwrapShare(
        _ envelope: KeyEnvelope, using keys: IdentityKeys, x: UInt8, threshold: Int,
        report: ReportID, version: ReportVersion
    ) throws(VaultError) -> Shamir.Share {
        try checkSuite(envelope, keys: keys, what: "share \(x)")
        let info = keyShareInfo(
            report: report, version: version, recipient: envelope.recipient, x: x, threshold: threshold)
        let raw: Data
        do {
            raw = try hpkeOpen(envelope, using: keys, info: info)
        } catch {
            throw .unwrapFailed.with(
                "share \(x) for \(envelope.recipient) does not open with these keys for report \(report) version \(version)"
            )
        }
        guard raw.count == dataKeyByteCount else {
            throw .unwrapFailed.with("share \(x) holds \(raw.count) bytes, not \(dataKeyByteCount)")
        }
        return Shamir.Share(x: x, y: Array(raw))
    }

    /// What a custodian does once a reader's granted receipt is committed: opens its own
    /// share and seals it to the reader. It never sees the data key. The two suites are
    /// independent: an X25519 custodian re-seals to an X-Wing reader and the reverse.
    public static func rewrapShare(
        _ envelope: KeyEnvelope, custodian: IdentityKeys, x: UInt8, threshold: Int,
        for reader: IdentityID, readerKey: PublicEncryptionKey,
        report: ReportID, version: ReportVersion
    ) throws(VaultError) -> KeyEnvelope {
        let share = try unwrapShare(
            envelope, using: custodian, x: x, threshold: threshold, report: report, version: version)
        return try wrapShare(share, threshold: threshold, for: reader, key: readerKey, report: report, version: version)
    }

    /// The data key from released shares. Each share is checked against its commitment
    /// (`commitments[x - 1]`); shares that do not match are named in the error, and the key
    /// is built only from `threshold` good ones.
    /// - Throws: `.shareMismatch` naming the x of each bad share when fewer than `threshold`
    ///   good ones remain; `.notEnoughShares` when there were never enough.
    public static func combineShares(
        _ shares: [Shamir.Share], threshold: Int, commitments: [Hash256], report: ReportID, version: ReportVersion
    ) throws(VaultError) -> SymmetricKey {
        let bad = badShares(shares, commitments: commitments, report: report, version: version)
        let good = shares.filter { !bad.contains($0.x) }
        guard good.count >= threshold else {
            if !bad.isEmpty {
                throw .shareMismatch.with(
                    "key shares \(bad.map(String.init).joined(separator: ", ")) do not match their commitments; \(good.count) good of \(threshold) needed"
                )
            }
            throw .notEnoughShares.with("\(good.count) key shares, \(threshold) needed")
        }
        do {
            return SymmetricKey(data: try Shamir.combine(Array(good.prefix(threshold))))
        } catch {
            throw .notEnoughShares.with("the shares do not combine: \(error)")
        }
    }

    /// The x of each share that does not match its commitment (or has no commitment).
    public static func badShares(
        _ shares: [Shamir.Share], commitments: [Hash256], report: ReportID, version: ReportVersion
    ) -> [UInt8] {
        shares.filter { share in
            let index = Int(share.x) - 1
            guard commitments.indices.contains(index) else { return true }
            return shareCommitment(report: report, version: version, share: share) != commitments[index]
        }.map(\.x)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: max(count, 1) * 8)).withUnsafeBytes { Array($0.prefix(count)) }
    }
}
