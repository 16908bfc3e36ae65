import Foundation
import Crypto

/// An identity's private keys on disk (JSON, hex, file mode 0600). Key files never leave
/// the machine of their owner; the ledger holds only the public halves.
public struct KeyFile: Codable, Sendable {
    public var label: String
    public var signingKey: String
    /// The private encryption key: an X25519 scalar or an X-Wing seed, 32 bytes either way.
    public var encryptionKey: String
    /// `x25519` or `xwing`; absent in files written before suites existed, which are X25519.
    public var encryptionSuite: EncryptionSuite?
    /// The identity id, kept once known (for rotated keys it differs from the key's hash).
    public var identity: String?

    public init(label: String, keys: IdentityKeys, identity: IdentityID? = nil) {
        self.label = label
        self.signingKey = Hex.encode(keys.signing.rawRepresentation)
        self.encryptionKey = Hex.encode(keys.encryption.rawRepresentation)
        self.encryptionSuite = keys.encryption.suite
        self.identity = (identity ?? keys.identityID).hex
    }

    public func keys() throws -> IdentityKeys {
        guard let signing = Hex.decode(signingKey), signing.count == 32,
            let encryption = Hex.decode(encryptionKey), encryption.count == 32
        else {
            throw NodeError(.invalid, field: "signingKey", "key file keys must be 64 hex characters each")
        }
        return IdentityKeys(
            signing: try .init(rawRepresentation: signing),
            encryption: try PrivateEncryptionKey(suite: encryptionSuite ?? .x25519, rawRepresentation: encryption))
    }

    public func identityID() throws -> IdentityID {
        if let identity {
            guard let id = IdentityID(hex: identity) else {
                throw NodeError(.invalid, field: "identity", "not a 64-character hex identity id")
            }
            return id
        }
        return try keys().identityID
    }

    public static func load(_ url: URL) throws -> KeyFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NodeError(.notFound, field: "key", "cannot read key file \(url.path)")
        }
        do { return try decode(json: data) } catch {
            throw NodeError(.invalid, field: "key", "\(url.path) is not a MedLedger key file: \(error)")
        }
    }

    /// Reads a key file's JSON (what `load` does after reading the file).
    public static func decode(json: Data) throws -> KeyFile {
        try JSONDecoder().decode(KeyFile.self, from: json)
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: data,
                attributes: [.posixPermissions: 0o600])
        else {
            throw NodeError(.internalFailure, field: "out", "cannot write key file \(url.path)")
        }
    }
}
