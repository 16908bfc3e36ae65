import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface

extension HTTPGateway {
    /// The cases the patient (or a guardian) opened, newest first (`GET /v1/patients/{id}/cases`).
    public func cases(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws
        -> Page<CaseRecord>
    {
        let answer = try await call {
            try await api(as: caller).getPatientCases(
                path: .init(id: patient.hex), query: .init(limit: String(page.limit), cursor: page.cursor)
            ).ok.body.json
        }
        return Page(items: try answer.cases.map(Self.caseRecord), nextCursor: answer.nextCursor)
    }

    /// The cases about reads by the organization's practitioners, newest first, optionally
    /// only those now in `status` (`GET /v1/organizations/{id}/cases`).
    public func cases(
        ofOrganization organization: IdentityID, status: CaseStatus?, caller: ClientIdentity, page: PageRequest
    ) async throws -> Page<CaseRecord> {
        let answer = try await call {
            try await api(as: caller).getOrganizationCases(
                path: .init(id: organization.hex),
                query: .init(status: status?.name, limit: String(page.limit), cursor: page.cursor)
            ).ok.body.json
        }
        return Page(items: try answer.cases.map(Self.caseRecord), nextCursor: answer.nextCursor)
    }

    /// One case with whether its evidence holds (`GET /v1/cases/{id}`).
    public func caseDetail(_ id: CaseID, caller: ClientIdentity) async throws -> (
        record: CaseRecord, evidenceMatches: Bool, evidenceProblem: String?
    ) {
        let answer = try await call {
            try await api(as: caller).getCase(path: .init(id: id.hex)).ok.body.json
        }
        return (try Self.caseRecord(answer._case), answer.evidenceMatches, answer.evidenceProblem)
    }

    static func caseRecord(_ view: Components.Schemas.Case) throws -> CaseRecord {
        try canonical(CaseRecord.self, view.canonical, field: "cases.canonical")
    }
}
