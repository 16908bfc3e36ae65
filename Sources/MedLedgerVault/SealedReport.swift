import Crypto
import MedLedgerCore

/// The output of `ReportCrypto.seal`: what the author uploads, what goes on the ledger, and
/// what the author keeps.
public struct SealedReport: Sendable {
    /// The ciphertext to store off-ledger under `content.contentAddress`.
    public let blob: [UInt8]
    /// The ledger's view, for `SubmitReport` or `ReviseReport`.
    public let content: ReportContent
    /// The report's data key. Secret: hand it only to `ReportCrypto.wrap`.
    public let dataKey: SymmetricKey
    /// The metadata in the clear, including the commitment salt.
    public let metadata: ReportMetadata

    public init(blob: [UInt8], content: ReportContent, dataKey: SymmetricKey, metadata: ReportMetadata) {
        self.blob = blob
        self.content = content
        self.dataKey = dataKey
        self.metadata = metadata
    }
}
