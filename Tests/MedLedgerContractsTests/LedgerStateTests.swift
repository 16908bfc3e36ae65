import Testing
import MedLedgerCore
import MedLedgerContracts

@Suite struct LedgerStateTests {
    /// A fixed workload, signed once, so two replays see byte-identical transactions.
    static func workload(_ ledger: inout Ledger, includeReports: Bool) -> [Transaction] {
        let doctor = Party("det-doctor")
        let patient = Party("det-patient")
        let reader = Party("det-reader")
        var txs: [Transaction] = [
            ledger.tx(
                ledger.orgA,
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: ledger.orgA.id, signingKey: doctor.keys.publicSigningKey,
                        encryptionKey: doctor.keys.publicEncryptionKey, roles: [.author, .approver]))),
            ledger.tx(
                ledger.orgB,
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: ledger.orgB.id, signingKey: reader.keys.publicSigningKey,
                        encryptionKey: reader.keys.publicEncryptionKey, roles: [.reader]))),
            ledger.tx(patient, .registerPatient(RegisterPatient(keys: patient.keys))),
            ledger.tx(patient, .setGuardian(SetGuardian(guardian: reader.id, isGuardian: true))),
            // refused: wrong kind
            ledger.tx(reader, .setGuardian(SetGuardian(guardian: patient.id, isGuardian: true))),
            // refused: unknown signer
            ledger.tx(Party("nobody"), .setGuardian(SetGuardian(guardian: patient.id, isGuardian: true))),
        ]
        if includeReports {
            let report = Ledger.reportID(7)
            txs += [
                ledger.tx(
                    doctor,
                    .submitReport(
                        SubmitReport(
                            report: report, patient: patient.id, category: Code("LAB")!,
                            content: ledger.content(patient: patient.id, author: doctor.id), recipients: [reader.id]))),
                ledger.tx(reader, .accessReport(AccessReport(report: report, version: 1, purpose: .treatment))),
                // the reader is the patient's guardian: allowed
                ledger.tx(reader, .accessReport(AccessReport(report: report, version: 1, purpose: .research))),
                ledger.tx(
                    patient,
                    .grantAccess(
                        GrantAccess(
                            grant: Ledger.grantID(1), patient: patient.id, grantee: ledger.orgB.id,
                            scope: .allReports, purpose: .research, validFrom: nil,
                            validUntil: ledger.time.adding(milliseconds: 1_000)))),
                ledger.tx(patient, .revokeGrant(RevokeGrant(grant: Ledger.grantID(1)))),
            ]
        }
        return txs
    }

    static func replay(_ txs: [Transaction]) -> (receipts: [TransactionReceipt], root: Hash256, changes: Int) {
        var ledger = Ledger()
        let receipts = txs.map { ledger.apply($0) }
        let changes = ledger.state.takeChanges().count
        return (receipts, ledger.state.stateRoot(), changes)
    }

    @Test func sameTransactionsGiveSameReceiptsAndRoot() {
        var builder = Ledger()
        let txs = Self.workload(&builder, includeReports: false)
        let a = Self.replay(txs)
        let b = Self.replay(txs)
        #expect(a.receipts == b.receipts)
        #expect(a.receipts.map(\.hash) == b.receipts.map(\.hash))
        #expect(a.root == b.root)
        #expect(a.changes == b.changes)
        #expect(a.receipts.map(\.code) == [.ok, .ok, .ok, .ok, .wrongKind, .unknownSigner])
    }

    @Test
    func sameTransactionsWithReportsGiveSameReceiptsAndRoot() {
        var builder = Ledger()
        let txs = Self.workload(&builder, includeReports: true)
        let a = Self.replay(txs)
        let b = Self.replay(txs)
        #expect(a.receipts == b.receipts)
        #expect(a.root == b.root)
        #expect(a.receipts.map(\.code) == [.ok, .ok, .ok, .ok, .wrongKind, .unknownSigner, .ok, .ok, .ok, .ok, .ok])
    }

    @Test func independentTransactionsInEitherOrderGiveTheSameRoot() {
        var builder = Ledger()
        let x = Party("indep-x")
        let y = Party("indep-y")
        let p = Party("indep-p")
        let txs = [
            builder.tx(
                builder.orgA,
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: builder.orgA.id, signingKey: x.keys.publicSigningKey,
                        encryptionKey: x.keys.publicEncryptionKey, roles: [.reader]))),
            builder.tx(
                builder.orgB,
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: builder.orgB.id, signingKey: y.keys.publicSigningKey,
                        encryptionKey: y.keys.publicEncryptionKey, roles: [.author]))),
            builder.tx(p, .registerPatient(RegisterPatient(keys: p.keys))),
        ]
        let forward = Self.replay(txs)
        let backward = Self.replay(txs.reversed())
        #expect(forward.root == backward.root)
        #expect(Self.replay([txs[1], txs[2], txs[0]]).root == forward.root)
        // A different final state gives a different root.
        #expect(Self.replay(Array(txs.dropLast())).root != forward.root)
    }

    @Test func rootDependsOnlyOnContentNotOnHowChangesWereBatched() {
        var builder = Ledger()
        let txs = Self.workload(&builder, includeReports: false)
        // One block.
        let oneBlock = Self.replay(txs).root
        // A block per transaction, taking changes after each.
        var ledger = Ledger()
        for tx in txs {
            ledger.apply(tx)
            _ = ledger.state.takeChanges()
            _ = ledger.state.stateRoot()
        }
        #expect(ledger.state.stateRoot() == oneBlock)
    }

    @Test(arguments: [false, true])
    func loadingAccumulatedChangesReproducesTheRoot(includeReports: Bool) throws {
        var builder = Ledger()
        let txs = Self.workload(&builder, includeReports: includeReports)
        var ledger = Ledger()
        var stored: [[UInt8]: [UInt8]] = [:]
        for (index, tx) in txs.enumerated() {
            ledger.height = Height(UInt64(index + 1))
            ledger.apply(tx)
            for change in ledger.state.takeChanges() {
                stored[change.key] = change.value
            }
        }
        let root = ledger.state.stateRoot()
        let entries = stored.map { (key: $0.key, value: $0.value) }
        var loaded = try LedgerState.load(entries: entries)
        #expect(loaded.stateRoot() == root)
        var reversed = try LedgerState.load(entries: entries.reversed())
        #expect(reversed.stateRoot() == root)
        var folded = ledger.state
        folded.foldPending()  // the ledger executed in place: its writes are still in the pending layer
        #expect(loaded.identities == folded.identities)
        #expect(loaded.reports == folded.reports && loaded.grants == folded.grants)
        #expect(loaded.cases == folded.cases && loaded.attestedBlobHolders == folded.attestedBlobHolders)
        #expect(includeReports == !loaded.grants.isEmpty)
        for patient in Set(folded.grants.values.map(\.patient)) {
            #expect(loaded.grants(ofPatient: patient) == folded.grants(ofPatient: patient))
        }
        #expect(loaded.takeChanges().isEmpty)
        // Every entry reads back to the same bytes.
        for (key, value) in stored {
            let stateKey = try #require(StateKey(bytes: key))
            #expect(loaded.encodedValue(stateKey) == value)
        }
    }

    @Test func takeChangesIsSortedAndClears() {
        var ledger = Ledger()
        let changes = ledger.state.takeChanges()
        #expect(changes.count == 4)  // 3 organizations + 1 validator
        #expect(changes.map(\.key) == changes.map(\.key).sorted { $0.lexicographicallyPrecedes($1) })
        #expect(changes.allSatisfy { $0.key.first == 1 && $0.value != nil })
        #expect(ledger.state.takeChanges().isEmpty)
    }

    @Test func rootChangesWithState() {
        var ledger = Ledger()
        let genesisRoot = ledger.root()
        #expect(genesisRoot != .empty)
        ledger.registerPatient("root-patient")
        let after = ledger.root()
        #expect(after != genesisRoot)
        // A refused transaction that spends a nonce still changes the root.
        ledger.apply(
            Party("root-patient"), .setGuardian(SetGuardian(guardian: Party("root-patient").id, isGuardian: true)))
        #expect(ledger.root() != after)
        // A transaction refused at admission does not.
        let same = ledger.root()
        ledger.apply(Party("stranger"), .setGuardian(SetGuardian(guardian: ledger.orgA.id, isGuardian: true)))
        #expect(ledger.root() == same)
    }

    @Test func loadRejectsBadEntries() {
        #expect(throws: StateLoadError.self) {
            try LedgerState.load(entries: [(key: [9] + [UInt8](repeating: 0, count: 32), value: [])])
        }
        #expect(throws: StateLoadError.self) { try LedgerState.load(entries: [(key: [1, 2, 3], value: [])]) }
        #expect(throws: StateLoadError.self) {
            try LedgerState.load(entries: [(key: [1] + [UInt8](repeating: 0, count: 32), value: [1, 2])])
        }
        #expect(throws: StateLoadError.self) { try LedgerState.load(entries: [(key: [], value: [])]) }
    }

    @Test func loadRefusesAKeyStoredTwice() throws {
        var ledger = Ledger()
        let entries = ledger.state.takeChanges().compactMap { change in
            change.value.map { (key: change.key, value: $0) }
        }
        _ = try LedgerState.load(entries: entries)
        let error = try #require(throws: StateLoadError.self) {
            try LedgerState.load(entries: entries + [entries[1]])
        }
        #expect("\(error)".contains(Hex.encode(entries[1].key)) && "\(error)".contains("stored twice"))
    }

    @Test func stateKeysRoundTrip() {
        let identity = StateKey.identity(Party("k").id)
        let report = StateKey.report(Ledger.reportID(1))
        let grant = StateKey.grant(Ledger.grantID(1))
        for key in [identity, report, grant] {
            #expect(StateKey(bytes: key.bytes) == key)
        }
        #expect(identity.bytes.count == 33 && report.bytes.count == 17 && grant.bytes.count == 17)
        #expect(identity.bytes.first == 1 && report.bytes.first == 2 && grant.bytes.first == 3)
        #expect(StateKey(bytes: [2] + [UInt8](repeating: 0, count: 32)) == nil)
    }

    @Test func recordsRoundTrip() throws {
        var ledger = Ledger()
        ledger.registerPatient("rt")
        let record = try #require(ledger.state.identity(Party("rt").id))
        #expect(try IdentityRecord.decode(canonical: record.canonicalBytes) == record)
        let version = ReportVersionRecord(
            version: 2, status: .amended, author: record.id, submittedAt: ledger.time,
            content: ledger.content(patient: record.id, author: record.id),
            revision: Revision(kind: .amend, reason: .other),
            approvals: [Approval(approver: record.id, time: ledger.time)], withdrawal: .duplicate)
        let report = ReportRecord(
            id: Ledger.reportID(1), patient: record.id, organization: ledger.orgA.id,
            category: Code("LAB")!, recipients: [ledger.orgB.id], versions: [version, version],
            distributed: true)
        #expect(try ReportRecord.decode(canonical: report.canonicalBytes) == report)
        #expect(report.version(0) == nil && report.version(3) == nil && report.version(2) == version)
    }
}

/// Executing a copy never touches the original, and adopting the copy's outcome gives the
/// same state and root as executing in place.
@Suite struct LedgerStateLayerTests {
    @Test func speculativeCopyThenAdoptEqualsInPlaceExecution() throws {
        var cast = Cast()
        let before = cast.ledger.state
        var inPlace = cast.ledger.state
        var copy = cast.ledger.state
        let patient = Party("layer-patient")
        let tx = cast.ledger.tx(patient, .registerPatient(RegisterPatient(keys: patient.keys)))
        let context = BlockContext(height: 99, time: ConsensusTime(milliseconds: 99_000))
        #expect(cast.ledger.engine.apply(tx, to: &inPlace, context: context).code == .ok)
        #expect(cast.ledger.engine.apply(tx, to: &copy, context: context).code == .ok)
        #expect(before.identity(patient.id) == nil)
        _ = inPlace.takeChanges()
        _ = copy.takeChanges()
        let root = copy.stateRoot()
        let outcome = copy.detachOutcome()
        var live = before
        live.adopt(outcome)
        #expect(live.identity(patient.id) != nil)
        #expect(live.stateRoot() == root)
        #expect(inPlace.stateRoot() == root)
        #expect(before.identity(patient.id) == nil)
    }
}

/// Issue 6.8: state proofs a client checks against a certified header's state root.
@Suite struct StateProofTests {
    @Test func everyEntryIsProvenAndAChangedValueOrKeyIsNot() throws {
        var cast = Cast()
        _ = cast.ledger.state.takeChanges()
        let root = cast.ledger.state.stateRoot()
        for party in [cast.patient, cast.authorA, cast.ledger.orgA] {
            let key = StateKey.identity(party.id)
            let entry = cast.ledger.state.provenEntry(key)
            let (value, proof) = try #require(entry)
            #expect(proof.verifies(key: key.bytes, value: value, stateRoot: root))
            var changed = value
            changed[changed.count - 1] ^= 1
            #expect(!proof.verifies(key: key.bytes, value: changed, stateRoot: root))
            #expect(!proof.verifies(key: StateKey.identity(cast.otherPatient.id).bytes, value: value, stateRoot: root))
            #expect(!proof.verifies(key: key.bytes, value: value, stateRoot: Hash256.of([1])))
        }
        #expect(cast.ledger.state.provenEntry(.identity(Party("nobody").id)) == nil)
    }

    /// The incrementally kept tree gives the root its definition gives over every entry.
    @Test func incrementalRootEqualsTheRootComputedFromScratch() {
        var cast = Cast()
        _ = cast.ledger.state.takeChanges()
        cast.ledger.state.foldPending()
        let incremental = cast.ledger.state.stateRoot()
        let state = cast.ledger.state
        let keys =
            state.identities.keys.map { StateKey.identity($0) } + state.reports.keys.map { StateKey.report($0) }
            + state.grants.keys.map { StateKey.grant($0) }
        #expect(keys.count == state.committedEntryCount)
        let entries = keys.map { (key: $0.bytes, value: state.encodedValue($0)!) }
        #expect(ReferenceStateRoot.root(keysAndValues: entries) == incremental)
    }
}
