import MedLedgerCore
import MedLedgerHTTPInterface

/// `GET /v1/transactions/{hash}` and the answer to a submission.
///
/// The public view of a committed transaction shows where it is and whether it succeeded,
/// with an inclusion proof, but not its payload, signer, facts or events: those would let
/// anyone enumerate who is whose patient. The signer, asking with a signed request, also
/// gets `message` (a sentence rendered from the receipt, not stored), `facts`, `events`,
/// `receipt` and `transaction`.
extension Components.Schemas.Transaction {
    public static func pending(_ hash: Hash256) -> Self {
        Self(hash: hash.hex, status: .pending)
    }

    /// The committed view; `forSigner` adds the private part.
    public static func committed(
        _ stored: StoredTransaction, header: BlockHeader, proof: MerkleProof,
        forSigner: Bool
    ) -> Self {
        var view = Self(hash: stored.transaction.hash.hex, status: .committed)
        view.height = Int(ledger: stored.height.rawValue)
        view.position = stored.position
        view.code = Int(stored.receipt.code.rawValue)
        view.codeName = stored.receipt.code.name
        view._type = stored.transaction.payload.typeName
        view.transactionsRoot = header.transactionsRoot.hex
        view.blockTime = header.time.description
        view.blockTimeMs = Int(ledger: header.time.milliseconds)
        view.blockHash = header.hash.hex
        view.proof = .init(
            leafIndex: Int(ledger: proof.leafIndex), treeSize: Int(ledger: proof.treeSize), path: proof.path.map(\.hex))
        if forSigner {
            view.message = stored.receipt.sentence
            view.facts = stored.receipt.facts.map(Components.Schemas.ReceiptFact.init)
            view.events = stored.receipt.events.map(Components.Schemas.Event.init)
            view.receipt = .init(stored.receipt.canonicalBytes)
            view.transaction = .init(stored.transaction.encoded)
        }
        return view
    }
}
