import MedLedgerCore
import MedLedgerStorage
import PostgresNIO

extension PostgresLedgerStore {
    /// Writes a finalized block and everything it changed in one PostgreSQL transaction: the
    /// block with its certificate, each transaction with its receipt, one event row per
    /// subject of each event, the state changes and the new height. On any error nothing of
    /// the block is stored (the transaction is rolled back).
    ///
    /// Each table's rows go in one statement (`unnest` over arrays), so a block of 2,000
    /// transactions costs a handful of round trips to the server, not thousands.
    /// - Throws: `StorageError`, `.constraint` when, for example, a transaction hash is already stored.
    /// - Precondition: the block is at `latestHeight + 1` and counts and certificate agree with it.
    public func commit(
        _ block: Block, certificate: CommitCertificate, receipts: [TransactionReceipt],
        stateChanges: [StateChange]
    ) throws {
        let height = block.header.height
        CommitArguments.precondition(block, certificate: certificate, receipts: receipts)
        precondition(height.rawValue <= UInt64(Int64.max), "height \(height) does not fit a BIGINT")
        try session.transaction {
            CommitArguments.precondition(block, extends: try latestHeight)
            var binds = PostgresBindings()
            binds.append(Int64(height.rawValue))
            binds.append(ByteBuffer(bytes: block.hash.bytes))
            binds.append(ByteBuffer(bytes: block.header.canonicalBytes))
            binds.append(ByteBuffer(bytes: block.encodedBody))
            binds.append(ByteBuffer(bytes: certificate.canonicalBytes))
            try session.query(
                "INSERT INTO blocks(height, hash, header, body, certificate) VALUES ($1, $2, $3, $4, $5)", binds)
            try insertTransactions(block, receipts: receipts)
            try insertEvents(block.header, receipts: receipts)
            try apply(stateChanges)
            try setMeta("height", height.canonicalBytes)
        }
    }

    private func insertTransactions(_ block: Block, receipts: [TransactionReceipt]) throws {
        guard !block.transactions.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(Int64(block.header.height.rawValue))
        binds.append(block.transactions.map { ByteBuffer(bytes: $0.hash.bytes) })
        binds.append(block.transactions.indices.map { Int64($0) })
        binds.append(block.transactions.map { ByteBuffer(bytes: $0.signer.hash.bytes) })
        binds.append(receipts.map { ByteBuffer(bytes: $0.canonicalBytes) })
        try session.query(
            """
            INSERT INTO transactions(hash, height, position, signer, receipt)
            SELECT hash, $1, position, signer, receipt
            FROM unnest($2::bytea[], $3::bigint[], $4::bytea[], $5::bytea[]) AS row(hash, position, signer, receipt)
            """, binds)
    }

    private func insertEvents(_ header: BlockHeader, receipts: [TransactionReceipt]) throws {
        let rows = StoredRowDecoding.eventIndexRows(receipts)
        guard !rows.isEmpty else { return }
        precondition(header.time.milliseconds <= UInt64(Int64.max), "block time does not fit a BIGINT")
        var binds = PostgresBindings()
        binds.append(Int64(header.height.rawValue))
        binds.append(Int64(header.time.milliseconds))
        binds.append(rows.map { ByteBuffer(bytes: $0.subject) })
        binds.append(rows.map { Int64($0.position) })
        binds.append(rows.map { Int64($0.eventIndex) })
        binds.append(rows.map { ByteBuffer(bytes: $0.event) })
        try session.query(
            """
            INSERT INTO events(subject, height, position, event_index, time, event)
            SELECT subject, $1, position, event_index, $2, event
            FROM unnest($3::bytea[], $4::bigint[], $5::bigint[], $6::bytea[]) AS row(subject, position, event_index, event)
            """, binds)
    }

    /// Applies the changes with the same outcome as applying them one by one in order: the
    /// last change of each key wins. (One statement cannot touch a row twice, so the
    /// changes are folded first; the folded list keeps first-appearance order.)
    private func apply(_ changes: [StateChange]) throws {
        var finalValue = [[UInt8]: [UInt8]?]()
        var order = [[UInt8]]()
        for change in changes {
            if finalValue.updateValue(change.value, forKey: change.key) == nil { order.append(change.key) }
        }
        let deletions = order.filter { finalValue[$0]! == nil }
        let writes = order.compactMap { key in finalValue[key]!.map { (key: key, value: $0) } }
        if !deletions.isEmpty {
            var binds = PostgresBindings()
            binds.append(deletions.map { ByteBuffer(bytes: $0) })
            try session.query("DELETE FROM state WHERE key = ANY($1::bytea[])", binds)
        }
        if !writes.isEmpty {
            var binds = PostgresBindings()
            binds.append(writes.map { ByteBuffer(bytes: $0.key) })
            binds.append(writes.map { ByteBuffer(bytes: $0.value) })
            try session.query(
                """
                INSERT INTO state(key, value) SELECT key, value FROM unnest($1::bytea[], $2::bytea[]) AS row(key, value)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, binds)
        }
    }
}
