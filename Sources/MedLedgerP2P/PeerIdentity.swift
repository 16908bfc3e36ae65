import MedLedgerCore

/// The first frame each side sends inside TLS: which chain it is on. TLS already told us
/// which validator is on the other end (its certificate key); the hello makes sure we also
/// agree on the chain, so a validator key reused on another chain (another genesis) does not
/// link two networks.
struct PeerHello: Hashable, Sendable, CanonicalCodable {
    /// Distinct from every `PeerMessage` tag, so a frame out of order fails to decode.
    static let tag: UInt8 = 0xF0

    let chainID: String
    let genesisHash: Hash256

    init(chainID: String, genesisHash: Hash256) {
        self.chainID = chainID
        self.genesisHash = genesisHash
    }

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.tag)
        encoder.write(chainID)
        encoder.write(genesisHash)
    }

    init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readUInt8("hello") == Self.tag else {
            throw CanonicalDecodingError(field: "hello", reason: "expected a hello frame")
        }
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        genesisHash = try decoder.read(Hash256.self)
    }
}

/// This node's side of a peer link: who it is, and how it judges who is on the other end.
struct PeerIdentity: Sendable {
    let chainID: String
    let genesisHash: Hash256
    let validators: ValidatorSet
    let keys: IdentityKeys

    var nodeID: IdentityID { keys.identityID }

    var hello: PeerHello { PeerHello(chainID: chainID, genesisHash: genesisHash) }

    /// The validator whose certificate a peer presented in the TLS handshake, or why it is
    /// refused. `expected` is the node we dialed (nil for inbound connections).
    /// - Parameter leafDER: the peer's leaf certificate, nil when it sent none.
    func validator(presenting leafDER: [UInt8]?, expected: IdentityID?) -> Result<IdentityID, PeerCertificateProblem> {
        guard let leafDER else { return .failure(PeerCertificateProblem("no certificate presented")) }
        let key: PublicSigningKey
        switch PeerCertificate.signingKey(der: leafDER) {
        case .failure(let problem): return .failure(problem)
        case .success(let found): key = found
        }
        let id = IdentityID(signingKey: key)
        guard let validator = validators.member(id), validator.signingKey == key else {
            return .failure(PeerCertificateProblem("certificate key \(id) is not a validator of the genesis"))
        }
        if id == nodeID { return .failure(PeerCertificateProblem("connected to itself")) }
        if let expected, expected != id {
            return .failure(PeerCertificateProblem("dialed \(expected) but the peer is \(id)"))
        }
        return .success(id)
    }

    /// Why the peer's hello is refused, or nil when it names our chain.
    func problem(with hello: PeerHello) -> String? {
        if hello.chainID != chainID { return "wrong chain id \(hello.chainID), expected \(chainID)" }
        if hello.genesisHash != genesisHash { return "wrong genesis hash \(hello.genesisHash)" }
        return nil
    }
}
