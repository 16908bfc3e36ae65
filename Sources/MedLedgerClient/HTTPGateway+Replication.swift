import MedLedgerCore
import MedLedgerAPIModel

extension HTTPGateway {
    /// The nodes that attested on the ledger holding each version's blob, by version, as the
    /// node answers `GET /v1/reports/{id}` (not proven: attestations are for operators and
    /// auditors; a client that needs proof reads the state entry).
    public func blobHolders(report: ReportID, caller: ClientIdentity) async throws -> [ReportVersion: [IdentityID]] {
        let answer = try await call { try await api(as: caller).getReport(path: .init(id: report.hex)).ok.body.json }
        var holders = [ReportVersion: [IdentityID]]()
        for version in answer.versions {
            guard let number = UInt32(exactly: version.version) else {
                throw ClientError.integrity("version \(version.version) is not a version number")
            }
            let ids = (version.holders ?? []).compactMap(IdentityID.init(hex:))
            guard ids.count == version.holders?.count ?? 0, version.replicas ?? 0 == ids.count else {
                throw ClientError.integrity("version \(number): replicas and holders disagree")
            }
            holders[ReportVersion(number)] = ids
        }
        return holders
    }
}
