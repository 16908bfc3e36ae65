import MedLedgerCore
@testable import MedLedgerNode

/// Four validators; this node is the first. The peer's hello and auth are checked against them.
let fixture: (identity: PeerIdentity, peerHello: PeerHello, ourNonce: [UInt8]) = {
    let keys = (0..<4).map { IdentityKeys.deterministic(seed: "fuzz-validator-\($0)") }
    let validators = ValidatorSet(keys.enumerated().map { index, key in
        Validator(name: "v\(index)", signingKey: key.publicSigningKey, encryptionKey: key.publicEncryptionKey, power: 1)
    })
    let genesisHash = Hash256.of(Array("fuzz-genesis".utf8))
    let identity = PeerIdentity(chainID: "fuzz-chain", genesisHash: genesisHash, validators: validators, keys: keys[0])
    let peer = PeerIdentity(chainID: "fuzz-chain", genesisHash: genesisHash, validators: validators, keys: keys[1])
    return (identity, peer.hello(nonce: [UInt8](repeating: 7, count: PeerHello.nonceBytes)),
            [UInt8](repeating: 9, count: PeerHello.nonceBytes))
}()

/// The two handshake frames a peer sends before it is trusted: `PeerHello` and `PeerAuth`
/// decoding, and the checks of both, answer or throw on any bytes, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let hello = try? PeerHello.decode(canonical: bytes) {
        precondition(hello.canonicalBytes == bytes, "accepted a non-canonical hello")
        _ = fixture.identity.problem(with: hello, expected: nil)
        _ = fixture.identity.problem(with: hello, expected: fixture.peerHello.nodeID)
        _ = fixture.identity.auth(answering: hello)
    }
    if let auth = try? PeerAuth.decode(canonical: bytes) {
        precondition(auth.canonicalBytes == bytes, "accepted a non-canonical auth")
        _ = fixture.identity.problem(with: auth, from: fixture.peerHello, ourNonce: fixture.ourNonce)
    }
    return 0
}
