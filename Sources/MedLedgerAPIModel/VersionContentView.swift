import MedLedgerCore

/// `GET /v1/reports/{id}/versions/{version}/content` (signed): one report version ready to
/// open. `version` is the version record with its proof (as in `/v1/reports/{id}/proof`),
/// `envelope` the data key wrapped to the caller (base64 canonical `KeyEnvelope`), and
/// `ciphertext` the blob (base64).
public struct VersionContentView: Codable, Sendable {
    public let report: String
    public let versionNumber: UInt32
    public let version: ProvenEntryView
    public let envelope: String
    public let ciphertext: String

    public init(report: ReportID, versionNumber: ReportVersion, _ content: VersionContent) {
        self.report = report.hex
        self.versionNumber = versionNumber.rawValue
        version = ProvenEntryView(content.version)
        envelope = content.envelope.canonicalBytes.base64
        ciphertext = content.ciphertext.base64
    }
}
