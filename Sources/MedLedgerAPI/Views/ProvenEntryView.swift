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
