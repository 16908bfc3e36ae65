/// Why sealing, wrapping, unwrapping or opening a report failed.
///
/// Compare against the named kinds (`error == .addressMismatch`): equality and hashing look
/// only at the kind, so the message can carry detail without breaking such checks. Messages
/// name what is wrong (ids, hashes, sizes) but never key material or plaintext.
public struct VaultError: Error, Hashable, Sendable, CustomStringConvertible {
    // Private so new kinds can be added without breaking callers that switch over them.
    private enum Code: Hashable, Sendable {
        case invalidMetadata, invalidRecipients, plaintextTooLarge, invalidDataKey
        case encryptionFailed, wrapFailed, unwrapFailed
        case addressMismatch, sizeMismatch, decryptionFailed, commitmentMismatch
        case shareMismatch, notEnoughShares, suiteMismatch
    }

    private let code: Code
    /// What went wrong, for people and logs.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The same kind of error with a more specific message.
    func with(_ message: String) -> VaultError { VaultError(code, message) }

    public var description: String { message }

    public static func == (lhs: VaultError, rhs: VaultError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Title, date, note or salt out of bounds, or decrypted metadata that does not decode.
    public static let invalidMetadata = VaultError(.invalidMetadata, "invalid report metadata")
    /// No recipients, too many, or the same recipient twice.
    public static let invalidRecipients = VaultError(.invalidRecipients, "invalid recipient list")
    /// The ciphertext would exceed `Limits.blobMaxBytes`.
    public static let plaintextTooLarge = VaultError(.plaintextTooLarge, "report too large")
    /// A data key that is not 256 bits.
    public static let invalidDataKey = VaultError(.invalidDataKey, "data key must be 256 bits")
    /// AES-GCM refused to seal (not expected with a valid key).
    public static let encryptionFailed = VaultError(.encryptionFailed, "encryption failed")
    /// HPKE could not wrap to the recipient's key (for example a low-order X25519 point).
    public static let wrapFailed = VaultError(.wrapFailed, "could not wrap the data key")
    /// The envelope does not open with these keys for this report and version.
    public static let unwrapFailed = VaultError(.unwrapFailed, "could not unwrap the data key")
    /// The blob's SHA-256 is not the content address on the ledger.
    public static let addressMismatch = VaultError(.addressMismatch, "blob does not match its content address")
    /// The blob's length is not the size recorded on the ledger.
    public static let sizeMismatch = VaultError(.sizeMismatch, "blob size does not match the ledger")
    /// AES-GCM authentication failed: wrong key, report id or version, or altered ciphertext.
    public static let decryptionFailed = VaultError(.decryptionFailed, "decryption failed")
    /// The decrypted plaintext and salt do not hash to the commitment on the ledger.
    /// A key share that does not match the commitment its version carries on the ledger.
    public static let shareMismatch = VaultError(.shareMismatch, "key share does not match its commitment")
    /// Fewer good key shares than the custody threshold.
    public static let notEnoughShares = VaultError(.notEnoughShares, "not enough key shares")
    /// An envelope sealed in another suite (X25519 or X-Wing) than the key meant to open it.
    public static let suiteMismatch = VaultError(.suiteMismatch, "envelope suite does not match the key")
    public static let commitmentMismatch = VaultError(.commitmentMismatch, "plaintext does not match its commitment")
}
