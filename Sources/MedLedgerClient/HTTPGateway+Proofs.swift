import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerContracts

/// Checking what a node says against the consortium's genesis, so a client never encrypts a
/// report key to a key that a lying or hijacked node made up.
extension HTTPGateway {
    /// How old the certified header behind a proof may be: an honest network seals a block
    /// every second or so, and an old header could show keys that were rotated since.
    public static let proofMaxAgeMilliseconds: UInt64 = 10 * 60 * 1_000

    /// The identity at the latest block, checked against `anchor` (see `provenRecord`).
    func provenIdentity(_ id: IdentityID, anchor: Genesis) async throws -> IdentityRecord? {
        do {
            return try await provenRecord(
                IdentityRecord.self, key: .identity(id), path: "/v1/identities/\(id.hex)/proof",
                caller: nil, anchor: anchor)
        } catch let error as NodeError where error.kind == .notFound { return nil }
    }

    /// The report record at the latest block, checked against `anchor`: its header entry and
    /// every version entry, each proven against the same certified header.
    func provenReport(_ id: ReportID, caller: ClientIdentity, anchor: Genesis) async throws -> ReportRecord {
        let answer = try await get(ProvenReportView.self, "/v1/reports/\(id.hex)/proof", as: caller)
        let header = try certifiedHeader(answer.header, answer.certificate, anchor: anchor)
        let reportHeader: ReportHeader = try provenValue(key: .report(id), answer.record, answer.proof, header: header)
        guard reportHeader.id == id, answer.versions.count == Int(reportHeader.versionCount) else {
            throw ClientError.integrity(
                "report \(id): the node sent \(answer.versions.count) versions for a header naming \(reportHeader.versionCount)"
            )
        }
        var versions = [ReportVersionRecord]()
        for (index, entry) in answer.versions.enumerated() {
            versions.append(
                try provenValue(
                    key: .reportVersion(id, ReportVersion(UInt32(index + 1))), entry.record, entry.proof, header: header
                ))
        }
        guard let record = ReportRecord(header: reportHeader, versions: versions) else {
            throw ClientError.integrity("report \(id): versions out of order")
        }
        return record
    }

    /// A state entry the node serves with its proof. The header's certificate must verify
    /// with the genesis validators, the header be recent, and the entry be in the header's
    /// state root; otherwise `ClientError.integrity` says which check failed.
    func provenRecord<T: CanonicalDecodable>(
        _ type: T.Type, key: StateKey, path: String, caller: ClientIdentity?,
        anchor: Genesis
    ) async throws -> T {
        let answer = try await get(ProvenEntryView.self, path, as: caller)
        let header = try certifiedHeader(answer.header, answer.certificate, anchor: anchor)
        return try provenValue(key: key, answer.record, answer.proof, header: header)
    }

    /// The header, once its certificate verifies with the genesis validators and it is recent.
    func certifiedHeader(_ headerText: String, _ certificateText: String, anchor: Genesis) throws -> BlockHeader {
        let header = try Self.canonical(BlockHeader.self, headerText, field: "header")
        let certificate = try Self.canonical(CommitCertificate.self, certificateText, field: "certificate")
        let validators = anchor.validatorSet
        guard header.chainID == anchor.chainID, header.validatorsHash == validators.hash else {
            throw ClientError.integrity("the node's header is for another chain or validator set")
        }
        if let problem = certificate.problem(chainID: anchor.chainID, header: header, validators: validators) {
            throw ClientError.integrity("the node's header \(header.height) is not certified: \(problem)")
        }
        let now = SystemClock.now().milliseconds
        guard header.time.milliseconds + Self.proofMaxAgeMilliseconds >= now else {
            throw ClientError.integrity(
                "the node's latest certified block \(header.height) is more than 10 minutes old")
        }
        return header
    }

    /// A record at `key`, once its proof verifies against the certified header's state root.
    func provenValue<T: CanonicalDecodable>(
        key: StateKey, _ recordText: String, _ proofText: String,
        header: BlockHeader
    ) throws -> T {
        let proof = try Self.canonical(StateProof.self, proofText, field: "proof")
        guard let value = Data(base64Encoded: recordText).map(Array.init) else { throw Self.malformed("record") }
        let record = try Self.canonical(T.self, recordText, field: "record")
        guard proof.verifies(key: key.bytes, value: value, stateRoot: header.stateRoot) else {
            throw ClientError.integrity("the record is not proven by block \(header.height)'s state root")
        }
        return record
    }
}
