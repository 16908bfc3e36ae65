/// A signed request to change the ledger state.
///
/// The signature covers `signingBytes`: a domain tag, the chain id, the signer, the signer's
/// current public key, the signer's nonce and the payload (type tag + body). The chain id
/// stops a transaction from being replayed on another chain; the nonce, which must exceed
/// the signer's last committed nonce, stops it from being replayed on this one.
public struct Transaction: Hashable, Sendable {
    public static let domainTag = "medledger/tx/v1"

    /// The fields live in one immutable object, so a copy is one retain. A node copies
    /// transactions between its mempool, proposals, blocks and receipts, and copying eight
    /// fields (six of them references) was 2.5 % of a validator's samples in a profiled burst.
    private let storage: Storage

    public var chainID: String { storage.chainID }
    public var signer: IdentityID { storage.signer }
    public var signerKey: PublicSigningKey { storage.signerKey }
    public var nonce: Nonce { storage.nonce }
    public var payload: TransactionPayload { storage.payload }
    public var signature: Signature { storage.signature }
    /// The canonical bytes, kept so the node never re-encodes what it received.
    public var encoded: [UInt8] { storage.encoded }
    /// SHA-256 of `encoded`: the transaction's id and its Merkle leaf.
    public var hash: Hash256 { storage.hash }

    private final class Storage: Sendable {
        let chainID: String
        let signer: IdentityID
        let signerKey: PublicSigningKey
        let nonce: Nonce
        let payload: TransactionPayload
        let signature: Signature
        let encoded: [UInt8]
        let hash: Hash256

        init(
            chainID: String, signer: IdentityID, signerKey: PublicSigningKey, nonce: Nonce,
            payload: TransactionPayload, signature: Signature, encoded: [UInt8]
        ) {
            self.chainID = chainID
            self.signer = signer
            self.signerKey = signerKey
            self.nonce = nonce
            self.payload = payload
            self.signature = signature
            self.encoded = encoded
            self.hash = Hash256.of(encoded)
        }
    }

    /// Signs a new transaction.
    public init(chainID: String, signer: IdentityID, keys: IdentityKeys, nonce: Nonce, payload: TransactionPayload) {
        let body = Transaction.signingBytes(
            chainID: chainID, signer: signer, signerKey: keys.publicSigningKey,
            nonce: nonce, payload: payload)
        let signature = keys.sign(body)
        var encoder = CanonicalEncoder(capacity: body.count + 64)
        encoder.write(fixed: body)
        encoder.write(signature)
        storage = Storage(
            chainID: chainID, signer: signer, signerKey: keys.publicSigningKey, nonce: nonce,
            payload: payload, signature: signature, encoded: encoder.bytes)
    }

    private init(storage: Storage) { self.storage = storage }

    /// The bytes the signer signs.
    public static func signingBytes(
        chainID: String, signer: IdentityID, signerKey: PublicSigningKey,
        nonce: Nonce, payload: TransactionPayload
    ) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(domainTag)
        encoder.write(chainID)
        encoder.write(signer)
        encoder.write(signerKey)
        encoder.write(nonce)
        encoder.write(payload)
        return encoder.bytes
    }

    public var signingBytes: [UInt8] { Array(encoded.dropLast(64)) }

    /// True when the signature verifies against the key carried in the transaction.
    /// Whether that key is the signer's current key is the contract's question.
    public var hasValidSignature: Bool { signerKey.isValidSignature(signature, for: signingBytes) }

    /// Reads a transaction from its canonical bytes, refusing oversized or non-canonical input.
    public static func decode(_ bytes: [UInt8]) throws(CanonicalDecodingError) -> Transaction {
        guard bytes.count <= Limits.transactionMaxBytes else {
            throw CanonicalDecodingError(
                field: "transaction", reason: "\(bytes.count) bytes exceeds limit \(Limits.transactionMaxBytes)")
        }
        var decoder = CanonicalDecoder(bytes)
        let tag = try decoder.readString("domainTag", maxBytes: 32)
        guard tag == domainTag else {
            throw CanonicalDecodingError(field: "domainTag", reason: "expected \(domainTag)")
        }
        let chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        let signer = try decoder.read(IdentityID.self)
        let signerKey = try decoder.read(PublicSigningKey.self)
        let nonce = try decoder.read(Nonce.self)
        let payload = try decoder.read(TransactionPayload.self)
        let signature = try decoder.read(Signature.self)
        try decoder.finish()
        // Every byte was read, so `bytes` is exactly the body and the signature: kept as
        // they came instead of copied into a new encoding.
        return Transaction(
            storage: Storage(
                chainID: chainID, signer: signer, signerKey: signerKey, nonce: nonce,
                payload: payload, signature: signature, encoded: bytes))
    }

    public static func == (lhs: Transaction, rhs: Transaction) -> Bool { lhs.encoded == rhs.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
