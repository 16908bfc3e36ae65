import MedLedgerCore

/// First frame each side sends: who it claims to be, on which chain, a fresh nonce, and a
/// fresh ephemeral X25519 key for this connection's session keys. Each side then signs the
/// transcript of both hellos (see `PeerIdentity.transcript`), so an `PeerAuth` belongs to
/// this one connection and to its direction, and can never be replayed or reflected.
struct PeerHello: Hashable, Sendable, CanonicalCodable {
    /// Distinct from every `PeerMessage` tag, so a frame out of order fails to decode.
    static let tag: UInt8 = 0xF0
    static let nonceBytes = 32

    let chainID: String
    let genesisHash: Hash256
    let nodeID: IdentityID
    let signingKey: PublicSigningKey
    let nonce: [UInt8]
    /// X25519 public key used once, for this connection's session keys.
    let ephemeralKey: PublicEncryptionKey

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.tag)
        encoder.write(chainID)
        encoder.write(genesisHash)
        encoder.write(nodeID)
        encoder.write(signingKey)
        encoder.write(fixed: nonce)
        encoder.write(ephemeralKey)
    }

    init(
        chainID: String, genesisHash: Hash256, nodeID: IdentityID, signingKey: PublicSigningKey, nonce: [UInt8],
        ephemeralKey: PublicEncryptionKey
    ) {
        self.chainID = chainID
        self.genesisHash = genesisHash
        self.nodeID = nodeID
        self.signingKey = signingKey
        self.nonce = nonce
        self.ephemeralKey = ephemeralKey
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
        ephemeralKey = try decoder.read(PublicEncryptionKey.self)
    }

    /// A fresh random nonce from the system generator.
    static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

/// Second frame each side sends: its signature over the transcript of both hellos (see
/// `PeerIdentity.authMessage`).
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
    static let authDomainTag = "medledger/p2p-auth/v2"
    static let transcriptDomainTag = "medledger/p2p-transcript/v2"

    let chainID: String
    let genesisHash: Hash256
    let validators: ValidatorSet
    let keys: IdentityKeys

    var nodeID: IdentityID { keys.identityID }

    func hello(nonce: [UInt8], ephemeralKey: PublicEncryptionKey) -> PeerHello {
        PeerHello(
            chainID: chainID, genesisHash: genesisHash, nodeID: nodeID,
            signingKey: keys.publicSigningKey, nonce: nonce, ephemeralKey: ephemeralKey)
    }

    /// The hash both sides sign: the chain, then the dialer's hello, then the listener's.
    /// Each side knows its own role, so a relay that makes both sides dial (or both listen)
    /// gets two different transcripts and neither signature verifies on the other link.
    static func transcript(chainID: String, genesisHash: Hash256, dialer: PeerHello, listener: PeerHello) -> Hash256 {
        var encoder = CanonicalEncoder()
        encoder.write(transcriptDomainTag)
        encoder.write(chainID)
        encoder.write(genesisHash)
        encoder.write(bytes: dialer.canonicalBytes)
        encoder.write(bytes: listener.canonicalBytes)
        return Hash256.of(encoder.bytes)
    }

    /// The bytes a node signs to prove it holds `signer`'s key on this connection.
    static func authMessage(transcript: Hash256, signer: IdentityID) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(authDomainTag)
        encoder.write(transcript)
        encoder.write(signer)
        return encoder.bytes
    }

    /// Our signature over the transcript of this connection.
    func auth(transcript: Hash256) -> PeerAuth {
        PeerAuth(signature: keys.sign(Self.authMessage(transcript: transcript, signer: nodeID)))
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
        if validator.signingKey != hello.signingKey {
            return "node \(hello.nodeID) presented a key that is not its validator key"
        }
        if hello.nodeID == nodeID { return "connected to itself" }
        if let expected, expected != hello.nodeID { return "dialed \(expected) but the peer is \(hello.nodeID)" }
        return nil
    }

    /// Why the peer's auth is refused, or nil when its signature covers this transcript.
    func problem(with auth: PeerAuth, from hello: PeerHello, transcript: Hash256) -> String? {
        let message = Self.authMessage(transcript: transcript, signer: hello.nodeID)
        return hello.signingKey.isValidSignature(auth.signature, for: message) ? nil : "bad handshake signature"
    }
}
