import MedLedgerCore
@testable import MedLedgerP2P

/// Four validators; this node is the first, and the second is the one it dialed.
let fixture: (identity: PeerIdentity, dialed: IdentityID) = {
    let keys = (0..<4).map { IdentityKeys.deterministic(seed: "fuzz-validator-\($0)") }
    let validators = ValidatorSet(
        keys.enumerated().map { index, key in
            Validator(
                name: "v\(index)", signingKey: key.publicSigningKey, encryptionKey: key.publicEncryptionKey, power: 1)
        })
    let identity = PeerIdentity(
        chainID: "fuzz-chain", genesisHash: Hash256.of(Array("fuzz-genesis".utf8)), validators: validators,
        keys: keys[0])
    return (identity, keys[1].identityID)
}()

/// What a peer controls before it is trusted: the certificate it presents in the TLS
/// handshake (any bytes as its DER), judged by `PeerIdentity.validator(presenting:expected:)`
/// as the verification callback does, and the hello it sends first inside TLS. Both answer
/// on any bytes and never trap; an accepted certificate is always a genesis validator's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for expected in [nil, fixture.dialed] {
        if case .success(let id) = fixture.identity.validator(presenting: bytes, expected: expected) {
            precondition(fixture.identity.validators.member(id) != nil, "accepted a key outside the genesis")
            precondition(id != fixture.identity.nodeID, "accepted our own certificate")
        }
    }
    if let hello = try? PeerHello.decode(canonical: bytes) {
        precondition(hello.canonicalBytes == bytes, "accepted a non-canonical hello")
        _ = fixture.identity.problem(with: hello)
    }
    return 0
}
