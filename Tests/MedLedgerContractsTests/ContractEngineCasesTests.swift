import Testing
import MedLedgerCore
import MedLedgerContracts

@Suite struct ContractEngineCasesTests {
    let r1 = Ledger.reportID(1)
    let c1 = CaseID(bytes: [UInt8](repeating: 0x11, count: 16))!
    let access = Hash256.of(Array("some access-report".utf8))

    /// The standard cast, a final report of the patient by org A, read by org A's reader,
    /// and privacy officers at org A and org B.
    func castWithRead() -> (cast: Cast, officerA: Party, officerB: Party) {
        var cast = Cast()
        let officerA = cast.ledger.registerPractitioner("privacy-a", of: cast.ledger.orgA, roles: [.privacyOfficer])
        let officerB = cast.ledger.registerPractitioner("privacy-b", of: cast.ledger.orgB, roles: [.privacyOfficer])
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.seniorA).code == .ok)
        #expect(cast.ledger.read(r1, by: cast.readerA).code == .ok)
        return (cast, officerA, officerB)
    }

    func open(
        _ id: CaseID? = nil, report: ReportID? = nil, reader: IdentityID, concern: CaseConcern = .notInvolvedInCare
    ) -> TransactionPayload {
        .openCase(
            OpenCase(
                caseID: id ?? c1, accessTransaction: access, report: report ?? r1, reader: reader, concern: concern))
    }

    func resolve(_ id: CaseID? = nil, _ resolution: CaseResolution = .appropriate) -> TransactionPayload {
        .resolveCase(ResolveCase(caseID: id ?? c1, resolution: resolution))
    }

    @Test func patientOpensAndPrivacyOfficerResolves() throws {
        var (cast, officerA, _) = castWithRead()
        cast.ledger.time = cast.ledger.time.adding(milliseconds: 5_000)
        let opened = cast.ledger.apply(cast.patient, open(reader: cast.readerA.id, concern: .wrongPurpose))
        #expect(opened.code == .ok, "\(opened.sentence)")
        #expect(
            opened.events == [
                .caseChanged(
                    case: c1, patient: cast.patient.id, organization: cast.ledger.orgA.id, reader: cast.readerA.id,
                    status: .open)
            ])
        let record = try #require(cast.ledger.state.case(c1))
        #expect(record.patient == cast.patient.id && record.report == r1 && record.reader == cast.readerA.id)
        #expect(record.organization == cast.ledger.orgA.id && record.accessTransaction == access)
        #expect(record.concern == .wrongPurpose && record.openedBy == cast.patient.id)
        #expect(record.openedAt == cast.ledger.time && record.status == .open && record.resolution == nil)

        cast.ledger.time = cast.ledger.time.adding(milliseconds: 60_000)
        let resolved = cast.ledger.apply(officerA, resolve(c1, .inappropriate))
        #expect(resolved.code == .ok, "\(resolved.sentence)")
        #expect(
            resolved.events == [
                .caseChanged(
                    case: c1, patient: cast.patient.id, organization: cast.ledger.orgA.id, reader: cast.readerA.id,
                    status: .resolved)
            ])
        let closed = try #require(cast.ledger.state.case(c1))
        #expect(closed.status == .resolved && closed.resolution == .inappropriate)
        #expect(closed.resolvedBy == officerA.id && closed.resolvedAt == cast.ledger.time)
        #expect(closed.openedAt == record.openedAt)
    }

    @Test func caseStateSurvivesStoreAndLoad() throws {
        var (cast, _, _) = castWithRead()
        #expect(cast.ledger.apply(cast.patient, open(reader: cast.readerA.id)).code == .ok)
        let changes = cast.ledger.state.takeChanges()
        let key = StateKey.case(c1).bytes
        let value = try #require(changes.first { $0.key == key }?.value)
        #expect(StateKey(bytes: key) == .case(c1))
        #expect(try CaseRecord.decode(canonical: value) == cast.ledger.state.case(c1))
    }

    @Test func guardianMayOpenACase() {
        var (cast, _, _) = castWithRead()
        let guardian = cast.otherPatient
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true))).code
                == .ok)
        let receipt = cast.ledger.apply(guardian, open(reader: cast.readerA.id))
        #expect(receipt.code == .ok)
        #expect(cast.ledger.state.case(c1)?.patient == cast.patient.id)
        #expect(cast.ledger.state.case(c1)?.openedBy == guardian.id)
    }

    @Test func openCaseRefusals() {
        var (cast, _, _) = castWithRead()
        var reserved = c1.bytes
        reserved[0] |= 0x80
        let reservedID = CaseID(bytes: reserved)!
        let refusedReserved = cast.ledger.apply(cast.patient, open(reservedID, reader: cast.readerA.id))
        #expect(refusedReserved.code == .invalidField)
        #expect(refusedReserved.facts == [.field(.caseID), .problem(.reserved), .caseID(reservedID)])

        let unknownReport = cast.ledger.apply(cast.patient, open(report: Ledger.reportID(9), reader: cast.readerA.id))
        #expect(unknownReport.code == .unknownReport)
        #expect(unknownReport.facts == [.report(Ledger.reportID(9))])

        let stranger = cast.ledger.apply(cast.otherPatient, open(reader: cast.readerA.id))
        #expect(stranger.code == .notPatientOrGuardian)
        #expect(stranger.facts == [.report(r1)])
        let practitioner = cast.ledger.apply(cast.readerB, open(reader: cast.readerA.id))
        #expect(practitioner.code == .notPatientOrGuardian)

        let unregistered = cast.ledger.apply(cast.patient, open(reader: Party("nobody").id))
        #expect(unregistered.code == .unknownIdentity)
        #expect(unregistered.facts == [.field(.reader), .identity(Party("nobody").id), .kind(.practitioner)])
        let notPractitioner = cast.ledger.apply(cast.patient, open(reader: cast.otherPatient.id))
        #expect(notPractitioner.code == .unknownIdentity)

        #expect(cast.ledger.state.case(c1) == nil, "no refusal leaves a case")
        #expect(cast.ledger.apply(cast.patient, open(reader: cast.readerA.id)).code == .ok)
        let again = cast.ledger.apply(cast.patient, open(reader: cast.readerB.id))
        #expect(again.code == .caseExists)
        #expect(again.facts == [.caseID(c1)])
        #expect(cast.ledger.state.case(c1)?.reader == cast.readerA.id, "the first case stays as it was")
    }

    @Test func resolveCaseRefusals() {
        var (cast, officerA, officerB) = castWithRead()
        let unknown = cast.ledger.apply(officerA, resolve())
        #expect(unknown.code == .unknownCase)
        #expect(unknown.facts == [.caseID(c1)])

        #expect(cast.ledger.apply(cast.patient, open(reader: cast.readerA.id)).code == .ok)
        // Another organization's privacy officer, an admin without the role, the organization
        // key itself and the patient: none is a privacy officer of org A.
        for signer in [officerB, cast.adminA, cast.readerA, cast.patient] {
            let refused = cast.ledger.apply(signer, resolve())
            #expect(refused.code == .missingRole, "\(signer.name)")
            #expect(refused.facts == [.role(.privacyOfficer), .organization(cast.ledger.orgA.id)])
        }
        #expect(cast.ledger.apply(cast.ledger.orgA, resolve()).code == .missingRole)
        #expect(cast.ledger.state.case(c1)?.status == .open)

        #expect(cast.ledger.apply(officerA, resolve(c1, .referred)).code == .ok)
        let twice = cast.ledger.apply(officerA, resolve(c1, .appropriate))
        #expect(twice.code == .caseClosed)
        #expect(twice.facts == [.caseID(c1)])
        #expect(cast.ledger.state.case(c1)?.resolution == .referred, "a resolved case keeps its resolution")
    }

    @Test func caseEventsAreFiledForPatientAndOrganization() {
        let event = LedgerEvent.caseChanged(
            case: c1, patient: Party("p").id, organization: Party("o").id, reader: Party("r").id, status: .open)
        #expect(event.ids == [c1.bytes, Party("p").id.hash.bytes, Party("o").id.hash.bytes])
        #expect(
            event.subjects == event.ids + [
                EventIndexKey.cases(organization: Party("o").id), EventIndexKey.cases(patient: Party("p").id),
            ])
        #expect(!event.subjects.contains(Party("r").id.hash.bytes), "the reader is not told through their feed")
    }
}
