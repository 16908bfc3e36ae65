/// The key-encapsulation suite of an encryption key and of every HPKE envelope sealed to it.
///
/// Tags are part of the wire format (a key's extended encoding, key files, the API): never
/// renumber. Each suite fixes the whole HPKE ciphersuite (KEM, KDF, AEAD), and its
/// encapsulated key has a length no other suite shares, which is how an envelope names its
/// suite on the wire (`KeyEnvelope.suite`) without a byte of its own (ADR 11).
public enum EncryptionSuite: UInt8, TaggedEnum {
    /// HPKE `Curve25519_SHA256_ChachaPoly`: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
    /// ChaCha20-Poly1305 (0x0020, 0x0001, 0x0003). Classical; what every key was before ADR 11.
    case x25519 = 1
    /// HPKE `XWingMLKEM768X25519_SHA256_AES_GCM_256`: X-Wing (ML-KEM-768 + X25519,
    /// draft-connolly-cfrg-xwing-kem-06), HKDF-SHA256, AES-256-GCM (0x647a, 0x0001, 0x0002).
    /// Post-quantum hybrid: an envelope stays closed unless both ML-KEM-768 and X25519 fall.
    case xwing = 2

    public var tag: UInt8 { rawValue }
    public var name: String {
        switch self {
        case .x25519: "x25519"
        case .xwing: "xwing"
        }
    }
    public static let fieldName = "encryptionSuite"

    /// Length of a public key of this suite.
    public var publicKeyByteCount: Int {
        switch self {
        case .x25519: 32
        case .xwing: XWingKeyCheck.publicKeyByteCount
        }
    }

    /// Length of an HPKE encapsulated key (RFC 9180 `Nenc`) of this suite.
    public var encapsulatedKeyByteCount: Int {
        switch self {
        case .x25519: 32
        case .xwing: 1_120
        }
    }

    /// The suite whose encapsulated keys have `count` bytes, or nil for no known suite.
    public init?(encapsulatedKeyByteCount count: Int) {
        guard let suite = Self.allCases.first(where: { $0.encapsulatedKeyByteCount == count }) else { return nil }
        self = suite
    }
}

extension EncryptionSuite: Codable {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let suite = EncryptionSuite(name: name) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "unknown encryption suite \(name.prefix(40)); use x25519 or xwing"))
        }
        self = suite
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
