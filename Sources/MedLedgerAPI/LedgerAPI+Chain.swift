import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode

extension LedgerAPI {
    func getStatus(_ input: Operations.GetStatus.Input) async throws -> Operations.GetStatus.Output {
        let time = await node.consensusTime
        let status = Components.Schemas.Status(
            chainId: node.genesis.chainID, nodeId: node.nodeID.hex, height: Int(ledger: await node.height.rawValue),
            appHash: await node.appHash.hex, latestBlockHash: await node.latestBlockHash.hex,
            latestBlockTime: time.description, latestBlockTimeMs: Int(ledger: time.milliseconds),
            pendingTransactions: await node.pendingCount,
            validators: node.validators.validators.map(Components.Schemas.Validator.init))
        return .ok(.init(body: .json(status)))
    }

    func getBlock(_ input: Operations.GetBlock.Input) async throws -> Operations.GetBlock.Output {
        let height = try Parameter.positive(input.path.height, "height", maximum: UInt64(Int64.max))
        guard let block = try await node.block(at: Height(height)) else {
            throw APIProblem(status: .notFound, detail: "no block at height \(height)", field: "height")
        }
        return .ok(.init(body: .json(.init(block))))
    }
}
