import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode

extension LedgerAPI {
    /// The patient's reports, newest first (signed; the patient or a guardian).
    func getPatientReports(_ input: Operations.GetPatientReports.Input) async throws
        -> Operations.GetPatientReports.Output
    {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let patient = try await authorizedPatient(input.path.id)
        let (reports, next) = try await node.reports(ofPatient: patient, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        patient: patient.hex, nextCursor: next?.description,
                        reports: reports.map(Components.Schemas.Report.init)))))
    }

    /// The patient's grants in id order (signed; the patient or a guardian), with each
    /// grant's status at the node's consensus time.
    func getPatientGrants(_ input: Operations.GetPatientGrants.Input) async throws
        -> Operations.GetPatientGrants.Output
    {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let after = try page.cursor.map { text in
            guard let id = GrantID(hex: text) else {
                throw APIProblem(
                    status: .badRequest, detail: "cursor must be the nextCursor of a previous page", field: "cursor")
            }
            return id
        }
        let patient = try await authorizedPatient(input.path.id)
        let time = await node.consensusTime
        // The cursor is the last id of the previous page.
        let (grants, next) = await node.grants(ofPatient: patient, after: after, limit: page.limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        patient: patient.hex, nextCursor: next?.hex, time: time.description,
                        grants: grants.map { .init($0, at: time) }))))
    }

    /// Every read attempt on the patient's reports, allowed or denied; newest first
    /// (signed; the patient or a guardian).
    func getPatientAudit(_ input: Operations.GetPatientAudit.Input) async throws -> Operations.GetPatientAudit.Output {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let patient = try await authorizedPatient(input.path.id)
        let trail = try await node.accessTrail(ofPatient: patient, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        patient: patient.hex, nextCursor: trail.next?.description,
                        entries: trail.events.compactMap(Components.Schemas.AuditEntry.init)))))
    }

    /// The patient's guardians (signed; the patient or a guardian), with a state proof of the
    /// guardians entry when it is in a certified block. Not public: who looks after whom is
    /// the patient's business, which is why the entry is apart from the identity record.
    func getPatientGuardians(_ input: Operations.GetPatientGuardians.Input) async throws
        -> Operations.GetPatientGuardians.Output
    {
        let patient = try await authorizedPatient(input.path.id)
        let (guardians, proven) = await node.guardians(ofPatient: patient)
        return .ok(
            .init(
                body: .json(
                    .init(
                        patient: patient.hex, guardians: guardians.map(\.hex),
                        proven: proven.map(Components.Schemas.ProvenEntry.init)))))
    }

    /// The patient named in the path, once the signed caller is shown to speak for it (the
    /// patient or a guardian): every `/v1/patients/{id}/...` read goes through here.
    func authorizedPatient(_ text: String) async throws -> IdentityID {
        let patient = try Parameter.identity(text)
        let caller = try await caller()
        try await requireSpeaksFor(patient: patient, caller: caller.id)
        return patient
    }
}
