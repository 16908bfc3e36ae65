import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode

extension LedgerAPI {
    /// Every read by the organization's practitioners, allowed or denied, newest first,
    /// filtered. A page reads a bounded number of index rows and may come back short with
    /// `nextCursor` set.
    func getOrganizationAccessLog(_ input: Operations.GetOrganizationAccessLog.Input) async throws
        -> Operations.GetOrganizationAccessLog.Output
    {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let query = input.query
        var filter = AccessLogFilter()
        filter.patient = try query.patient.map { try Parameter.identity($0, "patient") }
        filter.practitioner = try query.practitioner.map { try Parameter.identity($0, "practitioner") }
        filter.purpose = try query.purpose.map { try Parameter.named(Purpose.self, $0, "purpose") }
        filter.allowed = try query.outcome.map { text in
            switch text {
            case "allowed": return true
            case "denied": return false
            default:
                throw APIProblem(status: .badRequest, detail: "outcome must be allowed or denied", field: "outcome")
            }
        }
        filter.from = try query.from.map { try Parameter.time($0, "from") }
        filter.to = try query.to.map { try Parameter.time($0, "to") }
        if let from = filter.from, let to = filter.to, to < from {
            throw APIProblem(status: .badRequest, detail: "to is before from", field: "to")
        }
        let organization = try await authorizedOverseer(input.path.id)
        let found = try await node.accessLog(
            ofOrganization: organization, filter: filter, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        organization: organization.hex, nextCursor: found.next?.description, scanned: found.scanned,
                        entries: found.events.compactMap(Components.Schemas.AuditEntry.init)))))
    }

    /// The organization's practitioners, newest registration first.
    func getOrganizationPractitioners(_ input: Operations.GetOrganizationPractitioners.Input) async throws
        -> Operations.GetOrganizationPractitioners.Output
    {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let organization = try await authorizedOverseer(input.path.id)
        let (records, next) = try await node.practitioners(
            ofOrganization: organization, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        organization: organization.hex, nextCursor: next?.description,
                        practitioners: records.map(Components.Schemas.Identity.init)))))
    }

    /// The cases about reads by the organization's practitioners, newest opened first.
    func getOrganizationCases(_ input: Operations.GetOrganizationCases.Input) async throws
        -> Operations.GetOrganizationCases.Output
    {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let status = try input.query.status.map { try Parameter.named(CaseStatus.self, $0, "status") }
        let organization = try await authorizedOverseer(input.path.id)
        let (cases, next) = try await node.cases(
            ofOrganization: organization, status: status, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(body: .json(.init(nextCursor: next?.description, cases: cases.map(Components.Schemas.Case.init)))))
    }

    /// 403 unless the caller oversees the organization (its key, privacy officers, admins);
    /// an id that is no organization gets the same answer, so ids cannot be probed.
    private func authorizedOverseer(_ text: String) async throws -> IdentityID {
        let organization = try Parameter.identity(text)
        let caller = try await caller()
        guard await node.mayOverseeOrganization(organization, caller: caller.id) else {
            throw APIProblem(
                status: .forbidden,
                detail: "only the organization's key, or its practitioners with privacy-officer or admin, may see this",
                field: "id")
        }
        return organization
    }
}

extension LedgerAPI {
    /// The cases the patient (or a guardian) opened, newest first.
    func getPatientCases(_ input: Operations.GetPatientCases.Input) async throws -> Operations.GetPatientCases.Output {
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let patient = try Parameter.identity(input.path.id)
        try await requireSpeaksFor(patient: patient, caller: try await caller().id)
        let (cases, next) = try await node.cases(ofPatient: patient, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(body: .json(.init(nextCursor: next?.description, cases: cases.map(Components.Schemas.Case.init)))))
    }

    /// A case and the access transaction it points to, as that transaction's signer would
    /// see it, with whether it names the case's report, patient and reader.
    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let id: CaseID = try Parameter.opaque(input.path.id)
        let caller = try await caller()
        // An unknown case and a case the caller may not see get the same 403.
        guard let record = await node.case(id), await node.mayView(case: record, caller: caller.id) else {
            throw APIProblem(status: .forbidden, detail: "no access to case \(id)", field: "id")
        }
        let proven = try await node.inclusionProof(record.accessTransaction)
        let problem = CaseEvidence.problem(with: record, evidence: proven?.0)
        // The signer's view: the privacy officer needs the receipt's facts and events.
        let evidence = proven.map {
            Components.Schemas.Transaction.committed($0.0, header: $0.1, proof: $0.2, forSigner: true)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        _case: .init(record), evidence: evidence, evidenceMatches: problem == nil,
                        evidenceProblem: problem))))
    }

    /// What the practitioner has to do: reports shared with it, reports awaiting its approval.
    func getPractitionerWorklist(_ input: Operations.GetPractitionerWorklist.Input) async throws
        -> Operations.GetPractitionerWorklist.Output
    {
        let page = try PageQuery(limit: input.query.limit, cursor: nil)
        let sharedCursor = try PageQuery.eventCursor(input.query.sharedCursor, "sharedCursor")
        let approvalCursor = try PageQuery.eventCursor(input.query.approvalCursor, "approvalCursor")
        let practitioner = try Parameter.identity(input.path.id)
        let caller = try await caller()
        guard caller.id == practitioner, caller.kind == .practitioner else {
            throw APIProblem(status: .forbidden, detail: "only the practitioner may see its worklist", field: "id")
        }
        let shared = try await node.sharedWith(practitioner: caller, before: sharedCursor, limit: page.limit)
        let pending = try await node.awaitingApproval(practitioner: caller, before: approvalCursor, limit: page.limit)
        let time = await node.consensusTime
        return .ok(
            .init(
                body: .json(
                    .init(
                        practitioner: practitioner.hex,
                        shared: shared.grants.map {
                            .init(
                                grant: .init($0.grant, at: time),
                                reports: $0.reports.map(Components.Schemas.Report.init))
                        },
                        sharedNextCursor: shared.next?.description,
                        awaitingApproval: pending.reports.map { Components.Schemas.Report($0.report) },
                        awaitingApprovalNextCursor: pending.next?.description))))
    }
}
