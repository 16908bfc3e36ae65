/// Proof that whoever holds a signing key chose the encryption key registered with it: an
/// Ed25519 signature by that signing key over both keys.
///
/// Without it an organization admin could register a patient's signing key (seen in a
/// pending self-registration) together with an encryption key the admin holds, and read every
/// report key wrapped to that patient. A key rotation carries one by the new signing key.
public enum KeyProof {
    static let domainTag = "medledger/key-proof/v1"

    /// The bytes the signing key signs.
    public static func message(signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(domainTag)
        encoder.write(signingKey)
        encoder.write(encryptionKey)
        return encoder.bytes
    }

    /// A proof by `keys` for its own two public keys.
    public static func make(_ keys: IdentityKeys) -> Signature {
        keys.sign(message(signingKey: keys.publicSigningKey, encryptionKey: keys.publicEncryptionKey))
    }

    public static func verifies(_ proof: Signature, signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey)
        -> Bool
    {
        signingKey.isValidSignature(proof, for: message(signingKey: signingKey, encryptionKey: encryptionKey))
    }
}
