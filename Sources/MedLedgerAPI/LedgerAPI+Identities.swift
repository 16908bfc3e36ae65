import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode

extension LedgerAPI {
    func getIdentity(_ input: Operations.GetIdentity.Input) async throws -> Operations.GetIdentity.Output {
        let id = try Parameter.identity(input.path.id)
        guard let record = await node.identity(id) else {
            throw APIProblem(status: .notFound, detail: "no identity \(id)", field: "id")
        }
        return .ok(.init(body: .json(.init(record))))
    }

    /// The identity record at the latest block with the header, its commit certificate and a
    /// state proof, so a client can check the keys it encrypts to without trusting this node.
    func getIdentityProof(_ input: Operations.GetIdentityProof.Input) async throws
        -> Operations.GetIdentityProof.Output
    {
        let id = try Parameter.identity(input.path.id)
        guard let proven = await node.provenEntry(.identity(id)) else {
            throw APIProblem(status: .notFound, detail: "no identity \(id) in a certified block", field: "id")
        }
        return .ok(.init(body: .json(.init(proven))))
    }

    /// The nonce to sign the next transaction with (1 for an identity not registered yet).
    func getNextNonce(_ input: Operations.GetNextNonce.Input) async throws -> Operations.GetNextNonce.Output {
        let id = try Parameter.identity(input.path.id)
        return .ok(.init(body: .json(.init(nextNonce: Int(ledger: await node.nextNonce(for: id).rawValue)))))
    }
}
