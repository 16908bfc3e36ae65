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
        let wait = try input.query.wait.map {
            try Parameter.positive($0, "wait", maximum: BlockWaits.maximumMilliseconds)
        }
        var block = try await node.block(at: Height(height))
        if block == nil, let wait {
            block = try await blockWaits.block(at: Height(height), waitingUpTo: wait, on: node)
        }
        guard let block else {
            throw APIProblem(
                status: .notFound,
                detail: wait == nil ? "no block at height \(height)" : "no block at height \(height) yet",
                field: "height")
        }
        return .ok(.init(body: .json(.init(block))))
    }
}

extension LedgerAPI {
    /// The most blocks `GET /v1/blocks` lists, and how many without `limit`.
    static let recentBlocksMax: UInt64 = 500
    static let recentBlocksDefault = 100

    func getNetwork(_ input: Operations.GetNetwork.Input) async throws -> Operations.GetNetwork.Output {
        let lastSigned = try await node.lastSignedHeights()
        let network = Components.Schemas.Network(
            nodeId: node.nodeID.hex, height: Int(ledger: await node.height.rawValue),
            pendingTransactions: await node.pendingCount,
            peers: await node.peers().map { .init(nodeId: $0.node.hex, connected: $0.connected) },
            validators: node.validators.validators.map {
                .init(
                    id: $0.id.hex, name: $0.name, power: Int(ledger: $0.power),
                    lastSignedHeight: lastSigned[$0.id].map { Int(ledger: $0.rawValue) })
            })
        return .ok(.init(body: .json(network)))
    }

    func listBlocks(_ input: Operations.ListBlocks.Input) async throws -> Operations.ListBlocks.Output {
        let limit = try input.query.limit.map {
            Int(try Parameter.positive($0, "limit", maximum: Self.recentBlocksMax))
        }
        let blocks = try await node.recentBlocks(limit: limit ?? Self.recentBlocksDefault)
        return .ok(
            .init(
                body: .json(
                    blocks.map {
                        .init(
                            height: Int(ledger: $0.header.height.rawValue), hash: $0.header.hash.hex,
                            time: $0.header.time.description, timeMs: Int(ledger: $0.header.time.milliseconds),
                            transactionCount: $0.transactionCount, proposer: $0.header.proposer.hex,
                            signers: $0.certificate.signatures.map(\.validator.hex))
                    })))
    }
}
