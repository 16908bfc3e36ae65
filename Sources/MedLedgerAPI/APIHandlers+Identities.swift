import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

extension APIHandlers {
    /// `GET /v1/identities/{id}`
    func identity(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try PathParameter.identity(context)
        guard let record = await node.identity(id) else {
            throw APIProblem(status: .notFound, detail: "no identity \(id)", field: "id")
        }
        return try APIEncoding.json(IdentityView(record))
    }

    /// `GET /v1/identities/{id}/proof`: the identity record at the latest block with the
    /// header, its commit certificate and a state proof, so a client can check the keys it
    /// encrypts to without trusting this node. All values are base64 canonical bytes.
    func identityProof(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try PathParameter.identity(context)
        guard let proven = await node.provenEntry(.identity(id)) else {
            throw APIProblem(status: .notFound, detail: "no identity \(id) in a certified block", field: "id")
        }
        return try APIEncoding.json(ProvenEntryView(proven))
    }

    /// `GET /v1/identities/{id}/nonce`: the nonce to sign the next transaction with
    /// (1 for an identity not registered yet).
    func nonce(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try PathParameter.identity(context)
        return try APIEncoding.json(NonceView(nextNonce: await node.nextNonce(for: id).rawValue))
    }
}
