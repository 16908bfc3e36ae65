/// How many key envelopes fit in one report transaction (ADR 11).
///
/// Every report version carries an envelope for the patient, the author and each custodian,
/// and one share commitment per custodian, inside one transaction of at most
/// `Limits.transactionMaxBytes`. An X-Wing envelope is ten times an X25519 one, so the
/// custodians' suites decide whether a worst-case report still fits: the genesis refuses a
/// validator set for which it would not, rather than let a chain start on which some reports
/// can never be submitted.
public enum EnvelopeBudget {
    /// Canonical bytes of one envelope: recipient (32), u32 length and the encapsulated key,
    /// u32 length and the wrapped key (a 32-byte secret and a 16-byte AEAD tag).
    public static func envelopeBytes(_ suite: EncryptionSuite) -> Int {
        32 + 4 + suite.encapsulatedKeyByteCount + 4 + 32 + 16
    }

    /// What one custodian adds to a report: its share envelope and its share commitment.
    public static func custodianBytes(_ suite: EncryptionSuite) -> Int { envelopeBytes(suite) + 32 }

    /// A `submit-report` transaction with every field at its limit, except the envelopes and
    /// share commitments: signing header with the longest chain id (160), signature (64),
    /// report id, patient, the longest category (116), content address, size, commitment,
    /// the most metadata, the two list counts (4,180), and 32 recipients (1,028): 5,548 bytes.
    /// `EnvelopeBudgetTests` builds that transaction and checks this number.
    public static let reportFixedMaxBytes = 160 + 64 + 116 + 4_180 + 1_028

    /// The largest `submit-report` with these custodians, and patient and author on X-Wing.
    public static func largestReportBytes(custodians: [EncryptionSuite]) -> Int {
        reportFixedMaxBytes + 2 * envelopeBytes(.xwing) + custodians.reduce(0) { $0 + custodianBytes($1) }
    }

    /// The most X-Wing custodians for which every report fits (46).
    public static var xwingCustodiansMax: Int {
        (Limits.transactionMaxBytes - reportFixedMaxBytes - 2 * envelopeBytes(.xwing)) / custodianBytes(.xwing)
    }

    /// Why a report with these custodians might not fit a transaction, or nil when any fits.
    public static func problem(custodians: [EncryptionSuite]) -> String? {
        let largest = largestReportBytes(custodians: custodians)
        guard largest > Limits.transactionMaxBytes else { return nil }
        let xwing = custodians.filter { $0 == .xwing }.count
        return
            "validators: \(xwing) X-Wing and \(custodians.count - xwing) X25519 encryption keys make a report transaction up to \(largest) bytes, over the \(Limits.transactionMaxBytes)-byte limit (an X-Wing key-share envelope takes \(custodianBytes(.xwing)) bytes, an X25519 one \(custodianBytes(.x25519)); at most \(xwingCustodiansMax) validators with X-Wing keys when all are)"
    }
}
