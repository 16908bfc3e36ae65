import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

// The server half of signed requests: the checks of `RequestAuthentication`, against what
// the node's ledger holds for the claimed identity.
extension RequestAuthentication {
    /// Checks signed credentials against the ledger: the identity exists and is active, the
    /// signature is by its current signing key, and the timestamp is within the allowed skew
    /// of `now` (the server's wall clock; the contracts never read one).
    /// - Returns: the caller's identity record.
    /// - Throws: `NodeError.unauthenticated` naming the header at fault.
    public static func verify(
        _ credentials: Credentials, method: String, pathAndQuery: String, body: [UInt8],
        node: LedgerNode, now: WallClockTime
    ) async throws(NodeError) -> IdentityRecord {
        let record = await node.identity(credentials.identity)
        return try check(
            credentials, record: record, method: method,
            pathAndQuery: pathAndQuery, body: body, chainID: node.genesis.chainID, now: now)
    }

    /// The checks that need no body: the timestamp is fresh and the identity is active.
    /// Routes with large bodies run these before reading the body, so a stranger cannot make
    /// the node buffer megabytes before it learns the request is not from a known identity.
    public static func precheck(
        _ credentials: Credentials, node: LedgerNode,
        now: WallClockTime
    ) async throws(NodeError) -> IdentityRecord {
        try checkWithoutBody(credentials, record: await node.identity(credentials.identity), now: now)
    }
}
