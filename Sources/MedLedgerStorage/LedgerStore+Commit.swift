import MedLedgerCore

extension LedgerStore {
    /// Writes a finalized block and everything it changed, in one SQLite transaction: the
    /// block with its certificate, each transaction with its receipt, one event row per
    /// subject of each event, the state changes (in order) and the new height. On any error
    /// nothing of the block is stored.
    ///
    /// - Parameters:
    ///   - block: the block, whose height must be `latestHeight + 1`.
    ///   - certificate: the commit certificate for exactly this block.
    ///   - receipts: one receipt per transaction, in block order.
    ///   - stateChanges: contract state writes (nil value = delete), applied in order.
    /// - Throws: `StorageError`, for example `.constraint` when a transaction hash repeats
    ///   within the block. A hash committed in an earlier block is not searched for: the
    ///   ledger's nonces already make a transaction unique, and searching every run of the
    ///   index for each transaction would cost what the runs save.
    /// - Precondition: the counts, heights and certificate agree with the block: a node that
    ///   breaks this has a bug, and storing the block would break the chain.
    public func commit(
        _ block: Block, certificate: CommitCertificate, receipts: [TransactionReceipt],
        stateChanges: [StateChange]
    ) throws {
        let height = block.header.height
        CommitArguments.precondition(block, certificate: certificate, receipts: receipts)
        // The mutex is taken before the database's lock, as everywhere, and held until the
        // map has taken this block's keys, so the next commit never sees a stale map.
        try stateRows.withLock { stateRows in
            let keys = try database.transaction {
                CommitArguments.precondition(block, extends: try latestHeight)
                try database.run(
                    "INSERT INTO blocks(height, hash, header, body, certificate) VALUES (?, ?, ?, ?, ?)",
                    [
                        .height(height), .blob(block.hash.bytes), .blob(block.header.canonicalBytes),
                        .blob(block.encodedBody), .blob(certificate.canonicalBytes),
                    ])
                try insertTransactions(block, receipts: receipts)
                let eventRows = StoredRowDecoding.eventIndexRows(receipts)
                try insertEvents(block, rows: eventRows)
                try indexBlock(block, eventRows: eventRows)
                let keys = try stateRows.applying(stateChanges, to: database)
                try setMeta("height", height.canonicalBytes)
                return keys
            }
            stateRows.commit(keys)
        }
    }

    private func insertTransactions(_ block: Block, receipts: [TransactionReceipt]) throws {
        let sql = "INSERT INTO transactions(hash, height, position, signer, receipt) VALUES (?, ?, ?, ?, ?)"
        try database.withStatement(sql) { statement in
            for (position, (transaction, receipt)) in zip(block.transactions, receipts).enumerated() {
                try statement.run([
                    .blob(transaction.hash.bytes), .height(block.header.height), .integer(Int64(position)),
                    .blob(transaction.signer.hash.bytes), .blob(receipt.canonicalBytes),
                ])
            }
        }
    }

    private func insertEvents(
        _ block: Block, rows: [(position: Int, eventIndex: Int, subject: [UInt8], event: [UInt8])]
    ) throws {
        let header = block.header
        let sql = """
            INSERT INTO events(subject, height, position, event_index, time, event, transaction_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """
        try database.withStatement(sql) { statement in
            for row in rows {
                try statement.run([
                    .blob(row.subject), .height(header.height), .integer(Int64(row.position)),
                    .integer(Int64(row.eventIndex)), .unsigned(header.time.milliseconds), .blob(row.event),
                    .blob(block.transactions[row.position].hash.bytes),
                ])
            }
        }
    }
}
