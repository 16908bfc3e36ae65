import Foundation
import Hummingbird
import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

extension APIHandlers {
    /// `POST /v1/transactions[?wait=commit]`: admits a signed transaction to the mempool
    /// (202 pending), or with `wait=commit` answers once it is committed (200, the view of
    /// `GET /v1/transactions/{hash}`: the full receipt when the request is signed by the
    /// transaction's signer). Not committed within the wait: still 202 pending.
    func submit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let wait = try Self.waitParameter(request)
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
        // Verified here, on the request's task, not inside the node actor.
        guard tx.hasValidSignature else { throw APIProblem(NodeError.badSignature) }
        let hash = try await node.submit(tx, decodedFromBytes: true, signatureVerified: true)
        if wait, try await node.waitForCommit(hash, timeout: Self.commitWait) != nil {
            // The signature on the request is checked only now, after the commit, so that a
            // patient's self-registration can ask for its own receipt. A signature that does
            // not hold gives the public view (no `receipt`), never a refusal of a committed
            // transaction.
            let caller = (try? await optionalCaller(request, body: body)) ?? nil
            return try await committedView(hash, caller: caller)
        }
        return try APIEncoding.json(TransactionView.pending(hash), status: .accepted)
    }

    /// How long `wait=commit` holds the request open.
    static let commitWait = Duration.milliseconds(Int64(Limits.httpCommitWaitMaxMilliseconds))

    /// `wait=commit` (or its older spelling `wait=true`); anything else is a 400.
    static func waitParameter(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("wait") {
        case nil: return false
        case "commit", "true": return true
        case let other?:
            throw APIProblem(
                status: .badRequest, detail: "wait must be \"commit\", not \"\(other.prefix(32))\"",
                field: "wait")
        }
    }

    /// The committed transaction's view, full when `caller` signed it.
    func committedView(_ hash: Hash256, caller: IdentityRecord?) async throws -> Response {
        guard let (stored, header, proof) = try await node.inclusionProof(hash) else {
            throw APIProblem(status: .internalServerError, detail: "committed transaction without its block")
        }
        return try APIEncoding.json(
            TransactionView.committed(
                stored, header: header, proof: proof,
                forSigner: caller?.id == stored.transaction.signer))
    }

    /// `POST /v1/transaction-batches`: admits up to `maxBatch` transactions in one request;
    /// each gets its own outcome (hash and pending, or a problem naming its index), so one
    /// bad transaction never refuses the others.
    func submitBatch(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await APIEncoding.readBody(request, limit: Self.batchBodyMaxBytes)
        let input = try APIEncoding.decode(SubmitBatchBody.self, from: body)
        guard !input.transactions.isEmpty, input.transactions.count <= Self.maxBatch else {
            throw APIProblem(
                status: .badRequest, detail: "must hold 1-\(Self.maxBatch) transactions", field: "transactions")
        }
        var outcomes = [BatchOutcomeView?](repeating: nil, count: input.transactions.count)
        var decoded = [(Int, Transaction)]()
        for (index, text) in input.transactions.enumerated() {
            guard let raw = Data(base64Encoded: text), let tx = try? Transaction.decode(Array(raw)) else {
                outcomes[index] = BatchOutcomeView(
                    index: index, hash: nil, status: "refused", httpStatus: 400,
                    detail: "not a base64 canonical transaction", code: nil)
                continue
            }
            // Verified here, on the request's task, not inside the node actor.
            guard tx.hasValidSignature else {
                outcomes[index] = BatchOutcomeView(
                    index: index, hash: nil, status: "refused", httpStatus: 400,
                    detail: "signature does not verify",
                    code: Int(ResultCode.badSignature.rawValue))
                continue
            }
            decoded.append((index, tx))
        }
        let results = await node.submitBatch(decoded.map(\.1))
        for ((index, _), result) in zip(decoded, results) {
            switch result {
            case .success(let hash):
                outcomes[index] = BatchOutcomeView(
                    index: index, hash: hash.hex, status: "pending", httpStatus: 202,
                    detail: nil, code: nil)
            case .failure(let error):
                outcomes[index] = BatchOutcomeView(
                    index: index, hash: nil, status: "refused",
                    httpStatus: APIProblem(error).status,
                    detail: error.description, code: error.code.map { Int($0.rawValue) })
            }
        }
        return try APIEncoding.json(BatchResultView(results: outcomes.compactMap { $0 }))
    }

    static let maxBatch = Limits.httpBatchMaxTransactions
    static let batchBodyMaxBytes = Limits.httpBatchBodyMaxBytes

    /// `GET /v1/transactions/{hash}`: public view, or the full one for its signer.
    func transaction(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let hash = try PathParameter.hash(context, "hash")
        if try Self.waitParameter(request) { _ = try await node.waitForCommit(hash, timeout: Self.commitWait) }
        switch try await node.transactionStatus(hash) {
        case .unknown:
            throw APIProblem(status: .notFound, detail: "no transaction \(hash) pending or committed", field: "hash")
        case .pending:
            return try APIEncoding.json(TransactionView.pending(hash))
        case .committed:
            // Checked once committed, so a self-registration's signer is known by then.
            return try await committedView(hash, caller: try await optionalCaller(request, body: []))
        }
    }
}
