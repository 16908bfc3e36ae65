import MedLedgerAPIModel
import MedLedgerCore

/// Transactions as large as the limits allow, for tests of block, frame and buffer limits.
public enum LargePayloads {
    /// A report submission of about 44 KB (sixteen envelopes of the largest size, and the
    /// most metadata); `index` makes each one's report id and content address distinct.
    public static func submission(by patient: ClientIdentity, index: Int) -> TransactionPayload {
        let envelopes = (0..<16).map { _ in
            KeyEnvelope(
                recipient: patient.id, encapsulatedKey: Array(repeating: 1, count: KeyEnvelope.maxPartBytes),
                wrappedKey: Array(repeating: 2, count: KeyEnvelope.maxPartBytes))
        }
        let content = ReportContent(
            contentAddress: Hash256.of([UInt8(index & 0xff)]), sizeBytes: 1,
            commitment: Hash256.of([1]),
            encryptedMetadata: Array(repeating: 3, count: Limits.encryptedMetadataMaxBytes),
            envelopes: envelopes, shareCommitments: [])
        var id = [UInt8](repeating: 0, count: ReportID.byteCount)
        id[0] = UInt8(index >> 8)
        id[1] = UInt8(index & 0xff)
        return .submitReport(
            SubmitReport(
                report: ReportID(bytes: id)!, patient: patient.id, category: Code("11502-2")!,
                content: content, recipients: []))
    }
}
