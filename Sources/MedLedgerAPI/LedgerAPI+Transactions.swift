import Foundation
import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode

extension LedgerAPI {
    /// Admits a signed transaction to the mempool (202 pending), or with `wait=commit`
    /// answers once it is committed (200, the view of `GET /v1/transactions/{hash}`: the full
    /// receipt when the request is signed by the transaction's signer). Not committed within
    /// the wait: still 202 pending.
    func submitTransaction(_ input: Operations.SubmitTransaction.Input) async throws
        -> Operations.SubmitTransaction.Output
    {
        let wait = try Self.waitParameter(input.query.wait)
        guard case .json(let body) = input.body else { throw APIProblem(status: .badRequest, detail: "no body") }
        guard let raw = Data(base64Encoded: body.transaction) else {
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
            let caller = (try? await optionalCaller()) ?? nil
            return .ok(.init(body: .json(try await committedView(hash, caller: caller))))
        }
        return .accepted(.init(body: .json(.pending(hash))))
    }

    /// How long `wait=commit` holds the request open.
    static let commitWait = Duration.milliseconds(Int64(Limits.httpCommitWaitMaxMilliseconds))

    /// `wait=commit` (or its older spelling `wait=true`); anything else is a 400.
    static func waitParameter(_ value: String?) throws -> Bool {
        switch value {
        case nil: return false
        case "commit", "true": return true
        case let other?:
            throw APIProblem(
                status: .badRequest, detail: "wait must be \"commit\", not \"\(other.prefix(32))\"",
                field: "wait")
        }
    }

    /// The committed transaction's view, full when `caller` signed it.
    func committedView(_ hash: Hash256, caller: IdentityRecord?) async throws -> Components.Schemas.Transaction {
        guard let (stored, header, proof) = try await node.inclusionProof(hash) else {
            throw APIProblem(status: .internalServerError, detail: "committed transaction without its block")
        }
        return .committed(stored, header: header, proof: proof, forSigner: caller?.id == stored.transaction.signer)
    }

    /// Admits up to `Limits.httpBatchMaxTransactions` transactions in one request; each gets
    /// its own outcome (hash and pending, or a problem naming its index), so one bad
    /// transaction never refuses the others.
    func submitTransactionBatch(_ input: Operations.SubmitTransactionBatch.Input) async throws
        -> Operations.SubmitTransactionBatch.Output
    {
        guard case .json(let body) = input.body else { throw APIProblem(status: .badRequest, detail: "no body") }
        let maxBatch = Limits.httpBatchMaxTransactions
        guard !body.transactions.isEmpty, body.transactions.count <= maxBatch else {
            throw APIProblem(
                status: .badRequest, detail: "must hold 1-\(maxBatch) transactions", field: "transactions")
        }
        var outcomes = [Components.Schemas.BatchOutcome?](repeating: nil, count: body.transactions.count)
        var decoded = [(Int, Transaction)]()
        for (index, text) in body.transactions.enumerated() {
            guard let raw = Data(base64Encoded: text), let tx = try? Transaction.decode(Array(raw)) else {
                outcomes[index] = .init(
                    index: index, status: .refused, httpStatus: 400, detail: "not a base64 canonical transaction")
                continue
            }
            // Verified here, on the request's task, not inside the node actor.
            guard tx.hasValidSignature else {
                outcomes[index] = .init(
                    index: index, status: .refused, httpStatus: 400, detail: "signature does not verify",
                    code: Int(ResultCode.badSignature.rawValue))
                continue
            }
            decoded.append((index, tx))
        }
        let results = await node.submitBatch(decoded.map(\.1))
        for ((index, _), result) in zip(decoded, results) {
            switch result {
            case .success(let hash):
                outcomes[index] = .init(index: index, hash: hash.hex, status: .pending, httpStatus: 202)
            case .failure(let error):
                outcomes[index] = .init(
                    index: index, status: .refused, httpStatus: APIProblem(error).status,
                    detail: error.description, code: error.code.map { Int($0.rawValue) })
            }
        }
        return .ok(.init(body: .json(.init(results: outcomes.compactMap { $0 }))))
    }

    /// Public view, or the full one for its signer.
    func getTransaction(_ input: Operations.GetTransaction.Input) async throws -> Operations.GetTransaction.Output {
        let hash = try Parameter.hash(input.path.hash, "hash")
        if try Self.waitParameter(input.query.wait) { _ = try await node.waitForCommit(hash, timeout: Self.commitWait) }
        switch try await node.transactionStatus(hash) {
        case .unknown:
            throw APIProblem(status: .notFound, detail: "no transaction \(hash) pending or committed", field: "hash")
        case .pending:
            return .ok(.init(body: .json(.pending(hash))))
        case .committed:
            // Checked once committed, so a self-registration's signer is known by then.
            return .ok(.init(body: .json(try await committedView(hash, caller: try await optionalCaller()))))
        }
    }
}
