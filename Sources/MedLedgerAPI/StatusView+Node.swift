import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

extension StatusView {
    /// Where `node`'s chain stands now.
    static func of(_ node: LedgerNode) async -> StatusView {
        let time = await node.consensusTime
        return StatusView(
            chainId: node.genesis.chainID, nodeId: node.nodeID.hex, height: await node.height.rawValue,
            appHash: await node.appHash.hex, latestBlockHash: await node.latestBlockHash.hex,
            latestBlockTime: time.description, latestBlockTimeMs: time.milliseconds,
            pendingTransactions: await node.pendingCount,
            validators: node.validators.validators.map {
                ValidatorView(
                    id: $0.id.hex, name: $0.name, power: $0.power, signingKey: $0.signingKey.hex,
                    encryptionKey: $0.encryptionKey.hex)
            })
    }
}
