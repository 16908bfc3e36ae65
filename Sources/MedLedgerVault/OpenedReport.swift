/// A report version decrypted by `ReportCrypto.open`, after its address and commitment checked out.
public struct OpenedReport: Hashable, Sendable {
    public let plaintext: [UInt8]
    public let metadata: ReportMetadata

    public init(plaintext: [UInt8], metadata: ReportMetadata) {
        self.plaintext = plaintext
        self.metadata = metadata
    }
}
