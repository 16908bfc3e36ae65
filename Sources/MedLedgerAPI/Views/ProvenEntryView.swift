import MedLedgerCore
import MedLedgerNode

/// A state entry with its proof: the latest header, its commit certificate, the record and
/// the `StateProof`, all base64 canonical bytes (see `docs/spec/api.md`, proven records).
struct ProvenEntryView: Encodable {
    let height: UInt64
    let header: String
    let certificate: String
    let record: String
    let proof: String

    init(_ proven: ProvenEntry) {
        height = proven.header.height
        header = proven.header.canonicalBytes.base64
        certificate = proven.certificate.canonicalBytes.base64
        record = proven.value.base64
        proof = proven.proof.canonicalBytes.base64
    }
}

/// A report with its proofs: the header entry, then one entry per version (oldest first),
/// all against the same certified header.
struct ProvenReportView: Encodable {
    struct VersionEntry: Encodable {
        let record: String
        let proof: String
    }
    let height: UInt64
    let header: String
    let certificate: String
    let record: String
    let proof: String
    let versions: [VersionEntry]

    init(_ report: ProvenEntry, versions: [ProvenEntry]) {
        height = report.header.height
        header = report.header.canonicalBytes.base64
        certificate = report.certificate.canonicalBytes.base64
        record = report.value.base64
        proof = report.proof.canonicalBytes.base64
        self.versions = versions.map { VersionEntry(record: $0.value.base64, proof: $0.proof.canonicalBytes.base64) }
    }
}
