/// Keys and ids appear in JSON (genesis file, API) as lower-case hex strings.
protocol HexCodable: Codable {
    init?(hex: String)
    var hex: String { get }
}

extension HexCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(hex: text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "not a valid \(Self.self) in hex: \(text.prefix(80))"))
        }
        self = value
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension PublicSigningKey: HexCodable {
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(rawBytes: bytes)
    }
}
extension PublicEncryptionKey: HexCodable {
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(rawBytes: bytes)
    }
}
extension IdentityID: HexCodable {}
extension OpaqueID: HexCodable {}
