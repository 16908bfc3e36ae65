import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerVault

extension LedgerClient {
    /// Re-encrypts a report's latest version under a fresh data key (the patient): opens it
    /// with the patient's own envelope, seals the same plaintext and metadata again (so the
    /// commitment and size stay), uploads the new blob and commits `rekey-report`. Every node
    /// then deletes the old blob, so a reader who kept the old key opens nothing new. The
    /// re-keying is itself the signed ledger entry of this use of the patient's own key.
    @discardableResult
    public func rekey(_ report: ReportID) async throws -> CommittedTransaction {
        let record = try await gateway.report(report, caller: me)
        let latest = record.latest
        let content = try await gateway.versionContent(report: report, version: latest.version, caller: me)
        guard case .whole(let envelope) = content.key else {
            throw ClientError.integrity("only the patient, who holds a whole-key envelope, can re-key report \(report)")
        }
        let key = try ReportCrypto.unwrap(envelope, using: me.keys, report: report, version: latest.version)
        let opened = try ReportCrypto.open(
            blob: content.ciphertext, content: content.record.content, dataKey: key, report: report,
            version: latest.version)
        guard let author = try await gateway.identity(latest.author) else {
            throw ClientError.notFound("author \(latest.author) of report \(report)")
        }
        let sealed = try ReportCrypto.reseal(
            opened, report: report, version: latest.version,
            recipients: [(record.patient, try await patientKey(record.patient)), (author.id, author.encryptionKey)],
            custody: try await gateway.custody())
        let address = try await gateway.putBlob(sealed.blob, caller: me)
        guard address == sealed.content.contentAddress else {
            throw ClientError.integrity(
                "node stored the blob under \(address), expected \(sealed.content.contentAddress)")
        }
        return try await sendExpectingSuccess(
            .rekeyReport(
                RekeyReport(
                    report: report, version: latest.version,
                    previousContentAddress: latest.content.contentAddress, content: sealed.content)))
    }

    /// Revokes a grant and re-keys every report of the patient it covered, so the grantee's
    /// cached keys open nothing the nodes still hold. Returns the re-keyed reports.
    public func revokeAndRekey(_ grantID: GrantID, patient: IdentityID) async throws -> [ReportID] {
        let grant = try await findGrant(grantID, patient: patient)
        try await revoke(grantID)
        var rekeyed = [ReportID]()
        for report in try await reports(coveredBy: grant.scope, patient: patient) {
            try await rekey(report)
            rekeyed.append(report)
        }
        return rekeyed
    }

    private func patientKey(_ patient: IdentityID) async throws -> PublicEncryptionKey {
        if patient == me.id { return me.keys.publicEncryptionKey }
        guard let record = try await gateway.identity(patient) else { throw ClientError.notFound("patient \(patient)") }
        return record.encryptionKey
    }

    private func findGrant(_ id: GrantID, patient: IdentityID) async throws -> GrantRecord {
        var page = PageRequest(limit: PageLimits.maxItems)
        while true {
            let grants = try await gateway.grants(ofPatient: patient, caller: me, page: page)
            if let grant = grants.items.first(where: { $0.id == id }) { return grant }
            guard let next = grants.nextCursor else { throw ClientError.notFound("grant \(id) of patient \(patient)") }
            page = PageRequest(cursor: next, limit: PageLimits.maxItems)
        }
    }

    /// The patient's reports a scope covers.
    private func reports(coveredBy scope: GrantScope, patient: IdentityID) async throws -> [ReportID] {
        if case .reports(let ids) = scope { return ids }
        var covered = [ReportID]()
        var page = PageRequest(limit: PageLimits.maxItems)
        while true {
            let reports = try await gateway.reports(ofPatient: patient, caller: me, page: page)
            for report in reports.items {
                if case .categories(let codes) = scope, !codes.contains(report.category) { continue }
                covered.append(report.id)
            }
            guard let next = reports.nextCursor else { return covered }
            page = PageRequest(cursor: next, limit: PageLimits.maxItems)
        }
    }
}
