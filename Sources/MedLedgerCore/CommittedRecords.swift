// Committed chain records as every layer reads them back: the store writes them, the node
// serves them, the API model shapes them and the client rebuilds them from canonical bytes.

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

/// A committed transaction with its receipt and where it sits in the chain.
public struct StoredTransaction: Hashable, Sendable {
    public let transaction: Transaction
    public let receipt: TransactionReceipt
    public let height: Height
    /// Index of the transaction in its block.
    public let position: Int

    public init(transaction: Transaction, receipt: TransactionReceipt, height: Height, position: Int) {
        self.transaction = transaction
        self.receipt = receipt
        self.height = height
        self.position = position
    }
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

    public init(
        height: Height, position: Int, eventIndex: Int, time: ConsensusTime, transactionHash: Hash256?,
        event: LedgerEvent
    ) {
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

/// A state entry with everything a client needs to check it without trusting the node: the
/// latest header, its commit certificate, and the entry's proof against the header's root.
public struct ProvenEntry: Sendable {
    public let header: BlockHeader
    public let certificate: CommitCertificate
    public let value: [UInt8]
    public let proof: StateProof

    public init(header: BlockHeader, certificate: CommitCertificate, value: [UInt8], proof: StateProof) {
        self.header = header
        self.certificate = certificate
        self.value = value
        self.proof = proof
    }
}

/// Everything a reader needs to open one report version in one answer: the version record
/// proven against a certified header, the data key wrapped to the reader, and the ciphertext.
public struct VersionContent: Sendable {
    /// The `ReportVersionRecord` at `StateKey.reportVersion`, with its proof.
    public let version: ProvenEntry
    public let key: ReleasedKey
    public let ciphertext: [UInt8]

    public init(version: ProvenEntry, key: ReleasedKey, ciphertext: [UInt8]) {
        self.version = version
        self.key = key
        self.ciphertext = ciphertext
    }
}

/// The key material a reader gets for one version: its own envelope of the whole data key
/// (the patient's, the author's), or one custodian's key share re-sealed to the reader,
/// one of the `threshold` the reader needs from as many custodians.
public enum ReleasedKey: Hashable, Sendable {
    case whole(KeyEnvelope)
    case share(KeyEnvelope, x: UInt8, threshold: UInt8)

    public var envelope: KeyEnvelope {
        switch self {
        case .whole(let envelope), .share(let envelope, _, _): envelope
        }
    }
}
