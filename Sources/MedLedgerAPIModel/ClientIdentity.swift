import MedLedgerCore

/// A person or organization using MedLedger: a name for messages, an id and private keys.
public struct ClientIdentity: Sendable {
    public let label: String
    public let id: IdentityID
    public let keys: IdentityKeys
    public init(label: String, id: IdentityID, keys: IdentityKeys) {
        self.label = label
        self.id = id
        self.keys = keys
    }
    public init(label: String, keys: IdentityKeys) {
        self.init(label: label, id: keys.identityID, keys: keys)
    }
}
