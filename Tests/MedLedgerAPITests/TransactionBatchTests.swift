import Foundation
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerTesting
import Testing
@testable import MedLedgerAPI
import MedLedgerCore
import MedLedgerNode

@Suite struct TransactionBatchTests {
    func body(_ items: [String]) throws -> ByteBuffer {
        ByteBuffer(data: try JSONEncoder().encode(["transactions": items]))
    }

    /// One bad transaction in a batch is refused on its own; the others are admitted.
    @Test func eachTransactionGetsItsOwnOutcome() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let good = await fixture.transaction(
            .registerPatient(RegisterPatient(keys: fixture.patient.keys)),
            by: fixture.patient)
        var forgedBytes = good.encoded
        forgedBytes[forgedBytes.count - 1] ^= 0x01
        let items = [Data(good.encoded).base64EncodedString(), "not base64!", Data(forgedBytes).base64EncodedString()]
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transaction-batches", method: .post, body: try body(items)) { response in
                #expect(response.status == .ok)
                let results = response.json["results"] as? [[String: Any]] ?? []
                #expect(results.count == 3)
                #expect(results.first?["status"] as? String == "pending")
                #expect(results.first?["hash"] as? String == good.hash.hex)
                #expect(
                    results.dropFirst().allSatisfy {
                        $0["status"] as? String == "refused" && $0["httpStatus"] as? Int == 400
                    })
                #expect(results.last?["code"] as? Int == Int(ResultCode.badSignature.rawValue))
            }
            try await client.execute(uri: "/v1/transaction-batches", method: .post, body: try body([])) { response in
                #expect(response.status == .badRequest)
            }
        }
        try await fixture.produceBlock()
        #expect(await fixture.node.identity(fixture.patient.id) != nil)
    }
}
