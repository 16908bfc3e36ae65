import MedLedgerCore
import MedLedgerContracts

/// The second block of a Byzantine proposer's equivocation.
enum SimulatedBlock {
    /// Another block for the same height. Half the time a valid one when possible: the same
    /// transactions with another subset of the last commit (any subset with more than two
    /// thirds of the power is a valid certificate, and its median gives the block another
    /// time). Otherwise an invalid one: a made-up results root, which only executing the
    /// block reveals.
    static func alternative(to block: Block, rules: BlockValidator, random: inout SimulationRandom) -> Block {
        let header = block.header
        if random.chance(permille: 500), block.transactions.isEmpty, let lastCommit = block.lastCommit,
            let subset = smallerQuorum(lastCommit, validators: rules.validators, random: &random)
        {
            let time = rules.expectedTime(height: header.height, lastCommit: subset)
            let alternative = BlockHeader(
                chainID: header.chainID, height: header.height, time: time, previousBlockHash: header.previousBlockHash,
                lastCommitHash: subset.hash, transactionsRoot: header.transactionsRoot, resultsRoot: header.resultsRoot,
                stateRoot: header.stateRoot, validatorsHash: header.validatorsHash, proposer: header.proposer)
            return Block(header: alternative, lastCommit: subset, transactions: block.transactions)
        }
        let invalid = BlockHeader(
            chainID: header.chainID, height: header.height, time: header.time,
            previousBlockHash: header.previousBlockHash,
            lastCommitHash: header.lastCommitHash, transactionsRoot: header.transactionsRoot,
            resultsRoot: Hash256(bytes: random.bytes(32))!, stateRoot: header.stateRoot,
            validatorsHash: header.validatorsHash, proposer: header.proposer)
        return Block(header: invalid, lastCommit: block.lastCommit, transactions: block.transactions)
    }

    /// The certificate without one signature, if what is left still has more than two
    /// thirds of the power.
    static func smallerQuorum(
        _ certificate: CommitCertificate, validators: ValidatorSet,
        random: inout SimulationRandom
    ) -> CommitCertificate? {
        guard certificate.signatures.count > 1 else { return nil }
        var signatures = certificate.signatures
        signatures.remove(at: random.index(signatures.count))
        let power = signatures.reduce(UInt64(0)) { $0 + (validators.member($1.validator)?.power ?? 0) }
        guard power * 3 > validators.totalPower * 2 else { return nil }
        return CommitCertificate(
            height: certificate.height, round: certificate.round, blockHash: certificate.blockHash,
            signatures: signatures)
    }
}
