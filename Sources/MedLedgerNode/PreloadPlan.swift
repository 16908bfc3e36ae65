import MedLedgerCore

/// What each block of a preloaded chain carries (`ChainPreload`), before signing.
///
/// Mostly patient self-registrations, which grow the state as a consortium's patients pile
/// up. Besides them, so that patients have audit trails:
/// - block 1 registers an author (author and approver roles, so its reports are final at
///   once) of the first organization, a reader of the second (of the first with one
///   organization) and the *audited patient*;
/// - block 2 files one report for the audited patient and the patient's grant to the reader;
/// - every later block carries the reader's reads of that report (`auditEvents` in all,
///   spread evenly), which is the audited patient's access trail, and one small episode
///   for the patient registered last in the block before: a report, the patient's grant
///   to the reader, and the reader's read.
///
/// The plan is pure bookkeeping (who signs what with which nonce); keys of new patients and
/// report contents are made by the caller, because they need randomness and sealing.
struct PreloadPlan {
    /// One transaction to sign.
    enum Item {
        /// A new patient registers itself (keys made when signing).
        case registration
        /// The organization admin registers the author.
        case registerAuthor
        /// The reader's organization admin registers the reader.
        case registerReader
        /// The audited patient registers itself.
        case registerAuditPatient
        /// The author files a report for `patient` (the audited one when nil): report id,
        /// patient keys' owner. Its content is sealed by the caller.
        case submitReport(Subject)
        /// The patient grants the reader reads of the report.
        case grant(Subject)
        /// The reader reads the report (one access event in the patient's trail).
        case read(Subject)
    }

    /// Whose report an item is about: the audited patient or the patient registered last in
    /// the previous block.
    enum Subject { case auditPatient, episodePatient }

    let totalTransactions: Int
    let blockTransactions: Int
    let auditEvents: Int

    /// The smallest chain the plan fits in: block 1's three registrations, block 2's report
    /// and grant, and room for at least one more transaction.
    static let minimumTransactions = 6

    init(totalTransactions: Int, blockTransactions: Int, auditEvents: Int) {
        precondition(totalTransactions >= Self.minimumTransactions, "at least \(Self.minimumTransactions)")
        precondition(blockTransactions >= 8 && blockTransactions <= Limits.blockMaxTransactions)
        precondition(auditEvents >= 0 && auditEvents <= totalTransactions / 2, "reads are at most half the chain")
        self.totalTransactions = totalTransactions
        self.blockTransactions = blockTransactions
        self.auditEvents = auditEvents
    }

    /// Blocks the chain takes (the last may be partly filled).
    var blockCount: Int { (totalTransactions + blockTransactions - 1) / blockTransactions }

    /// The items of block `height` (1-based), given how many transactions and audit reads
    /// earlier blocks took, and whether the previous block registered a patient for an episode.
    func items(height: Int, issued: Int, readsIssued: Int, episodePatientReady: Bool) -> [Item] {
        let room = min(blockTransactions, totalTransactions - issued)
        guard room > 0 else { return [] }
        var items = [Item]()
        switch height {
        case 1: items = [.registerAuthor, .registerReader, .registerAuditPatient]
        case 2: items = [.submitReport(.auditPatient), .grant(.auditPatient)]
        default:
            // Spread the reads over the chain in proportion to its transactions, so the trail
            // grows as the chain does and the last read is in the last block.
            let due = min(auditEvents, (auditEvents * (issued + room) + totalTransactions - 1) / totalTransactions)
            let reads = min(max(0, due - readsIssued), room)
            items = Array(repeating: .read(.auditPatient), count: reads)
        }
        if height >= 2, episodePatientReady, room - items.count >= 4 {
            items += [.submitReport(.episodePatient), .grant(.episodePatient), .read(.episodePatient)]
        }
        // Whatever room is left: new patients (the state's growth). At least one when there is
        // room, so a later block has an episode patient.
        items += Array(repeating: .registration, count: max(0, room - items.count))
        return Array(items.prefix(room))
    }
}
