import MedLedgerCore
import MedLedgerStorage

/// What the dashboard shows of the node and its network (`GET /v1/network`, `GET /v1/blocks`).
extension LedgerNode {
    /// The most blocks looked back at for validators' last signatures.
    public static let lastSignedLookBack = 100

    /// The newest `limit` blocks, newest first (headers, certificates, transaction counts).
    public func recentBlocks(limit: Int) throws -> [BlockSummary] { try store.recentBlocks(limit: limit) }

    /// The other validators (the nodes this one talks to) and whether each is connected now;
    /// empty for a single-validator network.
    public func peers() -> [(node: IdentityID, connected: Bool)] {
        let connected = Set(gossip?.connectedPeers ?? [])
        return validators.validators.map(\.id).filter { $0 != nodeID }.map { ($0, connected.contains($0)) }
    }

    /// Each validator's highest height signed in the last `lastSignedLookBack` commit
    /// certificates; nil for one that signed none of them.
    public func lastSignedHeights() throws -> [IdentityID: Height] {
        var last: [IdentityID: Height] = [:]
        for block in try recentBlocks(limit: Self.lastSignedLookBack) {
            for signature in block.certificate.signatures where last[signature.validator] == nil {
                last[signature.validator] = block.header.height
            }
        }
        return last
    }
}
