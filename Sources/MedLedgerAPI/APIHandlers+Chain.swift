import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

extension APIHandlers {
    /// `GET /v1/status`
    func status(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try APIEncoding.json(await StatusView.of(node))
    }

    /// `GET /v1/blocks/{height}`
    func block(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let height = try PathParameter.positive(context, "height", maximum: UInt64(Int64.max))
        guard let block = try await node.block(at: Height(height)) else {
            throw APIProblem(status: .notFound, detail: "no block at height \(height)", field: "height")
        }
        return try APIEncoding.json(BlockView(block))
    }
}
