import MedLedgerCore
import MedLedgerStorage
import Testing

/// Part of the storage conformance suite: each store test runs against SQLite and PostgreSQL.
@Suite struct LedgerStoreEventTests {
    let patient = Fixtures.patientKeys(height: 1, index: 0).identityID
    let grantee = IdentityKeys.deterministic(seed: "grantee").identityID
    let grant = GrantID(bytes: Array(repeating: 7, count: 16))!
    let chain: [BlockFixture]

    /// Block 1 registers the patient (one event). Block 2 holds a registration and then a
    /// transaction whose receipt grants, then revokes a self-grant: the patient is a subject
    /// of both grant events, once even where it is patient and grantee.
    init() {
        let first = Fixtures.block(height: 1, previous: Fixtures.genesis.hash, count: 1)
        let granting = Fixtures.registerPatient(IdentityKeys.deterministic(seed: "grant-carrier"))
        let receipt = TransactionReceipt.accepted([
            .grantChanged(grant: grant, patient: patient, grantee: grantee, active: true),
            .grantChanged(grant: grant, patient: patient, grantee: patient, active: false),
        ])
        let second = Fixtures.block(
            height: 2, previous: first.block.hash, lastCommit: first.certificate, count: 1, extra: [(granting, receipt)]
        )
        chain = [first, second]
    }

    /// A store of `kind` holding `chain`.
    func prepared(_ kind: StoreKind) throws -> (StoreUnderTest, any LedgerDatabase) {
        let harness = try StoreUnderTest(kind)
        let store = try harness.open()
        for fixture in chain { try store.commit(fixture) }
        return (harness, store)
    }

    @Test(arguments: StoreKind.underTest) func eventsOfASubjectComeNewestFirst(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let events = Array(try store.events(subject: patient.hash.bytes, limit: 10).reversed())
        #expect(events.map(\.height) == [1, 2, 2])
        #expect(events.map(\.position) == [0, 1, 1])
        #expect(events.map(\.eventIndex) == [0, 0, 1])
        #expect(events[0].event == .identityRegistered(identity: patient, kind: .patient, organization: nil))
        #expect(events[0].transactionHash == chain[0].block.transactions[0].hash)
        #expect(events[1].transactionHash == chain[1].block.transactions[1].hash)
        #expect(events[0].time == chain[0].block.header.time)
        #expect(events[2].time == chain[1].block.header.time)
        #expect(events[2].event == .grantChanged(grant: grant, patient: patient, grantee: patient, active: false))
    }

    @Test(arguments: StoreKind.underTest) func eventsAreFiledUnderEverySubject(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let byGrantee = try store.events(subject: grantee.hash.bytes, limit: 10)
        #expect(byGrantee.map(\.eventIndex) == [0])
        let byGrant = try store.events(subject: grant.bytes, limit: 10)
        #expect(byGrant.map(\.eventIndex) == [1, 0])
        #expect(try store.events(subject: [1, 2, 3], limit: 10).isEmpty)
    }

    @Test(arguments: StoreKind.underTest) func pagesFollowTheCursorWithoutGapsOrRepeats(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let first = try store.events(subject: patient.hash.bytes, limit: 2)
        #expect(first.map(\.height) == [2, 2])
        #expect(first.map(\.eventIndex) == [1, 0])
        let cursor = try #require(first.last).cursor
        let second = try store.events(subject: patient.hash.bytes, before: cursor, limit: 2)
        #expect(second.map(\.height) == [1])
        #expect(
            try store.events(subject: patient.hash.bytes, before: try #require(second.last).cursor, limit: 2).isEmpty)
        #expect(try store.events(subject: patient.hash.bytes, limit: 0).isEmpty)
    }

    @Test func cursorTextRoundTripsAndRejectsJunk() {
        let cursor = EventCursor(height: 12, position: 3, eventIndex: 0)
        #expect(EventCursor(cursor.description) == cursor)
        for junk in ["", "1.2", "1.2.3.4", "a.b.c", "-1.0.0", "1..0", "99999999999999999999.0.0", "1.2.+3"] {
            #expect(EventCursor(junk) == nil, "\(junk)")
        }
    }
}
