import MedLedgerCore
import MedLedgerNode

/// `GET /v1/status`: where the chain stands.
struct StatusView: Encodable {
    struct ValidatorView: Encodable {
        let id: String
        let name: String
        let power: UInt64
        let signingKey: String
        let encryptionKey: String
    }

    let chainId: String
    let nodeId: String
    let height: UInt64
    /// The latest block's state root; the zero hash before block 1.
    let appHash: String
    let latestBlockHash: String
    let latestBlockTime: String
    let latestBlockTimeMs: UInt64
    let pendingTransactions: Int
    let validators: [ValidatorView]

    static func of(_ node: LedgerNode) async -> StatusView {
        let time = await node.consensusTime
        return StatusView(
            chainId: await node.genesis.chainID, nodeId: await node.nodeID.hex, height: await node.height,
            appHash: await node.appHash.hex, latestBlockHash: await node.latestBlockHash.hex,
            latestBlockTime: time.description, latestBlockTimeMs: time.milliseconds,
            pendingTransactions: await node.pendingCount,
            validators: await node.validators.validators.map {
                ValidatorView(id: $0.id.hex, name: $0.name, power: $0.power, signingKey: $0.signingKey.hex,
                              encryptionKey: $0.encryptionKey.hex)
            })
    }
}
