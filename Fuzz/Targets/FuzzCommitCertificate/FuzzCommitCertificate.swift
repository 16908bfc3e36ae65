import MedLedgerCore

/// A fixed four-validator set and a header for the certificates to be checked against.
let fixture: (validators: ValidatorSet, header: BlockHeader) = {
    let validators = ValidatorSet(
        (0..<4).map { index in
            let keys = IdentityKeys.deterministic(seed: "fuzz-validator-\(index)")
            return Validator(
                name: "v\(index)", signingKey: keys.publicSigningKey,
                encryptionKey: keys.publicEncryptionKey, power: 10)
        })
    let header = BlockHeader(
        chainID: "fuzz-chain", height: 1, time: ConsensusTime(milliseconds: 0),
        previousBlockHash: .zero, lastCommitHash: .zero, transactionsRoot: .zero,
        resultsRoot: .zero, stateRoot: .zero, validatorsHash: validators.hash,
        proposer: validators.validators[0].id)
    return (validators, header)
}()

/// Commit certificates as peers send them (with synced blocks and inside block bodies):
/// decoding and `problem(chainID:header:validators:)` throw or answer, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommitCertificate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let certificate = try? CommitCertificate.decode(canonical: bytes) else { return 0 }
    precondition(certificate.canonicalBytes == bytes, "accepted a non-canonical certificate")
    _ = certificate.hash
    if certificate.problem(chainID: "fuzz-chain", header: fixture.header, validators: fixture.validators) == nil {
        _ = certificate.medianTime(validators: fixture.validators)
    }
    return 0
}
