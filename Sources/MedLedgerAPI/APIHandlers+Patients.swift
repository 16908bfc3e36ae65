import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

extension APIHandlers {
    /// `GET /v1/patients/{id}/reports` (signed; the patient or a guardian).
    func patientReports(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let page = try PageQuery(request)
        let patient = try await authorizedPatient(request, context)
        let (reports, next) = try await node.reports(ofPatient: patient, before: page.eventCursor(), limit: page.limit)
        return try APIEncoding.json(
            ReportsView(
                patient: patient.hex, reports: reports.map(ReportView.init),
                nextCursor: next?.description))
    }

    /// `GET /v1/patients/{id}/grants` (signed; the patient or a guardian), with each
    /// grant's status at the node's consensus time.
    func patientGrants(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let page = try PageQuery(request)
        let after = try page.cursor.map { text in
            guard let id = GrantID(hex: text) else {
                throw APIProblem(
                    status: .badRequest, detail: "cursor must be the nextCursor of a previous page", field: "cursor")
            }
            return id
        }
        let patient = try await authorizedPatient(request, context)
        let time = await node.consensusTime
        // Grants are listed in id order; the cursor is the last id of the previous page.
        let (grants, next) = await node.grants(ofPatient: patient, after: after, limit: page.limit)
        return try APIEncoding.json(
            GrantsView(
                patient: patient.hex, time: time.description,
                grants: grants.map { GrantView($0, at: time) }, nextCursor: next?.hex))
    }

    /// `GET /v1/patients/{id}/audit` (signed; the patient or a guardian): every read
    /// attempt on the patient's reports, allowed or denied; newest first, in pages.
    func patientAudit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let page = try PageQuery(request)
        let patient = try await authorizedPatient(request, context)
        let trail = try await node.accessTrail(ofPatient: patient, before: page.eventCursor(), limit: page.limit)
        return try APIEncoding.json(
            AuditView(
                patient: patient.hex, entries: trail.events.compactMap(AuditEntryView.init),
                nextCursor: trail.next?.description))
    }

    private func authorizedPatient(_ request: Request, _ context: APIRequestContext) async throws -> IdentityID {
        let patient = try PathParameter.identity(context)
        let caller = try await caller(request, body: [])
        try await requireSpeaksFor(patient: patient, caller: caller.id)
        return patient
    }
}
