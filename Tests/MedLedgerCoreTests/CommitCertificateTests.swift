import Testing
import MedLedgerCore

@Suite struct CommitCertificateTests {
    let chainID = "medledger-consensus"
    let keys = (1...4).map { T.keys("validator-\($0)") }
    let outsider = T.keys("outsider")

    func validators(powers: [UInt64] = [1, 1, 1, 1]) -> ValidatorSet {
        ValidatorSet(
            zip(keys, powers).enumerated().map { index, pair in
                Validator(
                    name: "v\(index)", signingKey: pair.0.publicSigningKey, encryptionKey: pair.0.publicEncryptionKey,
                    power: pair.1)
            })
    }

    func header(validators: ValidatorSet) -> BlockHeader {
        BlockHeader(
            chainID: chainID, height: 7, time: ConsensusTime(milliseconds: 1_000), previousBlockHash: T.hash("prev"),
            lastCommitHash: .zero,
            transactionsRoot: .empty, resultsRoot: .empty, stateRoot: T.hash("state"),
            validatorsHash: validators.hash, proposer: keys[0].identityID)
    }

    func sign(
        _ signer: IdentityKeys, header: BlockHeader, round: Round = 0, chain: String? = nil,
        blockHash: Hash256? = nil, height: Height? = nil
    ) -> CommitSignature {
        let precommit = Precommit.vote(
            chainID: chain ?? chainID, height: height ?? header.height, round: round,
            blockHash: blockHash ?? header.hash, time: ConsensusTime(milliseconds: 0))
        return CommitSignature(
            validator: signer.identityID, time: ConsensusTime(milliseconds: 0),
            signature: signer.sign(precommit.canonicalBytes))
    }

    func certificate(_ signatures: [CommitSignature], header: BlockHeader, round: Round = 0) -> CommitCertificate {
        CommitCertificate(height: header.height, round: round, blockHash: header.hash, signatures: signatures)
    }

    @Test func allFourValidatorsFinalize() {
        let set = validators()
        let header = header(validators: set)
        let cert = certificate(keys.map { sign($0, header: header) }, header: header)
        #expect(cert.problem(chainID: chainID, header: header, validators: set) == nil)
    }

    @Test func threeOfFourFinalize() {
        let set = validators()
        let header = header(validators: set)
        for skipped in 0..<4 {
            let signers = keys.indices.filter { $0 != skipped }.map { keys[$0] }
            let cert = certificate(signers.map { sign($0, header: header) }, header: header)
            #expect(cert.problem(chainID: chainID, header: header, validators: set) == nil, "without \(skipped)")
        }
    }

    @Test func twoOfFourDoNotFinalize() throws {
        let set = validators()
        let header = header(validators: set)
        let cert = certificate([sign(keys[0], header: header), sign(keys[3], header: header)], header: header)
        let problem = try #require(cert.problem(chainID: chainID, header: header, validators: set))
        #expect(problem.contains("two thirds"))
        #expect(certificate([], header: header).problem(chainID: chainID, header: header, validators: set) != nil)
    }

    @Test func exactlyTwoThirdsOfPowerIsNotEnough() {
        // Total power 6: 4 (= 2/3) fails, 5 passes.
        let set = validators(powers: [1, 1, 1, 3])
        let header = header(validators: set)
        let fourOfSix = certificate([sign(keys[3], header: header), sign(keys[0], header: header)], header: header)
        #expect(fourOfSix.problem(chainID: chainID, header: header, validators: set) != nil)
        let fiveOfSix = certificate(
            [
                sign(keys[3], header: header), sign(keys[0], header: header),
                sign(keys[1], header: header),
            ], header: header)
        #expect(fiveOfSix.problem(chainID: chainID, header: header, validators: set) == nil)
    }

    @Test func singleValidatorFinalizesAlone() {
        let set = ValidatorSet([
            Validator(
                name: "solo", signingKey: keys[0].publicSigningKey,
                encryptionKey: keys[0].publicEncryptionKey, power: 1)
        ])
        let header = header(validators: set)
        #expect(
            certificate([sign(keys[0], header: header)], header: header)
                .problem(chainID: chainID, header: header, validators: set) == nil)
    }

    @Test func wrongBlockHashIsRejected() throws {
        let set = validators()
        let header = header(validators: set)
        let other = T.hash("another block")
        let cert = CommitCertificate(
            height: header.height, round: 0, blockHash: other,
            signatures: keys.map { sign($0, header: header, blockHash: other) })
        let problem = try #require(cert.problem(chainID: chainID, header: header, validators: set))
        #expect(problem.contains("names block"))
    }

    @Test func wrongHeightIsRejected() {
        let set = validators()
        let header = header(validators: set)
        let cert = CommitCertificate(
            height: 8, round: 0, blockHash: header.hash,
            signatures: keys.map { sign($0, header: header, height: 8) })
        #expect(cert.problem(chainID: chainID, header: header, validators: set) != nil)
    }

    @Test func nonValidatorSignerIsRejected() throws {
        let set = validators()
        let header = header(validators: set)
        let cert = certificate(keys.map { sign($0, header: header) } + [sign(outsider, header: header)], header: header)
        let problem = try #require(cert.problem(chainID: chainID, header: header, validators: set))
        #expect(problem.contains("not a validator"))
    }

    @Test func duplicateSignerIsRejected() throws {
        let set = validators()
        let header = header(validators: set)
        // Two valid signatures by the same validator must not count twice (randomized Ed25519
        // makes them different bytes).
        let cert = certificate(
            [
                sign(keys[0], header: header), sign(keys[0], header: header),
                sign(keys[1], header: header),
            ], header: header)
        let problem = try #require(cert.problem(chainID: chainID, header: header, validators: set))
        #expect(problem.contains("twice"))
    }

    @Test func badSignatureIsRejected() throws {
        let set = validators()
        let header = header(validators: set)
        var signatures = keys.map { sign($0, header: header) }
        var raw = signatures[2].signature.rawBytes
        raw[10] ^= 0x01
        signatures[2] = CommitSignature(
            validator: signatures[2].validator, time: ConsensusTime(milliseconds: 0),
            signature: Signature(rawBytes: raw)!)
        let problem = try #require(
            certificate(signatures, header: header).problem(chainID: chainID, header: header, validators: set))
        #expect(problem.contains("bad signature"))
    }

    @Test func signatureForAnotherRoundOrChainIsRejected() {
        let set = validators()
        let header = header(validators: set)
        let otherRound = certificate(keys.map { sign($0, header: header, round: 1) }, header: header, round: 0)
        #expect(otherRound.problem(chainID: chainID, header: header, validators: set) != nil)
        let otherChain = certificate(keys.map { sign($0, header: header, chain: "other-chain") }, header: header)
        #expect(otherChain.problem(chainID: chainID, header: header, validators: set) != nil)
        // Signatures by validator A attributed to validator B.
        let swapped = certificate(
            keys.indices.map {
                CommitSignature(
                    validator: keys[$0].identityID, time: ConsensusTime(milliseconds: 0),
                    signature: sign(keys[($0 + 1) % 4], header: header).signature)
            }, header: header)
        #expect(swapped.problem(chainID: chainID, header: header, validators: set) != nil)
    }

    @Test func signaturesAreSortedAndRoundTrip() throws {
        let set = validators()
        let header = header(validators: set)
        let cert = certificate(keys.reversed().map { sign($0, header: header) }, header: header)
        #expect(cert.signatures.map(\.validator) == cert.signatures.map(\.validator).sorted())
        let decoded = try CommitCertificate.decode(canonical: cert.canonicalBytes)
        #expect(decoded == cert)
        #expect(decoded.problem(chainID: chainID, header: header, validators: set) == nil)
    }

    @Test func validatorSetIsSortedAndHashedIndependentlyOfInputOrder() {
        let a = validators()
        let b = ValidatorSet(a.validators.reversed())
        #expect(a == b)
        #expect(a.hash == b.hash)
        #expect(a.totalPower == 4)
        #expect(a.validators.map(\.id) == a.validators.map(\.id).sorted())
        #expect(a.member(keys[2].identityID)?.name != nil)
        #expect(a.member(outsider.identityID) == nil)
    }
}

/// Issue 6.7: one decision has exactly one certificate encoding.
extension CommitCertificateTests {
    @Test func reorderedSignaturesAreRefused() throws {
        let set = validators()
        let header = header(validators: set)
        let sorted = certificate(keys.map { sign($0, header: header) }, header: header)
        #expect(sorted.problem(chainID: chainID, header: header, validators: set) == nil)
        // Re-encode with the first two signatures swapped: a distinct hash for the same decision.
        var encoder = CanonicalEncoder()
        encoder.write(sorted.height)
        encoder.write(sorted.round)
        encoder.write(sorted.blockHash)
        var swapped = sorted.signatures
        swapped.swapAt(0, 1)
        encoder.write(array: swapped)
        let reordered = try CommitCertificate.decode(canonical: encoder.bytes)
        #expect(reordered.hash != sorted.hash)
        #expect(
            reordered.problem(chainID: chainID, header: header, validators: set)
                == "signatures are not sorted by validator id")
    }
}
