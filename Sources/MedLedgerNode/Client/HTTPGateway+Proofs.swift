import Foundation
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
            return try await provenRecord(IdentityRecord.self, key: .identity(id), path: "/v1/identities/\(id.hex)/proof",
                                          caller: nil, anchor: anchor)
        } catch let error as NodeError where error.kind == .notFound { return nil }
    }

    /// The report record at the latest block, checked against `anchor`.
    func provenReport(_ id: ReportID, caller: ClientIdentity, anchor: Genesis) async throws -> ReportRecord {
        try await provenRecord(ReportRecord.self, key: .report(id), path: "/v1/reports/\(id.hex)/proof",
                               caller: caller, anchor: anchor)
    }

    /// A state entry the node serves with its proof. The header's certificate must verify
    /// with the genesis validators, the header be recent, and the entry be in the header's
    /// state root; otherwise `ClientError.integrity` says which check failed.
    func provenRecord<T: CanonicalDecodable>(_ type: T.Type, key: StateKey, path: String, caller: ClientIdentity?,
                                             anchor: Genesis) async throws -> T {
        let answer = try await get(Wire.ProvenEntry.self, path, as: caller)
        let header = try Self.canonical(BlockHeader.self, answer.header, field: "header")
        let certificate = try Self.canonical(CommitCertificate.self, answer.certificate, field: "certificate")
        let proof = try Self.canonical(StateProof.self, answer.proof, field: "proof")
        guard let value = Data(base64Encoded: answer.record).map(Array.init) else { throw Self.malformed("record") }
        let record = try Self.canonical(T.self, answer.record, field: "record")
        let validators = anchor.validatorSet
        guard header.chainID == anchor.chainID, header.validatorsHash == validators.hash else {
            throw ClientError.integrity("the node's header is for another chain or validator set")
        }
        if let problem = certificate.problem(chainID: anchor.chainID, header: header, validators: validators) {
            throw ClientError.integrity("the node's header \(header.height) is not certified: \(problem)")
        }
        let now = SystemClock.now().milliseconds
        guard header.time.milliseconds + Self.proofMaxAgeMilliseconds >= now else {
            throw ClientError.integrity("the node's latest certified block \(header.height) is more than 10 minutes old")
        }
        guard proof.verifies(key: key.bytes, value: value, stateRoot: header.stateRoot) else {
            throw ClientError.integrity("the record is not proven by block \(header.height)'s state root")
        }
        return record
    }
}
