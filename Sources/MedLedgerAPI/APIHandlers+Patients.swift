import Hummingbird
import MedLedgerCore
import MedLedgerNode

extension APIHandlers {
    /// `GET /v1/patients/{id}/reports` (signed; the patient or a guardian).
    func patientReports(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        struct ReportsView: Encodable { let patient: String; let reports: [ReportView] }
        let patient = try await authorizedPatient(request, context)
        let reports = try await node.reports(ofPatient: patient)
        return try APIEncoding.json(ReportsView(patient: patient.hex, reports: reports.map(ReportView.init)))
    }

    /// `GET /v1/patients/{id}/grants` (signed; the patient or a guardian), with each
    /// grant's status at the node's consensus time.
    func patientGrants(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        struct GrantsView: Encodable { let patient: String; let time: String; let grants: [GrantView] }
        let patient = try await authorizedPatient(request, context)
        let time = await node.consensusTime
        let grants = await node.grants(ofPatient: patient).map { GrantView($0, at: time) }
        return try APIEncoding.json(GrantsView(patient: patient.hex, time: time.description, grants: grants))
    }

    /// `GET /v1/patients/{id}/audit` (signed; the patient or a guardian): every read
    /// attempt on the patient's reports, allowed or denied.
    func patientAudit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        struct AuditView: Encodable { let patient: String; let entries: [AuditEntryView] }
        let patient = try await authorizedPatient(request, context)
        let entries = try await node.accessTrail(ofPatient: patient).compactMap(AuditEntryView.init)
        return try APIEncoding.json(AuditView(patient: patient.hex, entries: entries))
    }

    private func authorizedPatient(_ request: Request, _ context: APIRequestContext) async throws -> IdentityID {
        let patient = try PathParameter.identity(context)
        let caller = try await caller(request, body: [])
        try await requireSpeaksFor(patient: patient, caller: caller.id)
        return patient
    }
}
