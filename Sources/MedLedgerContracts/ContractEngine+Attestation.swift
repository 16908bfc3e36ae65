import MedLedgerCore

extension ContractEngine {
    /// A validator node attests that it holds the blobs of committed report versions. All or
    /// nothing: every named version must exist and the node must be allowed to hold its
    /// blob under the report organization's storage policy. The node's attestation of each
    /// version is recorded (or renewed) with the block time.
    func attestBlobs(
        _ body: AttestBlobs, _ signer: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard signer.kind == .node else { throw Rejection(.wrongKind, .kind(.node)) }
        guard !body.holdings.isEmpty else { throw Rejection.invalid(.holdings, .empty) }
        guard body.holdings.count <= Limits.attestationHoldingsMax else {
            throw Rejection.invalid(.holdings, .outOfRange, .limit(UInt64(Limits.attestationHoldingsMax)))
        }
        guard zip(body.holdings, body.holdings.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw Rejection.invalid(.holdings, .notSortedSet)
        }
        for holding in body.holdings {
            let report = try existingReport(holding.report, state)
            guard report.version(holding.version) != nil else {
                throw Rejection(.unknownVersion, .report(report.id), .version(holding.version))
            }
            guard blobPlacement.eligibleHolders(organization: report.organization).contains(signer.id) else {
                throw Rejection(
                    .wrongOrganization, .identity(signer.id), .report(report.id), .organization(report.organization))
            }
        }
        for holding in body.holdings {
            var record = state.blobHolders(holding)
            record.attest(signer.id, at: context.time)
            state.put(record, for: holding)
        }
        return .accepted([])
    }
}
