import Crypto
import MedLedgerCore
@testable import MedLedgerP2P

let fuzzGenesisHash = Hash256.of(Array("fuzz-genesis".utf8))

/// Four validators; this node is the first. The peer's hello and auth are checked against them.
let fixture: (identity: PeerIdentity, peerHello: PeerHello, transcript: Hash256, session: PeerSession) = {
    let keys = (0..<4).map { IdentityKeys.deterministic(seed: "fuzz-validator-\($0)") }
    let validators = ValidatorSet(
        keys.enumerated().map { index, key in
            Validator(
                name: "v\(index)", signingKey: key.publicSigningKey, encryptionKey: key.publicEncryptionKey, power: 1)
        })
    let genesisHash = fuzzGenesisHash
    let identity = PeerIdentity(chainID: "fuzz-chain", genesisHash: genesisHash, validators: validators, keys: keys[0])
    let peer = PeerIdentity(chainID: "fuzz-chain", genesisHash: genesisHash, validators: validators, keys: keys[1])
    let peerHello = peer.hello(
        nonce: [UInt8](repeating: 7, count: PeerHello.nonceBytes), ephemeralKey: keys[1].publicEncryptionKey)
    let ownHello = identity.hello(
        nonce: [UInt8](repeating: 9, count: PeerHello.nonceBytes), ephemeralKey: keys[0].publicEncryptionKey)
    let transcript = PeerIdentity.transcript(
        chainID: "fuzz-chain", genesisHash: genesisHash, dialer: ownHello, listener: peerHello)
    // The identity keys are X25519 (the default suite); the fuzz session reuses them as ephemerals.
    guard case .x25519(let ephemeral) = keys[0].encryption else { fatalError("fuzz keys must be X25519") }
    let session = try! PeerSession(
        ephemeral: ephemeral, peerEphemeral: keys[1].publicEncryptionKey,
        transcript: transcript, isDialer: true)
    return (identity, peerHello, transcript, session)
}()

/// The two handshake frames a peer sends before it is trusted: `PeerHello` and `PeerAuth`
/// decoding, and the checks of both, answer or throw on any bytes, never trap; and any bytes
/// as a sealed frame of an established session are refused without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let hello = try? PeerHello.decode(canonical: bytes) {
        precondition(hello.canonicalBytes == bytes, "accepted a non-canonical hello")
        _ = fixture.identity.problem(with: hello, expected: nil)
        _ = fixture.identity.problem(with: hello, expected: fixture.peerHello.nodeID)
        let transcript = PeerIdentity.transcript(
            chainID: "fuzz-chain", genesisHash: fuzzGenesisHash,
            dialer: fixture.peerHello, listener: hello)
        _ = fixture.identity.auth(transcript: transcript)
        _ = try? PeerSession(
            ephemeral: Curve25519.KeyAgreement.PrivateKey(), peerEphemeral: hello.ephemeralKey,
            transcript: transcript, isDialer: false)
    }
    if let auth = try? PeerAuth.decode(canonical: bytes) {
        precondition(auth.canonicalBytes == bytes, "accepted a non-canonical auth")
        _ = fixture.identity.problem(with: auth, from: fixture.peerHello, transcript: fixture.transcript)
    }
    var session = fixture.session
    _ = try? session.open(bytes)
    return 0
}
