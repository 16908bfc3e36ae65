import Crypto
import MedLedgerCore

/// Client-side encryption of reports and wrapping of their data keys.
///
/// Each report version gets a fresh 256-bit AES-GCM data key. The blob and the metadata are
/// sealed with it; the key itself travels on the ledger only inside `KeyEnvelope`s, HPKE-sealed
/// to each recipient's X25519 key. Every ciphertext is bound to its report id and version
/// (AES-GCM additional data, HPKE info), so nothing can be replayed under another report.
///
/// All domain strings below are part of the wire format: changing one makes every existing
/// report unreadable. Bump the `/v1` suffix instead.
public enum ReportCrypto {
    /// The HPKE ciphersuite of each encryption suite: the only place they are named (ADR 11).
    /// Both are base mode with HKDF-SHA256; X25519 keeps ChaCha20-Poly1305 so every envelope
    /// sealed before suites existed still opens, X-Wing takes the AEAD swift-crypto pairs it
    /// with. `KeyEnvelope.maxPartBytes` leaves room for X-Wing's 1,120-byte encapsulation.
    static func ciphersuite(_ suite: EncryptionSuite) -> HPKE.Ciphersuite {
        switch suite {
        case .x25519: .Curve25519_SHA256_ChachaPoly
        case .xwing: .XWingMLKEM768X25519_SHA256_AES_GCM_256
        }
    }

    /// Size of a report data key.
    public static let dataKeyByteCount = 32
    /// AES-GCM's combined form adds a 12-byte nonce and a 16-byte tag to the plaintext.
    static let aesOverheadBytes = 28
    /// Largest plaintext whose blob still fits `Limits.blobMaxBytes`.
    public static let plaintextMaxBytes = Limits.blobMaxBytes - aesOverheadBytes

    static let contentDomain = "medledger/report-content/v1"
    static let metadataDomain = "medledger/report-metadata/v1"
    static let keyWrapDomain = "medledger/key-wrap/v1"
    static let commitmentDomain = "medledger/commitment/v1"

    /// The commitment to a plaintext:
    /// `SHA-256(UTF8("medledger/commitment/v1") || salt || plaintext)`, plain concatenation
    /// with no length prefixes. That is unambiguous because the domain string and the 32-byte
    /// salt have fixed lengths, so everything after byte 55 is the plaintext.
    public static func commitment(salt: [UInt8], plaintext: [UInt8]) -> Hash256 {
        Hash256.of(parts: [Array(commitmentDomain.utf8), salt, plaintext])
    }

    /// AES-GCM additional data of a blob: canonical (domain, report, version).
    static func contentAAD(report: ReportID, version: ReportVersion) -> [UInt8] {
        context(domain: contentDomain, report: report, version: version).bytes
    }

    /// AES-GCM additional data of the encrypted metadata: canonical (domain, report, version).
    static func metadataAAD(report: ReportID, version: ReportVersion) -> [UInt8] {
        context(domain: metadataDomain, report: report, version: version).bytes
    }

    /// HPKE info of an envelope: canonical (domain, report, version, recipient). Binding the
    /// recipient stops an envelope from being relabelled as someone else's on the ledger.
    static func keyWrapInfo(report: ReportID, version: ReportVersion, recipient: IdentityID) -> [UInt8] {
        var encoder = context(domain: keyWrapDomain, report: report, version: version)
        encoder.write(recipient)
        return encoder.bytes
    }

    private static func context(domain: String, report: ReportID, version: ReportVersion) -> CanonicalEncoder {
        var encoder = CanonicalEncoder(capacity: 96)
        encoder.write(domain)
        encoder.write(report)
        encoder.write(version)
        return encoder
    }
}
