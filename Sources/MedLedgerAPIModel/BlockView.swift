import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Block {
    /// `GET /v1/blocks/{height}`: a committed block's header, transaction hashes and certificate.
    public init(_ block: StoredBlock) {
        let header = block.header
        self.init(
            height: Int(ledger: header.height.rawValue), hash: header.hash.hex, appHash: header.stateRoot.hex,
            previousHash: header.previousBlockHash.hex, time: header.time.description,
            timeMs: Int(ledger: header.time.milliseconds), transactionsRoot: header.transactionsRoot.hex,
            resultsRoot: header.resultsRoot.hex, validatorsHash: header.validatorsHash.hex,
            proposer: header.proposer.hex, transactions: block.transactions.map(\.hash.hex),
            certificate: .init(
                round: Int(block.certificate.round.rawValue),
                signatures: block.certificate.signatures.map {
                    .init(validator: $0.validator.hex, signature: .init($0.signature.rawBytes))
                }))
    }
}
