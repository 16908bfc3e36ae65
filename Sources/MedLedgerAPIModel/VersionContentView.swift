import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.VersionContent {
    /// `GET /v1/reports/{id}/versions/{version}/content` (signed): one report version ready
    /// to open. `version` is the version record with its proof (as in
    /// `/v1/reports/{id}/proof`), `envelope` the data key wrapped to the caller (canonical
    /// `KeyEnvelope`), and `ciphertext` the blob.
    public init(report: ReportID, versionNumber: ReportVersion, _ content: VersionContent) {
        self.init(
            report: report.hex, versionNumber: Int(versionNumber.rawValue), version: .init(content.version),
            envelope: .init(content.key.envelope.canonicalBytes), ciphertext: .init(content.ciphertext))
        if case .share(_, let x, let threshold) = content.key {
            shareIndex = Int(x)
            self.threshold = Int(threshold)
        }
    }
}
