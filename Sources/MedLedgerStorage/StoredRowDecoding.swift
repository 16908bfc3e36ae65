import MedLedgerCore

/// Turns the columns of a stored row into ledger records, with the checks every
/// `LedgerDatabase` makes and the errors it reports: shared by the SQLite and the PostgreSQL
/// store so that both name damage the same way ("blocks row height 5: header does not
/// decode: …") and cannot drift apart. Each store reads the columns its own way; everything
/// from the bytes on happens here.
package enum StoredRowDecoding {
    /// Runs a Core decoder over stored bytes, turning its error into one that names the
    /// table, row and column, so `verify` and logs say where the damage is.
    package static func decodeColumn<T>(
        _ table: String, _ row: String, _ column: String,
        _ decode: () throws(CanonicalDecodingError) -> T
    ) throws -> T {
        do {
            return try decode()
        } catch {
            throw StorageError.corrupt(table: table, row: row, "\(column) does not decode: \(error)")
        }
    }

    /// Decodes a stored block and checks that it is the block of its row.
    /// - Throws: `StorageError` (`.corruptData`) naming the height when the stored bytes do
    ///   not decode, or decode to a block of another height or hash.
    package static func block(_ raw: RawBlock) throws -> StoredBlock {
        let height = raw.height
        let row = "height \(height)"
        let header = try decodeColumn("blocks", row, "header") { () throws(CanonicalDecodingError) in
            try BlockHeader.decode(canonical: raw.header)
        }
        let (lastCommit, transactions) = try decodeColumn("blocks", row, "body") { () throws(CanonicalDecodingError) in
            try Block.decodeBody(raw.body)
        }
        let certificate = try decodeColumn("blocks", row, "certificate") { () throws(CanonicalDecodingError) in
            try CommitCertificate.decode(canonical: raw.certificate)
        }
        guard header.height == height else {
            throw StorageError.corrupt(table: "blocks", row: row, "header is for height \(header.height)")
        }
        guard header.hash.bytes == raw.hash else {
            throw StorageError.corrupt(table: "blocks", row: row, "header does not hash to the stored hash")
        }
        // Checked here rather than left to `Block`'s precondition: damaged rows are reported,
        // never a reason to trap (a node opening this store, or `verify`, names the row).
        guard (lastCommit == nil) == (height == 1) else {
            throw StorageError.corrupt(
                table: "blocks", row: row,
                height == 1 ? "block 1 carries a last commit" : "body lost its last commit")
        }
        return StoredBlock(
            block: Block(header: header, lastCommit: lastCommit, transactions: transactions),
            certificate: certificate)
    }

    /// The transaction at `position` of the block body `body`, with its stored receipt.
    /// - Throws: `StorageError` naming the hash or height when bytes do not decode or the
    ///   transaction found is not the one asked for.
    package static func transaction(
        hash: Hash256, height: UInt64, position: Int, receipt receiptBytes: [UInt8], body: [UInt8]
    ) throws -> StoredTransaction {
        let rowName = "hash \(hash.hex)"
        let receipt = try decodeColumn("transactions", rowName, "receipt") { () throws(CanonicalDecodingError) in
            try TransactionReceipt.decode(canonical: receiptBytes)
        }
        let transaction = try decodeColumn("blocks", "height \(height)", "body") { () throws(CanonicalDecodingError) in
            try Transaction.decode(transactionBytes(inBody: body, at: position))
        }
        guard transaction.hash == hash else {
            throw StorageError.corrupt(
                table: "blocks", row: "height \(height)",
                "transaction at position \(position) is \(transaction.hash), index says \(hash)")
        }
        return StoredTransaction(transaction: transaction, receipt: receipt, height: Height(height), position: position)
    }

    /// The encoded transaction at `position` of a block body, without decoding the others.
    package static func transactionBytes(inBody body: [UInt8], at position: Int) throws(CanonicalDecodingError)
        -> [UInt8]
    {
        var decoder = CanonicalDecoder(body)
        _ = try decoder.readOptional(CommitCertificate.self, "lastCommit")  // the body starts with it
        let count = Int(try decoder.readUInt32("transactions"))
        guard position < count, count <= Limits.blockMaxTransactions else {
            throw CanonicalDecodingError(field: "transactions", reason: "no transaction \(position) among \(count)")
        }
        for _ in 0..<position {
            _ = try decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)
        }
        return try decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)
    }

    /// One row of the event index with the hash of the transaction that raised it.
    package static func indexedEvent(
        height: UInt64, position: Int, eventIndex: Int, time: UInt64, event eventBytes: [UInt8],
        transactionHash hashBytes: [UInt8]?
    ) throws -> IndexedEvent {
        let rowName = "height \(height)"
        let event = try decodeColumn("events", rowName, "event") { () throws(CanonicalDecodingError) in
            try LedgerEvent.decode(canonical: eventBytes)
        }
        let transactionHash = try eventTransactionHash(hashBytes, row: rowName)
        return IndexedEvent(
            height: Height(height), position: position, eventIndex: eventIndex,
            time: ConsensusTime(milliseconds: time), transactionHash: transactionHash, event: event)
    }

    /// One row of the transaction index of block `height`.
    package static func indexedReceipt(height: Height, hash hashBytes: [UInt8], position: Int, receipt: [UInt8])
        throws -> IndexedReceipt
    {
        let rowName = "height \(height)"
        guard let hash = Hash256(bytes: hashBytes) else {
            throw StorageError.corrupt(table: "transactions", row: rowName, "hash, position or receipt is malformed")
        }
        let decoded = try decodeColumn("transactions", rowName, "receipt") { () throws(CanonicalDecodingError) in
            try TransactionReceipt.decode(canonical: receipt)
        }
        return IndexedReceipt(hash: hash, position: position, receipt: decoded)
    }

    /// What the dashboard plots of one stored block.
    package static func blockSummary(
        rowName: String, header headerBytes: [UInt8], certificate certificateBytes: [UInt8], transactionCount: Int
    ) throws -> BlockSummary {
        let header = try decodeColumn("blocks", rowName, "header") { () throws(CanonicalDecodingError) in
            try BlockHeader.decode(canonical: headerBytes)
        }
        let certificate = try decodeColumn("blocks", rowName, "certificate") { () throws(CanonicalDecodingError) in
            try CommitCertificate.decode(canonical: certificateBytes)
        }
        return BlockSummary(header: header, certificate: certificate, transactionCount: transactionCount)
    }

    /// A value of the `meta` table (schema version, height, genesis).
    package static func meta<T: CanonicalDecodable>(_ key: String, _ bytes: [UInt8], as type: T.Type) throws -> T {
        do {
            return try T.decode(canonical: bytes)
        } catch {
            throw StorageError.corrupt(table: "meta", row: "key '\(key)'", "\(error)")
        }
    }

    /// The rows one block's receipts file in the event index: each event once under each of
    /// its distinct subjects (one id can fill two roles of an event, a patient granting to
    /// itself), as (position, event index, subject, event bytes).
    package static func eventIndexRows(_ receipts: [TransactionReceipt]) -> [(
        position: Int, eventIndex: Int, subject: [UInt8], event: [UInt8]
    )] {
        var rows = [(position: Int, eventIndex: Int, subject: [UInt8], event: [UInt8])]()
        for (position, receipt) in receipts.enumerated() {
            for (eventIndex, event) in receipt.events.enumerated() {
                let eventBytes = event.canonicalBytes
                var filed = Set<[UInt8]>()
                for subject in event.subjects where filed.insert(subject).inserted {
                    rows.append((position, eventIndex, subject, eventBytes))
                }
            }
        }
        return rows
    }

    /// The hash of an event's transaction, read with the event (SQLite keeps it in the
    /// `events` row; PostgreSQL joins `transactions`); nil when the store has none.
    /// - Throws: `StorageError` (`.corruptData`) naming the event's row when it is not 32 bytes.
    package static func eventTransactionHash(_ bytes: [UInt8]?, row: String) throws -> Hash256? {
        guard let bytes else { return nil }
        guard let hash = Hash256(bytes: bytes) else {
            throw StorageError.corrupt(table: "events", row: row, "transaction hash is not 32 bytes")
        }
        return hash
    }
}
