import MedLedgerCore

extension ContractEngine {
    func submitReport(
        _ body: SubmitReport, _ author: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard author.kind == .practitioner, let org = author.organization, author.has(.author) else {
            throw Rejection(.missingRole, .role(.author))
        }
        guard state.report(body.report) == nil else { throw Rejection(.reportExists, .report(body.report)) }
        guard let patient = state.identity(body.patient), patient.kind == .patient else {
            throw Rejection.unregistered(.patient, body.patient, expecting: .patient)
        }
        try checkContent(body.content, patient: patient.id, author: author.id, state)
        guard Set(body.recipients).count == body.recipients.count else {
            throw Rejection.invalid(.recipients, .duplicate)
        }
        for recipient in body.recipients {
            guard let record = state.identity(recipient), record.kind == .practitioner || record.kind == .organization
            else {
                throw Rejection.unregistered(.recipients, recipient, expecting: .practitioner, .organization)
            }
        }
        let selfApproved = author.has(.approver)
        let first = ReportVersionRecord(
            version: 1, status: selfApproved ? .final : .preliminary, author: author.id, submittedAt: context.time,
            content: body.content, revision: nil,
            approvals: selfApproved ? [Approval(approver: author.id, time: context.time)] : [])
        var report = ReportRecord(
            id: body.report, patient: patient.id, organization: org, category: body.category,
            recipients: body.recipients, versions: [first], distributed: false)
        var events: [LedgerEvent] = [
            .report(
                report: report.id, version: 1, patient: patient.id, action: .submitted,
                status: first.status, organization: report.organization)
        ]
        if selfApproved { events += distribute(&report, &state, context) }
        state.put(report)
        return .accepted(events)
    }

    func approveReport(
        _ body: ApproveReport, _ approver: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        var report = try existingReport(body.report, state)
        guard approver.has(.approver), approver.organization == report.organization else {
            throw Rejection(.missingRole, .role(.approver), .organization(report.organization))
        }
        guard body.version == report.latest.version else {
            throw Rejection(
                .staleVersion, .field(.version), .version(body.version), .latestVersion(report.latest.version))
        }
        guard report.latest.status == .preliminary else {
            throw Rejection(.invalidStatusTransition, .version(body.version), .status(report.latest.status))
        }
        var latest = report.latest
        latest.status = latest.revision?.kind.resultingStatus ?? .final
        latest.approvals.append(Approval(approver: approver.id, time: context.time))
        report.versions[report.versions.count - 1] = latest
        var events: [LedgerEvent] = [
            .report(
                report: report.id, version: latest.version, patient: report.patient,
                action: .approved, status: latest.status, organization: report.organization)
        ]
        events += distribute(&report, &state, context)
        state.put(report)
        return .accepted(events)
    }

    func reviseReport(
        _ body: ReviseReport, _ author: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        var report = try existingReport(body.report, state)
        guard author.has(.author), author.organization == report.organization else {
            throw Rejection(.missingRole, .role(.author), .organization(report.organization))
        }
        guard body.previousVersion == report.latest.version else {
            throw Rejection(
                .staleVersion, .field(.previousVersion), .version(body.previousVersion),
                .latestVersion(report.latest.version))
        }
        guard report.latest.status.isReleased else {
            throw Rejection(
                .invalidStatusTransition, .latestVersion(report.latest.version), .status(report.latest.status))
        }
        guard report.versions.count < ReportRecord.versionsMaxCount else {
            throw Rejection(.limitReached, .field(.versions), .limit(UInt64(ReportRecord.versionsMaxCount)))
        }
        try checkContent(body.content, patient: report.patient, author: author.id, state)
        let selfApproved = author.has(.approver)
        let next = ReportVersionRecord(
            version: report.latest.version + 1,
            status: selfApproved ? body.kind.resultingStatus : .preliminary, author: author.id,
            submittedAt: context.time, content: body.content, revision: Revision(kind: body.kind, reason: body.reason),
            approvals: selfApproved ? [Approval(approver: author.id, time: context.time)] : [])
        report.versions.append(next)
        state.put(report)
        return .accepted([
            .report(
                report: report.id, version: next.version, patient: report.patient, action: .revised,
                status: next.status, organization: report.organization)
        ])
    }

    func markEnteredInError(
        _ body: MarkEnteredInError, _ signer: IdentityRecord,
        _ state: inout LedgerState
    ) throws -> TransactionReceipt {
        var report = try existingReport(body.report, state)
        guard signer.has(.author) || signer.has(.approver), signer.organization == report.organization else {
            throw Rejection(.missingRole, .role(.author), .role(.approver), .organization(report.organization))
        }
        guard report.latest.status != .enteredInError else {
            throw Rejection(.invalidStatusTransition, .latestVersion(report.latest.version), .status(.enteredInError))
        }
        var latest = report.latest
        latest.status = .enteredInError
        latest.withdrawal = body.reason
        report.versions[report.versions.count - 1] = latest
        state.put(report)
        return .accepted([
            .report(
                report: report.id, version: latest.version, patient: report.patient,
                action: .enteredInError, status: .enteredInError, organization: report.organization)
        ])
    }

    func existingReport(_ id: ReportID, _ state: LedgerState) throws -> ReportRecord {
        guard let report = state.report(id) else { throw Rejection(.unknownReport, .report(id)) }
        return report
    }

    /// Every version must be readable by its patient, its author and each custodian node
    /// (which holds a key share), commit to one share per custodian, and fit the blob limit.
    /// Each envelope to a registered identity must be sealed in the suite of that identity's
    /// current key (ADR 11): one sealed to the wrong kind of key could never be opened.
    func checkContent(
        _ content: ReportContent, patient: IdentityID, author: IdentityID, _ state: LedgerState
    ) throws {
        guard content.sizeBytes > 0, content.sizeBytes <= UInt64(Limits.blobMaxBytes) else {
            throw Rejection.invalid(.contentSizeBytes, .outOfRange, .limit(UInt64(Limits.blobMaxBytes)))
        }
        let recipients = content.envelopes.map(\.recipient)
        guard Set(recipients).count == recipients.count else {
            throw Rejection.invalid(.contentEnvelopes, .duplicate)
        }
        for required in [patient, author] + custodians where !recipients.contains(required) {
            throw Rejection.invalid(.contentEnvelopes, .missingEntry, .identity(required))
        }
        for envelope in content.envelopes {
            // A custodian's share is sealed to its genesis key, as clients take it from there.
            let expected =
                custodians.firstIndex(of: envelope.recipient).map { custodianSuites[$0] }
                ?? state.identity(envelope.recipient)?.encryptionKey.suite
            guard let expected else { continue }
            guard envelope.suite == expected else {
                throw Rejection.invalid(.contentEnvelopes, .wrongSuite, .identity(envelope.recipient))
            }
        }
        guard content.shareCommitments.count == custodians.count else {
            throw Rejection.invalid(.contentShareCommitments, .wrongCount, .limit(UInt64(custodians.count)))
        }
    }

    /// The distribution rule: on first release, every recipient named at submission gets a
    /// treatment grant for this report (all versions), with no expiry; the patient may revoke it.
    func distribute(_ report: inout ReportRecord, _ state: inout LedgerState, _ context: BlockContext) -> [LedgerEvent]
    {
        guard !report.distributed, report.latest.status.isReleased else { return [] }
        report.distributed = true
        var events = [LedgerEvent]()
        for recipient in report.recipients {
            let id = ContractEngine.distributionGrantID(report: report.id, recipient: recipient)
            guard state.grant(id) == nil else { continue }
            state.put(
                GrantRecord(
                    id: id, patient: report.patient, grantee: recipient, scope: .reports([report.id]),
                    purpose: .treatment, validFrom: nil, validUntil: nil, origin: .distribution,
                    grantedBy: report.organization, grantedAt: context.time))
            events.append(.grantChanged(grant: id, patient: report.patient, grantee: recipient, active: true))
        }
        events.append(
            .report(
                report: report.id, version: report.latest.version, patient: report.patient,
                action: .distributed, status: report.latest.status, organization: report.organization))
        return events
    }

    /// Distribution grants get ids derived from report and recipient, so every node agrees,
    /// with the high bit of the first byte set; consent grants must keep it clear, so a
    /// consent grant can never squat on the id of a future distribution grant.
    public static func distributionGrantID(report: ReportID, recipient: IdentityID) -> GrantID {
        var bytes = Array(
            Hash256.of(parts: [
                Array("medledger/distribution-grant/v1".utf8), report.bytes,
                recipient.hash.bytes,
            ]).bytes.prefix(GrantID.byteCount))
        bytes[0] |= 0x80  // the reserved half of the id space: no consent grant can take it first
        return GrantID(bytes: bytes)!
    }
}
