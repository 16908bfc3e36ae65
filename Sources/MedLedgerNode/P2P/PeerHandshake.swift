import MedLedgerCore

/// First frame each side sends: who it claims to be, on which chain, and a fresh nonce the
/// other side must sign (so an `PeerAuth` can never be replayed on another connection).
struct PeerHello: Hashable, Sendable, CanonicalCodable {
    /// Distinct from every `PeerMessage` tag, so a frame out of order fails to decode.
    static let tag: UInt8 = 0xF0
    static let nonceBytes = 32

    let chainID: String
    let genesisHash: Hash256
    let nodeID: IdentityID
    let signingKey: PublicSigningKey
    let nonce: [UInt8]

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.tag)
        encoder.write(chainID)
        encoder.write(genesisHash)
        encoder.write(nodeID)
        encoder.write(signingKey)
        encoder.write(fixed: nonce)
    }

    init(chainID: String, genesisHash: Hash256, nodeID: IdentityID, signingKey: PublicSigningKey, nonce: [UInt8]) {
        self.chainID = chainID
        self.genesisHash = genesisHash
        self.nodeID = nodeID
        self.signingKey = signingKey
        self.nonce = nonce
    }

    init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readUInt8("hello") == Self.tag else {
            throw CanonicalDecodingError(field: "hello", reason: "expected a hello frame")
        }
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        genesisHash = try decoder.read(Hash256.self)
        nodeID = try decoder.read(IdentityID.self)
        signingKey = try decoder.read(PublicSigningKey.self)
        nonce = try decoder.readFixed("nonce", count: Self.nonceBytes)
    }

    /// A fresh random nonce from the system generator.
    static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

/// Second frame each side sends: its signature over the peer's nonce (see `PeerIdentity.authMessage`).
struct PeerAuth: Hashable, Sendable, CanonicalCodable {
    static let tag: UInt8 = 0xF1
    let signature: Signature

    init(signature: Signature) { self.signature = signature }

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.tag)
        encoder.write(signature)
    }

    init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readUInt8("auth") == Self.tag else {
            throw CanonicalDecodingError(field: "auth", reason: "expected an auth frame")
        }
        signature = try decoder.read(Signature.self)
    }
}

/// This node's side of the handshake: what it claims, and how it judges a peer's claims.
struct PeerIdentity: Sendable {
    static let authDomainTag = "medledger/p2p-auth/v1"

    let chainID: String
    let genesisHash: Hash256
    let validators: ValidatorSet
    let keys: IdentityKeys

    var nodeID: IdentityID { keys.identityID }

    func hello(nonce: [UInt8]) -> PeerHello {
        PeerHello(chainID: chainID, genesisHash: genesisHash, nodeID: nodeID,
                  signingKey: keys.publicSigningKey, nonce: nonce)
    }

    /// The bytes a node signs to prove it holds `nodeID`'s key on this connection:
    /// canonical(domain tag, chain id, genesis hash, the verifier's nonce, signer's node id).
    static func authMessage(chainID: String, genesisHash: Hash256, nonce: [UInt8], signer: IdentityID) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(authDomainTag)
        encoder.write(chainID)
        encoder.write(genesisHash)
        encoder.write(fixed: nonce)
        encoder.write(signer)
        return encoder.bytes
    }

    /// Our answer to the peer's hello: a signature over the peer's nonce.
    func auth(answering hello: PeerHello) -> PeerAuth {
        PeerAuth(signature: keys.sign(Self.authMessage(chainID: chainID, genesisHash: genesisHash,
                                                       nonce: hello.nonce, signer: nodeID)))
    }

    /// Why the peer's hello is refused, or nil when it is acceptable.
    /// `expected` is the node we dialed (nil for inbound connections).
    func problem(with hello: PeerHello, expected: IdentityID?) -> String? {
        if hello.chainID != chainID { return "wrong chain id \(hello.chainID), expected \(chainID)" }
        if hello.genesisHash != genesisHash { return "wrong genesis hash \(hello.genesisHash)" }
        if IdentityID(signingKey: hello.signingKey) != hello.nodeID {
            return "signing key does not hash to the claimed node id \(hello.nodeID)"
        }
        guard let validator = validators.member(hello.nodeID) else {
            return "node \(hello.nodeID) is not a validator of the genesis"
        }
        if validator.signingKey != hello.signingKey { return "node \(hello.nodeID) presented a key that is not its validator key" }
        if hello.nodeID == nodeID { return "connected to itself" }
        if let expected, expected != hello.nodeID { return "dialed \(expected) but the peer is \(hello.nodeID)" }
        return nil
    }

    /// Why the peer's auth is refused, or nil when its signature covers our nonce.
    func problem(with auth: PeerAuth, from hello: PeerHello, ourNonce: [UInt8]) -> String? {
        let message = Self.authMessage(chainID: chainID, genesisHash: genesisHash, nonce: ourNonce, signer: hello.nodeID)
        return hello.signingKey.isValidSignature(auth.signature, for: message) ? nil : "bad handshake signature"
    }
}
