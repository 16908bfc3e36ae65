import MedLedgerCore

/// What the dashboard plots of one block: its header, certificate and transaction count,
/// without the transactions themselves.
public struct BlockSummary: Hashable, Sendable {
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let transactionCount: Int

    package init(header: BlockHeader, certificate: CommitCertificate, transactionCount: Int) {
        self.header = header
        self.certificate = certificate
        self.transactionCount = transactionCount
    }
}

extension LedgerStore {
    /// The newest `limit` blocks' summaries, newest first. Reads headers and certificates
    /// only (a block body may be megabytes).
    /// - Throws: `StorageError` naming the height of a row that does not decode.
    public func recentBlocks(limit: Int) throws -> [BlockSummary] {
        precondition(limit >= 0 && limit <= 1_000, "limit must be 0-1000")
        let rows = try database.query(
            """
            SELECT b.height, b.header, b.certificate,
                (SELECT COUNT(*) FROM transactions t WHERE t.height = b.height)
            FROM blocks b ORDER BY b.height DESC LIMIT ?
            """, [.integer(Int64(limit))])
        return try rows.map { row in
            let name = "height \(row[0].unsigned.map(String.init) ?? "?")"
            guard let headerBytes = row[1].blob, let certificateBytes = row[2].blob,
                let count = row[3].integer.flatMap({ Int(exactly: $0) })
            else { throw StorageError.corrupt(table: "blocks", row: name, "a column is missing or of the wrong type") }
            return try StoredRowDecoding.blockSummary(
                rowName: name, header: headerBytes, certificate: certificateBytes, transactionCount: count)
        }
    }
}
