/// One report version whose blob the signing node holds.
public struct BlobHolding: Hashable, Comparable, Sendable, CanonicalCodable {
    public let report: ReportID
    public let version: ReportVersion

    public init(report: ReportID, version: ReportVersion) {
        self.report = report
        self.version = version
    }

    public static func < (lhs: BlobHolding, rhs: BlobHolding) -> Bool {
        lhs.report != rhs.report ? lhs.report < rhs.report : lhs.version < rhs.version
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(report)
        encoder.write(version)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        report = try decoder.read(ReportID.self)
        version = try decoder.read(ReportVersion.self)
    }
}

/// A validator node states on the ledger that it holds (stored and checked against their
/// addresses) the blobs of these report versions, so who holds what is public and `verify`
/// can hold a node to it. Versions, not addresses, are named: the contracts find a version
/// in one look-up, and the version names its blob's address.
public struct AttestBlobs: Hashable, Sendable, CanonicalCodable {
    /// 1…`Limits.attestationHoldingsMax`, strictly ascending (the contracts refuse others).
    public let holdings: [BlobHolding]

    public init(holdings: [BlobHolding]) { self.holdings = holdings }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(array: holdings) }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        holdings = try decoder.readArray(BlobHolding.self, "holdings", maxCount: Limits.attestationHoldingsMax)
    }
}
