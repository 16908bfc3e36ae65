import MedLedgerContracts
import MedLedgerCore

extension LedgerNode {
    /// One report version ready to open, for a caller who may view the report: its proven
    /// record, the caller's own envelope (or this custodian's key share released against the
    /// caller's receipt, see `releaseKey`) and the ciphertext. Serves a read's last round trip.
    public func versionContent(
        report reportID: ReportID, version: ReportVersion,
        caller: IdentityID
    ) throws -> VersionContent {
        guard try mayView(report: reportID, caller: caller),
            let record = state.report(reportID)?.version(version),
            let proven = provenEntry(.reportVersion(reportID, version))
        else {
            throw NodeError(.forbidden, field: "report", "no access to report \(reportID) version \(version)")
        }
        let key =
            try record.content.envelope(for: caller).map(ReleasedKey.whole)
            ?? releaseKey(report: reportID, version: version, reader: caller)
        guard let ciphertext = try blobs.get(record.content.contentAddress) else {
            throw NodeError(
                .notFound, field: "address", "blob \(record.content.contentAddress) is not stored on this node")
        }
        return VersionContent(version: proven, key: key, ciphertext: ciphertext)
    }
}
