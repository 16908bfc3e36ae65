import MedLedgerCore

/// A state entry with its proof: the latest header, its commit certificate, the record and
/// the `StateProof`, all base64 canonical bytes (see `docs/spec/api.md`, proven records).
public struct ProvenEntryView: Codable, Sendable {
    public let height: UInt64
    public let header: String
    public let certificate: String
    public let record: String
    public let proof: String

    public init(_ proven: ProvenEntry) {
        height = proven.header.height.rawValue
        header = proven.header.canonicalBytes.base64
        certificate = proven.certificate.canonicalBytes.base64
        record = proven.value.base64
        proof = proven.proof.canonicalBytes.base64
    }
}

/// A report with its proofs: the header entry, then one entry per version (oldest first),
/// all against the same certified header.
public struct ProvenReportView: Codable, Sendable {
    public struct VersionEntry: Codable, Sendable {
        public let record: String
        public let proof: String
    }
    public let height: UInt64
    public let header: String
    public let certificate: String
    public let record: String
    public let proof: String
    public let versions: [VersionEntry]

    public init(_ report: ProvenEntry, versions: [ProvenEntry]) {
        height = report.header.height.rawValue
        header = report.header.canonicalBytes.base64
        certificate = report.certificate.canonicalBytes.base64
        record = report.value.base64
        proof = report.proof.canonicalBytes.base64
        self.versions = versions.map { VersionEntry(record: $0.value.base64, proof: $0.proof.canonicalBytes.base64) }
    }
}
