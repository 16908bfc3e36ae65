import MedLedgerCore

extension ReportContent {
    /// The envelope wrapped to `recipient`, if this version has one.
    public func envelope(for recipient: IdentityID) -> KeyEnvelope? {
        envelopes.first { $0.recipient == recipient }
    }
}
