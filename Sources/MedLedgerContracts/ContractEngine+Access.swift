import MedLedgerCore

extension ContractEngine {
    /// A read. Allowed for the patient, a guardian, practitioners of the authoring
    /// organization, and holders of an active grant for this purpose; every attempt, allowed
    /// or denied, leaves an access event under the patient's id.
    func accessReport(
        _ body: AccessReport, _ reader: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        let report = try existingReport(body.report, state)
        guard report.version(body.version) != nil else {
            throw Rejection(.unknownVersion, .report(report.id), .version(body.version))
        }
        let basis = accessBasis(reader: reader, report: report, purpose: body.purpose, state, context)
        let event = LedgerEvent.access(
            report: report.id, version: body.version, patient: report.patient,
            reader: reader.id, purpose: body.purpose, basis: basis,
            organization: reader.kind == .practitioner ? reader.organization : nil)
        if case .denied(let code) = basis {
            throw Rejection(
                code, .identity(reader.id), .report(report.id), .version(body.version),
                .purpose(body.purpose), events: [event])
        }
        return .accepted([event])
    }

    func accessBasis(
        reader: IdentityRecord, report: ReportRecord, purpose: Purpose, _ state: LedgerState,
        _ context: BlockContext
    ) -> AccessBasis {
        if reader.id == report.patient { return .relationship }
        if state.isGuardian(reader.id, of: report.patient) { return .relationship }
        if reader.kind == .practitioner, reader.organization == report.organization,
            reader.has(.author) || reader.has(.approver) || reader.has(.reader)
        {
            return .relationship
        }
        for grant in state.grants(ofPatient: report.patient) where grantCovers(grant, reader, report, purpose, context)
        {
            return .grant(grant.id)
        }
        return .denied(.noActiveGrant)
    }

    private func grantCovers(
        _ grant: GrantRecord, _ reader: IdentityRecord, _ report: ReportRecord, _ purpose: Purpose,
        _ context: BlockContext
    ) -> Bool {
        guard grant.status(at: context.time) == .active, grant.purpose == purpose,
            grant.scope.covers(report: report.id, category: report.category)
        else { return false }
        if grant.grantee == reader.id { return true }
        // A grant to an organization covers its practitioners who hold the reader role.
        return reader.kind == .practitioner && grant.grantee == reader.organization && reader.has(.reader)
    }
}
