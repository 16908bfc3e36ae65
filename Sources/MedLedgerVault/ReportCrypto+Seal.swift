import Crypto
import MedLedgerCore

extension ReportCrypto {
    /// Encrypts one report version for its recipients (patient, author, custodian node(s)).
    ///
    /// The caller picks `report` before sealing because it is authenticated into every
    /// ciphertext. Envelopes come out sorted by recipient id, so the ledger bytes do not
    /// depend on the order the caller listed recipients in.
    ///
    /// - Throws: `.plaintextTooLarge`, `.invalidMetadata` (title, date or note too long),
    ///   `.invalidRecipients` (none, more than `Limits.envelopesMaxCount`, or duplicates),
    ///   `.wrapFailed` (a recipient key HPKE rejects).
    public static func seal(
        plaintext: [UInt8], title: String, effectiveDate: String?, note: String?,
        report: ReportID, version: ReportVersion,
        recipients: [(IdentityID, PublicEncryptionKey)]
    ) throws(VaultError) -> SealedReport {
        guard plaintext.count <= plaintextMaxBytes else {
            throw .plaintextTooLarge.with("report is \(plaintext.count) bytes, limit \(plaintextMaxBytes)")
        }
        let sortedRecipients = try checkedRecipients(recipients)
        let metadata = try ReportMetadata(
            title: title, effectiveDate: effectiveDate, note: note, salt: ReportMetadata.randomSalt())

        let dataKey = SymmetricKey(size: .bits256)
        let blob = try aesSeal(plaintext, key: dataKey, aad: contentAAD(report: report, version: version))
        let encryptedMetadata = try aesSeal(
            metadata.canonicalBytes, key: dataKey, aad: metadataAAD(report: report, version: version))
        // Cannot fail with the limits above (at most ~2.7 KiB); checked so a future change to
        // those limits fails here rather than as an undecodable transaction.
        guard encryptedMetadata.count <= Limits.encryptedMetadataMaxBytes else {
            throw .invalidMetadata.with(
                "encrypted metadata is \(encryptedMetadata.count) bytes, limit \(Limits.encryptedMetadataMaxBytes)")
        }

        var envelopes: [KeyEnvelope] = []
        envelopes.reserveCapacity(sortedRecipients.count)
        for (recipient, key) in sortedRecipients {
            envelopes.append(try wrap(dataKey: dataKey, for: recipient, key: key, report: report, version: version))
        }

        let content = ReportContent(
            contentAddress: Hash256.of(blob),
            sizeBytes: UInt64(blob.count),
            commitment: commitment(salt: metadata.salt, plaintext: plaintext),
            encryptedMetadata: encryptedMetadata,
            envelopes: envelopes)
        return SealedReport(blob: blob, content: content, dataKey: dataKey, metadata: metadata)
    }

    /// The recipients sorted by id, after checking there is at least one, not too many to
    /// decode on the ledger, and no duplicate (two envelopes for one id would be ambiguous).
    private static func checkedRecipients(
        _ recipients: [(IdentityID, PublicEncryptionKey)]
    ) throws(VaultError) -> [(IdentityID, PublicEncryptionKey)] {
        guard !recipients.isEmpty else {
            throw .invalidRecipients.with("a report needs at least one recipient, or nobody can read it")
        }
        guard recipients.count <= Limits.envelopesMaxCount else {
            throw .invalidRecipients.with("\(recipients.count) recipients, limit \(Limits.envelopesMaxCount)")
        }
        let sorted = recipients.sorted { $0.0 < $1.0 }
        for index in sorted.indices.dropFirst() where sorted[index].0 == sorted[index - 1].0 {
            throw .invalidRecipients.with("recipient \(sorted[index].0) is listed twice")
        }
        return sorted
    }
}
