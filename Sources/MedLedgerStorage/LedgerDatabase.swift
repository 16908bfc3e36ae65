import MedLedgerCore

/// The database that holds a node's committed ledger: blocks with their certificates,
/// transactions with receipts, the event index and the contract state. Two implementations:
/// `LedgerStore` (SQLite, embedded, the default) and `PostgresLedgerStore` (module
/// MedLedgerPostgres, `node start --database postgres://…`). `LedgerNode` and `verify` use
/// only this protocol; the conformance suite in Tests/MedLedgerStorageTests runs against both.
///
/// What every implementation promises:
/// - `commit` writes a block and everything it changed in one database transaction: after a
///   crash or a failed write the store holds all of the block or none of it.
/// - Reads decode with Core's canonical decoders and report damaged rows as a `StorageError`
///   (`.corruptData`) whose message names the table and the row ("blocks row height 5: …"),
///   never a crash and never a wrong value.
/// - Calls are synchronous and thread-safe; a call blocks its thread until the database
///   answered (the node calls it from its actor, as it always did with SQLite).
public protocol LedgerDatabase: AnyObject, Sendable, EventBytesReading {
    /// Where the ledger lives, for messages: a file path, or a PostgreSQL URL without its password.
    var location: String { get }

    /// The height of the last committed block, 0 before the first.
    var latestHeight: Height { get throws }

    /// Stores the chain's genesis (once). Saving the same genesis again does nothing.
    /// - Throws: `StorageError` (`.invalidState`) when a different genesis is already stored.
    func saveGenesis(_ genesis: Genesis) throws
    /// The stored genesis, or nil before `saveGenesis`.
    func loadGenesis() throws -> Genesis?

    /// Writes a finalized block and everything it changed, in one transaction (see `LedgerStore.commit`).
    /// - Precondition: the block is at `latestHeight + 1` and counts and certificate agree with it.
    func commit(
        _ block: Block, certificate: CommitCertificate, receipts: [TransactionReceipt],
        stateChanges: [StateChange]) throws

    /// The block at `height` with its transactions and certificate, or nil when none is stored.
    func block(at height: Height) throws -> StoredBlock?
    /// The stored bytes of the block at `height`, undecoded, or nil when none is stored.
    func rawBlock(at height: Height) throws -> RawBlock?
    /// What the dashboard plots of the newest `limit` (0-1000) blocks, newest first.
    func recentBlocks(limit: Int) throws -> [BlockSummary]
    /// The committed transaction with `hash`, its receipt and where it sits, or nil.
    func transaction(hash: Hash256) throws -> StoredTransaction?
    /// Every indexed transaction of one block with its receipt, by position.
    func receipts(height: Height) throws -> [IndexedReceipt]

    /// Every contract state entry, sorted by key bytewise (shorter first on a tie).
    func allState() throws -> [(key: [UInt8], value: [UInt8])]
    /// The value stored under `key`, or nil.
    func stateValue(forKey key: [UInt8]) throws -> [UInt8]?

    /// One page of the events filed under `subject`, newest first, before `before`.
    /// - Precondition: `limit` is 0…`PageLimits.maxItems`.
    func events(subject: [UInt8], before: EventCursor?, limit: Int) throws -> [IndexedEvent]
    /// Events filed under `subject` after `after`, oldest first (an event stream's replay).
    /// - Precondition: `limit` is 0…`PageLimits.maxItems`.
    func events(subject: [UInt8], after: EventCursor?, limit: Int) throws -> [IndexedEvent]
    /// Every event-index row of one block, sorted (for `verify`, which re-derives them).
    func eventRows(height: Height) throws -> [EventRow]

    /// Rows of the block-derived tables whose height lies outside 1…`latest`, per table.
    func rowsOutsideCommittedHeights(latest: Height) throws -> [(table: String, count: Int)]

    /// For `verify`: the first lookup index kept by the store itself that does not hold
    /// exactly the keys of the stored rows, named with what is wrong; nil when every one
    /// does, or when the database keeps its indexes itself.
    func lookupIndexDamage() throws -> (index: String, reason: String)?
}

extension LedgerDatabase {
    /// The newest page of events filed under `subject`.
    public func events(subject: [UInt8], limit: Int) throws -> [IndexedEvent] {
        try events(subject: subject, before: nil, limit: limit)
    }

    /// The newest event filed under `subject`, if any.
    public func latestEvent(subject: [UInt8]) throws -> IndexedEvent? {
        try events(subject: subject, before: nil, limit: 1).first
    }
}

/// What every `commit` requires of its arguments, checked the same way by both stores: the
/// counts and the certificate agree with the block. A node that breaks this has a bug, and
/// storing the block would break the chain, so it stops the process.
public enum CommitArguments {
    public static func precondition(
        _ block: Block, certificate: CommitCertificate, receipts: [TransactionReceipt]
    ) {
        Swift.precondition(
            receipts.count == block.transactions.count,
            "\(receipts.count) receipts for \(block.transactions.count) transactions")
        Swift.precondition(
            certificate.height == block.header.height && certificate.blockHash == block.hash,
            "certificate for \(certificate.height)/\(certificate.blockHash) "
                + "is not for block \(block.header.height)/\(block.hash)")
    }

    /// The block is the next one on top of `latest`.
    public static func precondition(_ block: Block, extends latest: Height) {
        let height = block.header.height
        Swift.precondition(height == latest + 1, "commit of height \(height) on top of height \(latest)")
    }
}
