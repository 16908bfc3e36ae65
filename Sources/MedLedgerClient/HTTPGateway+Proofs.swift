import Foundation
import MedLedgerAPIModel
import MedLedgerHTTPInterface
import OpenAPIRuntime
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
            let answer = try await call {
                try await api().getIdentityProof(path: .init(id: id.hex)).ok.body.json
            }
            let header = try certifiedHeader(answer.header, answer.certificate, anchor: anchor)
            return try provenValue(key: .identity(id), answer.record, answer.proof, header: header)
        } catch let error as NodeError where error.kind == .notFound { return nil }
    }

    /// The report record at the latest block, checked against `anchor`: its header entry and
    /// every version entry, each proven against the same certified header.
    func provenReport(_ id: ReportID, caller: ClientIdentity, anchor: Genesis) async throws -> ReportRecord {
        let answer = try await call {
            try await api(as: caller).getReportProof(path: .init(id: id.hex)).ok.body.json
        }
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

    /// The header, once its certificate verifies with the genesis validators and it is recent.
    func certifiedHeader(_ headerBytes: Base64EncodedData, _ certificateBytes: Base64EncodedData, anchor: Genesis)
        throws -> BlockHeader
    {
        let header = try Self.canonical(BlockHeader.self, headerBytes, field: "header")
        let certificate = try Self.canonical(CommitCertificate.self, certificateBytes, field: "certificate")
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
        key: StateKey, _ recordBytes: Base64EncodedData, _ proofBytes: Base64EncodedData,
        header: BlockHeader
    ) throws -> T {
        let proof = try Self.canonical(StateProof.self, proofBytes, field: "proof")
        let value = Array(recordBytes.data)
        let record = try Self.canonical(T.self, recordBytes, field: "record")
        guard proof.verifies(key: key.bytes, value: value, stateRoot: header.stateRoot) else {
            throw ClientError.integrity("the record is not proven by block \(header.height)'s state root")
        }
        return record
    }
}
