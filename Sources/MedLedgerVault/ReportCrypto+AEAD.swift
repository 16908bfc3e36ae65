import Crypto

extension ReportCrypto {
    /// AES-GCM with a random nonce, as `nonce || ciphertext || tag`. Two random 96-bit nonces
    /// under one fresh key (blob and metadata) are far inside GCM's limits.
    static func aesSeal(_ plaintext: [UInt8], key: SymmetricKey, aad: [UInt8]) throws(VaultError) -> [UInt8] {
        let combined: [UInt8]?
        do {
            combined = try AES.GCM.seal(plaintext, using: key, authenticating: aad).combined.map(Array.init)
        } catch {
            throw .encryptionFailed.with("AES-GCM seal failed: \(error)")
        }
        // `combined` is nil only for non-default nonce sizes, which are never used here.
        guard let combined else { throw .encryptionFailed.with("AES-GCM produced no combined form") }
        return combined
    }

    /// Opens `nonce || ciphertext || tag`. Short or altered input fails authentication; it never traps.
    static func aesOpen(_ combined: [UInt8], key: SymmetricKey, aad: [UInt8], what: String) throws(VaultError)
        -> [UInt8]
    {
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return Array(try AES.GCM.open(box, using: key, authenticating: aad))
        } catch {
            throw .decryptionFailed.with(
                "\(what) did not decrypt: wrong data key, wrong report id or version, or altered ciphertext")
        }
    }

    static func checkDataKey(_ key: SymmetricKey) throws(VaultError) {
        guard key.bitCount == dataKeyByteCount * 8 else {
            throw .invalidDataKey.with("data key is \(key.bitCount) bits, must be \(dataKeyByteCount * 8)")
        }
    }
}
