/// A signed request to change the ledger state.
///
/// The signature covers `signingBytes`: a domain tag, the chain id, the signer, the signer's
/// current public key, the signer's nonce and the payload (type tag + body). The chain id
/// stops a transaction from being replayed on another chain; the nonce, which must exceed
/// the signer's last committed nonce, stops it from being replayed on this one.
public struct Transaction: Hashable, Sendable {
    public static let domainTag = "medledger/tx/v1"

    public let chainID: String
    public let signer: IdentityID
    public let signerKey: PublicSigningKey
    public let nonce: Nonce
    public let payload: TransactionPayload
    public let signature: Signature
    /// The canonical bytes, kept so the node never re-encodes what it received.
    public let encoded: [UInt8]
    /// SHA-256 of `encoded`: the transaction's id and its Merkle leaf.
    public let hash: Hash256

    /// Signs a new transaction.
    public init(chainID: String, signer: IdentityID, keys: IdentityKeys, nonce: Nonce, payload: TransactionPayload) {
        let body = Transaction.signingBytes(
            chainID: chainID, signer: signer, signerKey: keys.publicSigningKey,
            nonce: nonce, payload: payload)
        self.init(
            chainID: chainID, signer: signer, signerKey: keys.publicSigningKey, nonce: nonce,
            payload: payload, signature: keys.sign(body), body: body)
    }

    private init(
        chainID: String, signer: IdentityID, signerKey: PublicSigningKey, nonce: Nonce,
        payload: TransactionPayload, signature: Signature, body: [UInt8]
    ) {
        self.chainID = chainID
        self.signer = signer
        self.signerKey = signerKey
        self.nonce = nonce
        self.payload = payload
        self.signature = signature
        var encoder = CanonicalEncoder(capacity: body.count + 64)
        encoder.write(fixed: body)
        encoder.write(signature)
        self.encoded = encoder.bytes
        self.hash = Hash256.of(encoder.bytes)
    }

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
        let bodyLength = decoder.offset
        let signature = try decoder.read(Signature.self)
        try decoder.finish()
        return Transaction(
            chainID: chainID, signer: signer, signerKey: signerKey, nonce: nonce,
            payload: payload, signature: signature, body: Array(bytes[0..<bodyLength]))
    }

    public static func == (lhs: Transaction, rhs: Transaction) -> Bool { lhs.encoded == rhs.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
}
