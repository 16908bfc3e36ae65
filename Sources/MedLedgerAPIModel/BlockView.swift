import MedLedgerCore

/// `GET /v1/blocks/{height}`: a committed block's header, transaction hashes and certificate.
public struct BlockView: Codable, Sendable {
    public struct SignatureView: Codable, Sendable {
        public let validator: String
        public let signature: String
    }
    public struct CertificateView: Codable, Sendable {
        public let round: Round
        public let signatures: [SignatureView]
    }

    public let height: UInt64
    public let hash: String
    /// The state root after this block (`header.stateRoot`).
    public let appHash: String
    public let previousHash: String
    public let time: String
    public let timeMs: UInt64
    public let transactionsRoot: String
    public let resultsRoot: String
    public let validatorsHash: String
    public let proposer: String
    public let transactions: [String]
    public let certificate: CertificateView

    public init(_ block: StoredBlock) {
        let header = block.header
        height = header.height.rawValue
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
