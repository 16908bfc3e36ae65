import MedLedgerCore

extension ContractEngine {
    /// The patient (or a guardian) re-encrypts the latest version under a fresh key. The
    /// new content must be complete (envelopes for the patient, the version's author and
    /// every custodian; one share commitment per custodian), replace exactly the blob named,
    /// and keep the plaintext: same commitment, same size. Nothing else of the version
    /// changes: status, approvals and history stay; its blob attestations start again.
    func rekeyReport(
        _ body: RekeyReport, _ signer: IdentityRecord, _ state: inout LedgerState
    ) throws -> TransactionReceipt {
        var report = try existingReport(body.report, state)
        guard signer.id == report.patient || state.isGuardian(signer.id, of: report.patient) else {
            throw Rejection(.notPatientOrGuardian, .report(report.id))
        }
        guard body.version == report.latest.version else {
            throw Rejection(
                .staleVersion, .field(.version), .version(body.version), .latestVersion(report.latest.version))
        }
        var latest = report.latest
        guard body.previousContentAddress == latest.content.contentAddress else {
            throw Rejection.invalid(.previousContentAddress, .notCurrent)
        }
        guard body.content.contentAddress != latest.content.contentAddress else {
            throw Rejection.invalid(.contentAddress, .unchanged)
        }
        guard body.content.commitment == latest.content.commitment,
            body.content.sizeBytes == latest.content.sizeBytes
        else {
            throw Rejection.invalid(.contentCommitment, .changed)
        }
        try checkContent(body.content, patient: report.patient, author: latest.author, state)
        latest = latest.replacingContent(body.content)
        report.versions[report.versions.count - 1] = latest
        state.put(report)
        // The attestations were of the old blob, which every node now deletes: the version
        // starts again with no holders, and each node attests the new blob once it has it.
        if !state.blobHolders(BlobHolding(report: report.id, version: latest.version)).holders.isEmpty {
            state.put(BlobHoldersRecord(), for: BlobHolding(report: report.id, version: latest.version))
        }
        return .accepted([
            .report(
                report: report.id, version: latest.version, patient: report.patient, action: .rekeyed,
                status: latest.status, organization: report.organization)
        ])
    }
}
