import MedLedgerCore
import MedLedgerStorage

/// `GET /v1/transactions/{hash}` and the answer to a submission.
///
/// The public view of a committed transaction shows where it is and whether it succeeded,
/// with an inclusion proof, but not its payload, signer, facts or events: those would let
/// anyone enumerate who is whose patient. The signer, asking with a signed request, also
/// gets `message` (a sentence rendered from the receipt, not stored), `facts`, `events`,
/// `receipt` and `transaction`.
struct TransactionView: Encodable {
    struct ProofView: Encodable {
        let leafIndex: UInt64
        let treeSize: UInt64
        let path: [String]
    }

    let hash: String
    let status: String
    var height: UInt64?
    var position: Int?
    var code: UInt16?
    var codeName: String?
    var type: String?
    var transactionsRoot: String?
    var proof: ProofView?
    /// Rendered here from code, facts and events (`ReceiptText`); not part of the receipt.
    var message: String?
    var facts: [FactView]?
    var events: [EventView]?
    /// Base64 of the receipt's canonical bytes, so a client gets the exact receipt.
    var receipt: String?
    /// Base64 of the transaction's canonical bytes.
    var transaction: String?

    static func pending(_ hash: Hash256) -> TransactionView { TransactionView(hash: hash.hex, status: "pending") }

    /// The committed view; `forSigner` adds the private part.
    static func committed(_ stored: StoredTransaction, header: BlockHeader, proof: MerkleProof,
                          forSigner: Bool) -> TransactionView {
        var view = TransactionView(hash: stored.transaction.hash.hex, status: "committed")
        view.height = stored.height
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

/// The answer to `POST /v1/transactions?wait=true` once committed.
struct CommittedSubmissionView: Encodable {
    let hash: String
    let status: String
    let height: UInt64
    let position: Int
    let code: UInt16
    let codeName: String
    /// Rendered from the receipt (`ReceiptText`); the receipt itself holds no text.
    let message: String
    let facts: [FactView]

    init(_ stored: StoredTransaction) {
        hash = stored.transaction.hash.hex
        status = "committed"
        height = stored.height
        position = stored.position
        code = stored.receipt.code.rawValue
        codeName = stored.receipt.code.name
        message = stored.receipt.sentence
        facts = stored.receipt.facts.map(FactView.init)
    }
}
