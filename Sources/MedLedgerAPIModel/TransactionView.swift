import MedLedgerCore

/// `GET /v1/transactions/{hash}` and the answer to a submission.
///
/// The public view of a committed transaction shows where it is and whether it succeeded,
/// with an inclusion proof, but not its payload, signer, facts or events: those would let
/// anyone enumerate who is whose patient. The signer, asking with a signed request, also
/// gets `message` (a sentence rendered from the receipt, not stored), `facts`, `events`,
/// `receipt` and `transaction`.
public struct TransactionView: Codable, Sendable {
    public struct ProofView: Codable, Sendable {
        public let leafIndex: UInt64
        public let treeSize: UInt64
        public let path: [String]
    }

    public let hash: String
    public let status: String
    public var height: UInt64?
    public var position: Int?
    public var code: UInt16?
    public var codeName: String?
    public var type: String?
    public var transactionsRoot: String?
    public var proof: ProofView?
    /// Rendered here from code, facts and events (`ReceiptText`); not part of the receipt.
    public var message: String?
    public var facts: [FactView]?
    public var events: [EventView]?
    /// Base64 of the receipt's canonical bytes, so a client gets the exact receipt.
    public var receipt: String?
    /// Base64 of the transaction's canonical bytes.
    public var transaction: String?

    public static func pending(_ hash: Hash256) -> TransactionView {
        TransactionView(hash: hash.hex, status: "pending")
    }

    /// The committed view; `forSigner` adds the private part.
    public static func committed(
        _ stored: StoredTransaction, header: BlockHeader, proof: MerkleProof,
        forSigner: Bool
    ) -> TransactionView {
        var view = TransactionView(hash: stored.transaction.hash.hex, status: "committed")
        view.height = stored.height.rawValue
        view.position = stored.position
        view.code = stored.receipt.code.rawValue
        view.codeName = stored.receipt.code.name
        view.type = stored.transaction.payload.typeName
        view.transactionsRoot = header.transactionsRoot.hex
        view.proof = ProofView(leafIndex: proof.leafIndex, treeSize: proof.treeSize, path: proof.path.map(\.hex))
        if forSigner {
            view.message = stored.receipt.sentence
            view.facts = stored.receipt.facts.map(FactView.init)
            view.events = stored.receipt.events.map(EventView.init)
            view.receipt = stored.receipt.canonicalBytes.base64
            view.transaction = stored.transaction.encoded.base64
        }
        return view
    }
}
