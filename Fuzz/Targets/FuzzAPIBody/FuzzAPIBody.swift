import Foundation
@testable import MedLedgerAPI
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface

/// The JSON request bodies of `POST /v1/transactions` and `POST /v1/transaction-batches`,
/// decoded as the generated server and the handlers do: JSON into the generated schema type
/// (a bad body is a 400 problem naming the field), then base64, then `Transaction.decode`.
/// Nothing traps on any body.
///
/// Input layout: byte 0 picks the route (even: single, odd: batch), the rest is the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPIBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let selector = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    do {
        let texts: [String]
        if selector % 2 == 0 {
            texts = [try JSONDecoder().decode(Components.Schemas.SubmitTransaction.self, from: Data(body)).transaction]
        } else {
            let batch = try JSONDecoder().decode(Components.Schemas.SubmitTransactionBatch.self, from: Data(body))
            guard !batch.transactions.isEmpty, batch.transactions.count <= Limits.httpBatchMaxTransactions else {
                return 0
            }
            texts = batch.transactions
        }
        for text in texts {
            guard let raw = Data(base64Encoded: text) else { continue }
            _ = try? Transaction.decode(Array(raw))
        }
    } catch {
        let problem = APIProblem.from(error)
        precondition(problem.status == 400, "a malformed body is a 400, got \(problem.status)")
    }
    return 0
}
