import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.ProvenEntry {
    /// A state entry with its proof: the latest header, its commit certificate, the record and
    /// the `StateProof`, all canonical bytes (see `docs/spec/api.md`, proven records).
    public init(_ proven: ProvenEntry) {
        self.init(
            height: Int(ledger: proven.header.height.rawValue), header: .init(proven.header.canonicalBytes),
            certificate: .init(proven.certificate.canonicalBytes), record: .init(proven.value),
            proof: .init(proven.proof.canonicalBytes))
    }
}

extension Components.Schemas.ProvenReport {
    /// A report with its proofs: the header entry, then one entry per version (oldest first),
    /// all against the same certified header.
    public init(_ report: ProvenEntry, versions: [ProvenEntry]) {
        self.init(
            height: Int(ledger: report.header.height.rawValue), header: .init(report.header.canonicalBytes),
            certificate: .init(report.certificate.canonicalBytes), record: .init(report.value),
            proof: .init(report.proof.canonicalBytes),
            versions: versions.map { .init(record: .init($0.value), proof: .init($0.proof.canonicalBytes)) })
    }
}
