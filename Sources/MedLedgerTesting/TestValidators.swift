import MedLedgerCore

/// The validators of a test genesis, shared by the peer-network suites of two test targets.
public enum TestValidators {
    /// One validator of power 1 per key, named node0, node1, … in the keys' order.
    public static func from(_ keys: [IdentityKeys]) -> [Validator] {
        keys.enumerated().map {
            Validator(
                name: "node\($0.offset)", signingKey: $0.element.publicSigningKey,
                encryptionKey: $0.element.publicEncryptionKey, power: 1)
        }
    }
}
