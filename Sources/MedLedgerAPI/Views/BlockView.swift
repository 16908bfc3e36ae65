import MedLedgerCore
import MedLedgerStorage

/// `GET /v1/blocks/{height}`: a committed block's header, transaction hashes and certificate.
struct BlockView: Encodable {
    struct SignatureView: Encodable {
        let validator: String
        let signature: String
    }
    struct CertificateView: Encodable {
        let round: UInt32
        let signatures: [SignatureView]
    }

    let height: UInt64
    let hash: String
    /// The state root after this block (`header.stateRoot`).
    let appHash: String
    let previousHash: String
    let time: String
    let timeMs: UInt64
    let transactionsRoot: String
    let resultsRoot: String
    let validatorsHash: String
    let proposer: String
    let transactions: [String]
    let certificate: CertificateView

    init(_ block: StoredBlock) {
        let header = block.header
        height = header.height
        hash = header.hash.hex
        appHash = header.stateRoot.hex
        previousHash = header.previousBlockHash.hex
        time = header.time.description
        timeMs = header.time.milliseconds
        transactionsRoot = header.transactionsRoot.hex
        resultsRoot = header.resultsRoot.hex
        validatorsHash = header.validatorsHash.hex
        proposer = header.proposer.hex
        transactions = block.transactions.map(\.hash.hex)
        certificate = CertificateView(
            round: block.certificate.round,
            signatures: block.certificate.signatures.map {
                SignatureView(validator: $0.validator.hex, signature: $0.signature.rawBytes.base64)
            })
    }
}
