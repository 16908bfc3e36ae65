import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerContracts
import MedLedgerVault

/// The plaintext side of a report, as an author writes it.
public struct ReportDraft: Sendable {
    public var title: String
    public var effectiveDate: String?
    public var note: String?
    public var body: [UInt8]
    public init(title: String, effectiveDate: String? = nil, note: String? = nil, body: [UInt8]) {
        self.title = title
        self.effectiveDate = effectiveDate
        self.note = note
        self.body = body
    }
}

/// What a read gave: the committed access receipt and, when granted, the opened report
/// and (when the key came from custodians' shares) which custodians gave it.
public struct ReadResult: Sendable {
    public let receipt: CommittedTransaction
    public let report: OpenedReport?
    public let custody: CustodyOutcome?
}

extension LedgerClient {
    /// Encrypts the draft, uploads the ciphertext, and submits version 1.
    public func submitReport(
        patient: IdentityID, category: Code, draft: ReportDraft,
        recipients: [IdentityID] = []
    ) async throws -> (ReportID, CommittedTransaction) {
        let id = ReportID.random()
        let content = try await sealAndUpload(draft, report: id, version: 1, patient: patient)
        let committed = try await sendExpectingSuccess(
            .submitReport(
                SubmitReport(
                    report: id, patient: patient, category: category, content: content, recipients: recipients)))
        return (id, committed)
    }

    @discardableResult
    public func approve(_ report: ReportID, version: ReportVersion) async throws -> CommittedTransaction {
        try await sendExpectingSuccess(.approveReport(ApproveReport(report: report, version: version)))
    }

    /// Adds a new version that amends or corrects the latest one.
    @discardableResult
    public func revise(
        _ report: ReportID, kind: RevisionKind, reason: ChangeReason,
        draft: ReportDraft
    ) async throws -> CommittedTransaction {
        let current = try await gateway.report(report, caller: me)
        let version = current.latest.version + 1
        let content = try await sealAndUpload(draft, report: report, version: version, patient: current.patient)
        return try await sendExpectingSuccess(
            .reviseReport(
                ReviseReport(
                    report: report, previousVersion: current.latest.version, kind: kind, reason: reason,
                    content: content)))
    }

    @discardableResult
    public func markEnteredInError(_ report: ReportID, reason: ChangeReason) async throws -> CommittedTransaction {
        try await sendExpectingSuccess(.markEnteredInError(MarkEnteredInError(report: report, reason: reason)))
    }

    /// Reads a report: commits an access transaction (the receipt), then fetches the
    /// version's record, key material (own envelope, or the node's key share released against
    /// the receipt) and ciphertext in one answer; with a share, collects the rest of the
    /// threshold from the other custodians; decrypts, and checks address and commitment. A
    /// denied read returns the committed denial and no report.
    ///
    /// Over HTTP with the genesis at hand this is three round trips: the report or the nonce
    /// (either answer carries the next nonce), the access transaction waited to its commit,
    /// and the content.
    public func read(_ report: ReportID, version: ReportVersion? = nil, purpose: Purpose) async throws -> ReadResult {
        let number: ReportVersion
        if let version { number = version } else { number = try await latestVersionVisibleOrOne(report) }
        let receipt = try await send(.accessReport(AccessReport(report: report, version: number, purpose: purpose)))
        guard receipt.receipt.code.isSuccess else { return ReadResult(receipt: receipt, report: nil, custody: nil) }
        let content = try await gateway.versionContent(report: report, version: number, caller: me)
        guard content.record.version == number else {
            throw ClientError.integrity("asked for version \(number), got \(content.record.version)")
        }
        let (dataKey, custody) = try await dataKey(for: content, report: report, version: number, receipt: receipt)
        let opened = try ReportCrypto.open(
            blob: content.ciphertext, content: content.record.content, dataKey: dataKey,
            report: report, version: number)
        return ReadResult(receipt: receipt, report: opened, custody: custody)
    }

    /// Before the access receipt exists a stranger cannot see the report, so default to
    /// the latest version when visible and to version 1 otherwise.
    private func latestVersionVisibleOrOne(_ report: ReportID) async throws -> ReportVersion {
        (try? await gateway.report(report, caller: me))?.latest.version ?? 1
    }

    private func sealAndUpload(
        _ draft: ReportDraft, report: ReportID, version: ReportVersion,
        patient: IdentityID
    ) async throws -> ReportContent {
        guard gateway.provesKeys else {
            throw ClientError.integrity(
                "encrypting needs keys proven against the consortium's genesis; give the client the genesis file")
        }
        guard let patientRecord = try await gateway.identity(patient) else {
            throw ClientError.notFound("patient \(patient)")
        }
        let recipients: [(IdentityID, PublicEncryptionKey)] = [
            (patient, patientRecord.encryptionKey),
            (me.id, me.keys.publicEncryptionKey),
        ]
        let sealed = try ReportCrypto.seal(
            plaintext: draft.body, title: draft.title, effectiveDate: draft.effectiveDate,
            note: draft.note, report: report, version: version, recipients: recipients,
            custody: try await gateway.custody())
        let address = try await gateway.putBlob(sealed.blob, caller: me)
        guard address == sealed.content.contentAddress else {
            throw ClientError.integrity(
                "node stored the blob under \(address), expected \(sealed.content.contentAddress)")
        }
        return sealed.content
    }
}
