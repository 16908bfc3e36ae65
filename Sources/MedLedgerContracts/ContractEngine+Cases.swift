import MedLedgerCore

extension ContractEngine {
    /// A patient (or guardian) reports a read: the case goes to the reader's organization.
    /// The access transaction is kept as evidence; the contracts cannot look transactions
    /// up, so the API checks it against the report and reader when it shows the case.
    func openCase(
        _ body: OpenCase, _ signer: IdentityRecord, _ state: inout LedgerState, _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard !body.caseID.isReserved else { throw Rejection.invalid(.caseID, .reserved, .caseID(body.caseID)) }
        guard state.case(body.caseID) == nil else { throw Rejection(.caseExists, .caseID(body.caseID)) }
        let report = try existingReport(body.report, state)
        guard let patient = state.identity(report.patient), speaksFor(signer, patient: patient, state) else {
            throw Rejection(.notPatientOrGuardian, .report(report.id))
        }
        guard let reader = state.identity(body.reader), reader.kind == .practitioner,
            let organization = reader.organization
        else {
            throw Rejection.unregistered(.reader, body.reader, expecting: .practitioner)
        }
        state.put(
            CaseRecord(
                id: body.caseID, patient: report.patient, report: report.id, reader: reader.id,
                organization: organization, accessTransaction: body.accessTransaction, concern: body.concern,
                openedBy: signer.id, openedAt: context.time))
        return .accepted([
            .caseChanged(
                case: body.caseID, patient: report.patient, organization: organization, reader: reader.id,
                status: .open)
        ])
    }

    /// A privacy officer of the case's organization records the outcome; open cases only.
    func resolveCase(
        _ body: ResolveCase, _ signer: IdentityRecord, _ state: inout LedgerState, _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard var record = state.case(body.caseID) else { throw Rejection(.unknownCase, .caseID(body.caseID)) }
        guard signer.kind == .practitioner, signer.organization == record.organization, signer.has(.privacyOfficer)
        else {
            throw Rejection(.missingRole, .role(.privacyOfficer), .organization(record.organization))
        }
        guard record.status == .open else { throw Rejection(.caseClosed, .caseID(record.id)) }
        record.status = .resolved
        record.resolution = body.resolution
        record.resolvedBy = signer.id
        record.resolvedAt = context.time
        state.put(record)
        return .accepted([
            .caseChanged(
                case: record.id, patient: record.patient, organization: record.organization, reader: record.reader,
                status: .resolved)
        ])
    }
}
