import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import OpenAPIRuntime

extension HTTPGateway {
    /// A patient's whole audit trail, downloaded as one export (`GET
    /// /v1/patients/{id}/audit/export`, signed as `caller`: the patient or a guardian) and
    /// checked record by record (`AuditTrailExport.decode`): newest first, read at one height.
    /// - Throws: `NodeError` for the node's refusals (as `accessTrail`); `ClientError.integrity`
    ///   naming what is wrong when the body is truncated, oversized, out of order, garbage,
    ///   or about another patient.
    public func auditTrailExport(ofPatient patient: IdentityID, caller: ClientIdentity) async throws
        -> AuditTrailExport.Trail
    {
        try Self.decodeAuditTrailExport(
            try await auditTrailExportBytes(ofPatient: patient, caller: caller), patient: patient)
    }

    /// The export's bytes as the node sent them, undecoded (what `bench` times on the wire).
    /// At most `Limits.httpClientAnswerMaxBytes`, some 230,000 events: a longer trail is
    /// refused with a `NodeError` naming the limit rather than filling memory.
    public func auditTrailExportBytes(ofPatient patient: IdentityID, caller: ClientIdentity) async throws -> [UInt8] {
        try await call {
            let body = try await api(as: caller).getPatientAuditExport(path: .init(id: patient.hex)).ok.body.binary
            return try await [UInt8](collecting: body, upTo: Limits.httpClientAnswerMaxBytes)
        }
    }

    /// Decodes an export and checks that it is the trail of `patient`.
    /// - Throws: `ClientError.integrity` with the decoder's reason.
    public static func decodeAuditTrailExport(_ bytes: [UInt8], patient: IdentityID) throws
        -> AuditTrailExport.Trail
    {
        let trail: AuditTrailExport.Trail
        do {
            trail = try AuditTrailExport.decode(bytes)
        } catch {
            throw ClientError.integrity("\(error)")
        }
        guard trail.patient == patient else {
            throw ClientError.integrity("audit-trail export: it is the trail of \(trail.patient), not of \(patient)")
        }
        return trail
    }
}
