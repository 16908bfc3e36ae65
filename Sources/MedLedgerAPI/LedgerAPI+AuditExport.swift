import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode
import OpenAPIRuntime

extension LedgerAPI {
    /// The patient's whole audit trail as one verifiable download (`AuditTrailExport`),
    /// authorized exactly as `getPatientAudit` (signed; the patient or a guardian). The body
    /// is streamed: the node reads a page of the index each time the connection takes the
    /// previous one, so neither side holds the whole trail, and the length is not known
    /// up front (chunked transfer encoding).
    func getPatientAuditExport(_ input: Operations.GetPatientAuditExport.Input) async throws
        -> Operations.GetPatientAuditExport.Output
    {
        let patient = try await authorizedPatient(input.path.id)
        let export = await node.auditTrailExport(ofPatient: patient)
        let body = HTTPBody(export.map { ArraySlice($0) }, length: .unknown, iterationBehavior: .single)
        return .ok(.init(body: .binary(body)))
    }
}
