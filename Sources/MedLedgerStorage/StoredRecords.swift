import MedLedgerCore

/// One change to the opaque contract state, written with the block that caused it.
public struct StateChange: Hashable, Sendable {
    public let key: [UInt8]
    /// The new value, or nil to delete the key.
    public let value: [UInt8]?

    public init(key: [UInt8], value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// A committed block as read back from the store, decoded.
public struct StoredBlock: Hashable, Sendable {
    public let block: Block
    /// The certificate that finalized this block.
    public let certificate: CommitCertificate

    public init(block: Block, certificate: CommitCertificate) {
        self.block = block
        self.certificate = certificate
    }

    public var header: BlockHeader { block.header }
    public var transactions: [Transaction] { block.transactions }
}

/// A committed block exactly as stored, for `verify` to re-hash and re-decode itself.
public struct RawBlock: Hashable, Sendable {
    public let height: Height
    /// The hash stored beside the header (which should be the SHA-256 of `header`).
    public let hash: [UInt8]
    /// `BlockHeader.canonicalBytes`.
    public let header: [UInt8]
    /// `Block.encodedBody`.
    public let body: [UInt8]
    /// `CommitCertificate.canonicalBytes`.
    public let certificate: [UInt8]
}

/// A committed transaction with its receipt and where it sits in the chain.
public struct StoredTransaction: Hashable, Sendable {
    public let transaction: Transaction
    public let receipt: TransactionReceipt
    public let height: Height
    /// Index of the transaction in its block.
    public let position: Int
}

/// An event as filed under one of its subjects.
public struct IndexedEvent: Hashable, Sendable {
    public let height: Height
    /// Index of the transaction in its block.
    public let position: Int
    /// Index of the event in its transaction's receipt.
    public let eventIndex: Int
    /// The block's consensus time.
    public let time: ConsensusTime
    /// The transaction that produced the event; nil for an event not tied to a transaction.
    public let transactionHash: Hash256?
    public let event: LedgerEvent

    public init(height: Height, position: Int, eventIndex: Int, time: ConsensusTime, transactionHash: Hash256?,
                event: LedgerEvent) {
        self.height = height
        self.position = position
        self.eventIndex = eventIndex
        self.time = time
        self.transactionHash = transactionHash
        self.event = event
    }
}

/// One page of a newest-first event list, and where the next page starts (nil when this
/// page is the last).
public struct EventPage: Sendable {
    public let events: [IndexedEvent]
    public let next: EventCursor?

    /// - Parameter limit: the page size asked for: a full page may have more after it.
    public init(events: [IndexedEvent], limit: Int) {
        precondition(events.count <= limit, "a page holds at most its limit")
        self.events = events
        self.next = events.count == limit ? events.last.map(\.cursor) : nil
    }
}

extension IndexedEvent {
    /// The cursor that continues a newest-first list just after (older than) this event.
    public var cursor: EventCursor { EventCursor(height: height, position: position, eventIndex: eventIndex) }
}
