import MedLedgerCore

/// One change to the opaque contract state, written with the block that caused it.
public struct StateChange: Hashable, Sendable {
    public let key: [UInt8]
    /// The new value, or nil to delete the key.
    public let value: [UInt8]?

    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// A committed block exactly as stored, for `verify` to re-hash and re-decode itself.
public struct RawBlock: Hashable, Sendable {
    public let height: Height
    /// The hash stored beside the header (which should be the SHA-256 of `header`).
    public let hash: [UInt8]
    /// `BlockHeader.canonicalBytes`.
    public let header: [UInt8]
    /// `Block.encodedBody`.
    public let body: [UInt8]
    /// `CommitCertificate.canonicalBytes`.
    public let certificate: [UInt8]

    package init(height: Height, hash: [UInt8], header: [UInt8], body: [UInt8], certificate: [UInt8]) {
        self.height = height
        self.hash = hash
        self.header = header
        self.body = body
        self.certificate = certificate
    }
}
