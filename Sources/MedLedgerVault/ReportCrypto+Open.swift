import Crypto
import MedLedgerCore

extension ReportCrypto {
    /// Checks and decrypts one report version fetched from storage.
    ///
    /// Order matters: the cheap, key-free address check comes first, so a storage node that
    /// served the wrong bytes is reported as such rather than as a decryption failure.
    ///
    /// - Throws: `.addressMismatch`, `.sizeMismatch`, `.invalidDataKey`, `.decryptionFailed`
    ///   (wrong key, report or version, or altered ciphertext), `.invalidMetadata`,
    ///   `.commitmentMismatch`.
    public static func open(
        blob: [UInt8], content: ReportContent, dataKey: SymmetricKey,
        report: ReportID, version: ReportVersion
    ) throws(VaultError) -> OpenedReport {
        let address = Hash256.of(blob)
        guard address == content.contentAddress else {
            throw .addressMismatch.with("blob hashes to \(address), content address is \(content.contentAddress)")
        }
        guard UInt64(blob.count) == content.sizeBytes else {
            throw .sizeMismatch.with("blob is \(blob.count) bytes, ledger says \(content.sizeBytes)")
        }
        try checkDataKey(dataKey)

        let plaintext = try aesOpen(
            blob, key: dataKey, aad: contentAAD(report: report, version: version),
            what: "report \(report) version \(version) content")
        let metadataBytes = try aesOpen(
            content.encryptedMetadata, key: dataKey, aad: metadataAAD(report: report, version: version),
            what: "report \(report) version \(version) metadata")
        let metadata: ReportMetadata
        do {
            metadata = try ReportMetadata.decode(canonical: metadataBytes)
        } catch {
            throw .invalidMetadata.with("metadata of report \(report) version \(version) does not decode: \(error)")
        }

        guard commitment(salt: metadata.salt, plaintext: plaintext) == content.commitment else {
            throw .commitmentMismatch.with(
                "report \(report) version \(version) does not match its commitment \(content.commitment)")
        }
        return OpenedReport(plaintext: plaintext, metadata: metadata)
    }
}
