/// Checks that 1,216 bytes can be an X-Wing public key (draft-connolly-cfrg-xwing-kem-06):
/// an ML-KEM-768 encapsulation key (1,184 bytes) then an X25519 key (32 bytes).
///
/// swift-crypto checks only the length; BoringSSL would refuse a bad key later, at
/// encapsulation. Checking when a key is decoded means a key nobody can seal to never gets
/// onto the ledger, where every report's author would meet it. Both checks are cheap and
/// deterministic (no key agreement), because keys are decoded on every transaction.
public enum XWingKeyCheck {
    public static let publicKeyByteCount = 1_216
    static let mlkemPublicKeyByteCount = 1_184
    /// 3 polynomials of 256 coefficients, 12 bits each: 1,152 bytes, then the 32-byte seed ρ.
    static let mlkemPolynomialBytes = 1_152
    static let mlkemModulus: UInt16 = 3_329

    /// Nil when the key is usable; else why not.
    public static func problem(_ raw: [UInt8]) -> String? {
        guard raw.count == publicKeyByteCount else {
            return "an X-Wing public key is \(publicKeyByteCount) bytes, not \(raw.count)"
        }
        guard mlkemCoefficientsReduced(raw) else {
            return "its ML-KEM-768 part fails the FIPS 203 modulus check (a coefficient is 3329 or more)"
        }
        guard PublicEncryptionKey.hasFullOrder(Array(raw[mlkemPublicKeyByteCount...])) else {
            return "its X25519 part is a small-order point"
        }
        return nil
    }

    /// FIPS 203 §7.2 encapsulation-key check: every 12-bit coefficient of t̂ is below q, i.e.
    /// ByteEncode12(ByteDecode12(t̂)) = t̂.
    static func mlkemCoefficientsReduced(_ raw: [UInt8]) -> Bool {
        precondition(raw.count >= mlkemPolynomialBytes)
        var index = 0
        while index < mlkemPolynomialBytes {
            let b0 = UInt16(raw[index])
            let b1 = UInt16(raw[index + 1])
            let b2 = UInt16(raw[index + 2])
            let low = b0 | (b1 & 0x0f) << 8
            let high = b1 >> 4 | b2 << 4
            if low >= mlkemModulus || high >= mlkemModulus { return false }
            index += 3
        }
        return true
    }
}
