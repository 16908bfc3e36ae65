import Foundation
import Hummingbird
import MedLedgerCore
import MedLedgerNode

/// The body of `POST /v1/transactions`.
struct SubmitTransactionBody: Decodable {
    /// Base64 of the transaction's canonical bytes.
    let transaction: String
}

extension APIHandlers {
    /// `POST /v1/transactions[?wait=true]`: admits a signed transaction to the mempool
    /// (202), or with `wait=true` answers once it is committed (200). If it is not committed
    /// within the wait, the answer is still 202 pending.
    func submit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await APIEncoding.readBody(request, limit: Limits.httpBodyMaxBytes)
        let input = try APIEncoding.decode(SubmitTransactionBody.self, from: body)
        guard let raw = Data(base64Encoded: input.transaction) else {
            throw APIProblem(status: .badRequest, detail: "not valid base64", field: "transaction")
        }
        let tx: Transaction
        do {
            tx = try Transaction.decode(Array(raw))
        } catch {
            throw APIProblem(status: .badRequest, detail: "not a canonical transaction: \(error)", field: "transaction")
        }
        let hash = try await node.submit(tx)
        if request.uri.queryParameters.get("wait") == "true",
           let stored = try await node.waitForCommit(hash) {
            return try APIEncoding.json(CommittedSubmissionView(stored))
        }
        return try APIEncoding.json(TransactionView.pending(hash), status: .accepted)
    }

    /// `GET /v1/transactions/{hash}`: public view, or the full one for its signer.
    func transaction(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let hash = try PathParameter.hash(context, "hash")
        let caller = try await optionalCaller(request, body: [])
        switch try await node.transactionStatus(hash) {
        case .unknown:
            throw APIProblem(status: .notFound, detail: "no transaction \(hash) pending or committed", field: "hash")
        case .pending:
            return try APIEncoding.json(TransactionView.pending(hash))
        case .committed:
            guard let (stored, header, proof) = try await node.inclusionProof(hash) else {
                throw APIProblem(status: .internalServerError, detail: "committed transaction without its block")
            }
            let view = TransactionView.committed(stored, header: header, proof: proof,
                                                 forSigner: caller?.id == stored.transaction.signer)
            return try APIEncoding.json(view)
        }
    }
}
