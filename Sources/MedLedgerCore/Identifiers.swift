/// The id of an identity (organization, practitioner, patient, node): the SHA-256 of the
/// identity's first Ed25519 public key. It stays the same when the keys rotate.
public struct IdentityID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hash: Hash256
    public init(hash: Hash256) { self.hash = hash }
    public init?(hex: String) {
        guard let hash = Hash256(hex: hex) else { return nil }
        self.hash = hash
    }
    /// The id an identity gets from its first signing key.
    public init(signingKey: PublicSigningKey) { self.hash = Hash256.of(signingKey.rawBytes) }
    public var hex: String { hash.hex }
    public var description: String { hash.hex }
    public static func < (lhs: IdentityID, rhs: IdentityID) -> Bool { lhs.hash < rhs.hash }
}

/// Sixteen client-chosen random bytes that name a report or a grant. The client picks the id
/// before it encrypts, because the report id is part of the authenticated data. `Kind` keeps
/// report ids and grant ids apart in the type system: the bytes are the same shape, the
/// things they name are not.
public struct OpaqueID<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static var byteCount: Int { 16 }
    public let bytes: [UInt8]
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }
    /// A fresh random id (client side only; never called inside the contracts).
    public static func random() -> Self {
        var generator = SystemRandomNumberGenerator()
        return Self(bytes: (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) })!
    }
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

/// What a `ReportID` names.
public enum ReportIDKind {}
/// What a `GrantID` names.
public enum GrantIDKind {}

public typealias ReportID = OpaqueID<ReportIDKind>
public typealias GrantID = OpaqueID<GrantIDKind>

extension OpaqueID where Kind == GrantIDKind {
    /// A fresh random id for a consent grant: the first bit is clear, because ids with it set
    /// are reserved for the distribution grants the contracts derive (client side only).
    public static func randomConsentGrantID() -> GrantID {
        var bytes = random().bytes
        bytes[0] &= 0x7f
        return GrantID(bytes: bytes)!
    }
}

/// A signer's transaction counter: each transaction carries one above the signer's last
/// (at most `Limits.nonceMaxJump` above it); 0 means none yet.
public struct Nonce: CountingNumber {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let max = Nonce(UInt64.max)
    /// The nonce after this one; saturates at the maximum (which no signer can reach, since
    /// each step is a committed transaction).
    public var next: Nonce { Nonce(rawValue == .max ? .max : rawValue + 1) }
    /// How far this nonce is above `earlier` (0 when it is not above).
    public func distance(above earlier: Nonce) -> UInt64 {
        rawValue > earlier.rawValue ? rawValue - earlier.rawValue : 0
    }
}

/// A block height; the first block after genesis has height 1.
public struct Height: CountingNumber {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static func + (lhs: Height, count: UInt64) -> Height { Height(lhs.rawValue + count) }
    public static func - (lhs: Height, count: UInt64) -> Height { Height(lhs.rawValue - count) }
    public static func += (lhs: inout Height, count: UInt64) { lhs = lhs + count }
}

/// A consensus round within a height; the first is 0.
public struct Round: CountingNumber {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static func + (lhs: Round, count: UInt32) -> Round { Round(lhs.rawValue + count) }
    public static func += (lhs: inout Round, count: UInt32) { lhs = lhs + count }
}

/// A report version; the first version is 1.
public struct ReportVersion: CountingNumber {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The version `count` after this one (saturating: versions are bounded long before).
    public static func + (lhs: Self, count: UInt32) -> Self {
        Self(lhs.rawValue.addingReportingOverflow(count).overflow ? .max : lhs.rawValue + count)
    }
}

/// Consensus time in milliseconds since 1970-01-01T00:00:00Z. Inside the contracts this is
/// always the block's timestamp, never a wall clock.
public struct ConsensusTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let milliseconds: UInt64
    public init(milliseconds: UInt64) { self.milliseconds = milliseconds }
    public static func < (lhs: ConsensusTime, rhs: ConsensusTime) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public func adding(milliseconds: UInt64) -> ConsensusTime {
        // Saturates: a time pushed past the end of the range stays at the end instead of
        // wrapping to 1970 (which would turn "valid until" into "already expired").
        let (sum, overflow) = self.milliseconds.addingReportingOverflow(milliseconds)
        return ConsensusTime(milliseconds: overflow ? .max : sum)
    }
    public var description: String { ISO8601.format(milliseconds: milliseconds) }
}
