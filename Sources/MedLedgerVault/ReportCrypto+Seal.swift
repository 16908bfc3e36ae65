import Crypto
import MedLedgerCore

extension ReportCrypto {
    /// Encrypts one report version: the data key whole to each of `recipients` (the patient
    /// and the author), and split `custody.threshold`-of-n with one share to each custodian.
    ///
    /// The caller picks `report` before sealing because it is authenticated into every
    /// ciphertext. Envelopes come out sorted by recipient id, so the ledger bytes do not
    /// depend on the order the caller listed recipients in.
    ///
    /// - Throws: `.plaintextTooLarge`, `.invalidMetadata` (title, date or note too long),
    ///   `.invalidRecipients` (none, more than `Limits.envelopesMaxCount` in all, duplicates,
    ///   or a threshold outside 1...custodians), `.wrapFailed` (a key HPKE rejects).
    public static func seal(
        plaintext: [UInt8], title: String, effectiveDate: String?, note: String?,
        report: ReportID, version: ReportVersion,
        recipients: [(IdentityID, PublicEncryptionKey)], custody: Custody
    ) throws(VaultError) -> SealedReport {
        guard plaintext.count <= plaintextMaxBytes else {
            throw .plaintextTooLarge.with("report is \(plaintext.count) bytes, limit \(plaintextMaxBytes)")
        }
        let sortedRecipients = try checkedRecipients(recipients, custodians: custody.custodians.map(\.id))
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
        envelopes.reserveCapacity(sortedRecipients.count + custody.custodians.count)
        for (recipient, key) in sortedRecipients {
            envelopes.append(try wrap(dataKey: dataKey, for: recipient, key: key, report: report, version: version))
        }
        let shares = try splitAndSeal(dataKey: dataKey, custody: custody, report: report, version: version)
        envelopes = (envelopes + shares.envelopes).sorted { $0.recipient < $1.recipient }

        let content = ReportContent(
            contentAddress: Hash256.of(blob),
            sizeBytes: UInt64(blob.count),
            commitment: commitment(salt: metadata.salt, plaintext: plaintext),
            encryptedMetadata: encryptedMetadata,
            envelopes: envelopes,
            shareCommitments: shares.commitments)
        return SealedReport(blob: blob, content: content, dataKey: dataKey, metadata: metadata)
    }

    /// The recipients sorted by id, after checking there is at least one, not too many to
    /// decode on the ledger with the custodians, and no duplicate among them all (two
    /// envelopes for one id would be ambiguous).
    private static func checkedRecipients(
        _ recipients: [(IdentityID, PublicEncryptionKey)], custodians: [IdentityID]
    ) throws(VaultError) -> [(IdentityID, PublicEncryptionKey)] {
        guard !recipients.isEmpty else {
            throw .invalidRecipients.with("a report needs at least one recipient, or nobody can read it")
        }
        guard recipients.count + custodians.count <= Limits.envelopesMaxCount else {
            throw .invalidRecipients.with(
                "\(recipients.count) recipients and \(custodians.count) custodians, limit \(Limits.envelopesMaxCount)")
        }
        let sorted = recipients.sorted { $0.0 < $1.0 }
        let everyone = (sorted.map(\.0) + custodians).sorted()
        for index in everyone.indices.dropFirst() where everyone[index] == everyone[index - 1] {
            throw .invalidRecipients.with("recipient \(everyone[index]) is listed twice")
        }
        return sorted
    }
}
