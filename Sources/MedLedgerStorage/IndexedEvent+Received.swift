import MedLedgerCore

extension IndexedEvent {
    /// Rebuilds an indexed event from its parts, as a client does with one received over
    /// the HTTP API (the memberwise initializer is internal to this module).
    public static func received(height: Height, position: Int, eventIndex: Int, time: ConsensusTime,
                                transactionHash: Hash256?, event: LedgerEvent) -> IndexedEvent {
        IndexedEvent(height: height, position: position, eventIndex: eventIndex, time: time,
                     transactionHash: transactionHash, event: event)
    }
}
