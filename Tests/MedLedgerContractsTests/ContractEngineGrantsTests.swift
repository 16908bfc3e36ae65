import Testing
import MedLedgerCore
import MedLedgerContracts

@Suite
struct ContractEngineGrantsTests {
    let lab = Ledger.reportID(1)
    let rad = Ledger.reportID(2)
    let g1 = Ledger.grantID(1)

    /// A cast with two final reports of the patient: LAB (r1) and RAD (r2), authored in org A.
    func castWithReports() -> Cast {
        var cast = Cast()
        cast.ledger.submit(lab, patient: cast.patient, author: cast.seniorA, category: "LAB")
        cast.ledger.submit(rad, patient: cast.patient, author: cast.seniorA, category: "RAD")
        return cast
    }

    @Test func patientGrantsByReportID() throws {
        var cast = castWithReports()
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
        let receipt = cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, scope: .reports([lab]))
        #expect(receipt.code == .ok)
        #expect(
            receipt.events == [
                .grantChanged(grant: g1, patient: cast.patient.id, grantee: cast.readerB.id, active: true)
            ])
        let record = try #require(cast.ledger.state.grant(g1))
        #expect(record.origin == .consent)
        #expect(record.grantedBy == cast.patient.id)
        #expect(record.grantedAt == cast.ledger.time)
        #expect(
            cast.ledger.read(lab, by: cast.readerB).events.first
                == .access(
                    report: lab, version: 1, patient: cast.patient.id, reader: cast.readerB.id, purpose: .treatment,
                    basis: .grant(g1), organization: cast.ledger.orgB.id))
        #expect(cast.ledger.read(rad, by: cast.readerB).code == .noActiveGrant)
    }

    @Test func grantByCategory() {
        var cast = castWithReports()
        #expect(
            cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, scope: .categories([Code("RAD")!])).code
                == .ok)
        #expect(cast.ledger.read(rad, by: cast.readerB).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
    }

    @Test func grantForAllReports() {
        var cast = castWithReports()
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.authorB.id).code == .ok)
        #expect(cast.ledger.read(rad, by: cast.authorB).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.authorB).code == .ok)
        // Only this patient's reports.
        let other = Ledger.reportID(3)
        cast.ledger.submit(other, patient: cast.otherPatient, author: cast.seniorA)
        #expect(cast.ledger.read(other, by: cast.authorB).code == .noActiveGrant)
    }

    @Test func purposeMustMatch() {
        var cast = castWithReports()
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, purpose: .research).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB, purpose: .research).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB, purpose: .treatment).code == .noActiveGrant)
        #expect(cast.ledger.read(lab, by: cast.readerB, purpose: .emergency).code == .noActiveGrant)
    }

    @Test func grantToOrganizationCoversItsReaders() {
        var cast = castWithReports()
        let readerC = cast.ledger.registerPractitioner("reader-c", of: cast.ledger.orgC, roles: [.reader])
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.ledger.orgB.id).code == .ok)
        // A reader of org B: covered.
        let read = cast.ledger.read(lab, by: cast.readerB)
        #expect(read.code == .ok)
        #expect(
            read.events.first
                == .access(
                    report: lab, version: 1, patient: cast.patient.id, reader: cast.readerB.id,
                    purpose: .treatment, basis: .grant(g1), organization: cast.ledger.orgB.id))
        // Org B members without the reader role, and other organizations' readers: not covered.
        #expect(cast.ledger.read(lab, by: cast.authorB).code == .noActiveGrant)
        #expect(cast.ledger.read(lab, by: cast.approverB).code == .noActiveGrant)
        #expect(cast.ledger.read(lab, by: readerC).code == .noActiveGrant)
        // The organization key itself is the grantee.
        #expect(cast.ledger.read(lab, by: cast.ledger.orgB).code == .ok)
    }

    @Test func guardianGrantsAndRevokes() {
        var cast = castWithReports()
        let guardian = cast.otherPatient
        // Not a guardian yet.
        #expect(
            cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, signedBy: guardian).code
                == .notPatientOrGuardian)
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true))).code
                == .ok)
        let granted = cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, signedBy: guardian)
        #expect(granted.code == .ok)
        #expect(cast.ledger.state.grant(g1)?.grantedBy == guardian.id)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
        // The guardian reads through the relationship.
        #expect(
            cast.ledger.read(lab, by: guardian).events.first
                == .access(
                    report: lab, version: 1, patient: cast.patient.id, reader: guardian.id, purpose: .treatment,
                    basis: .relationship, organization: nil))
        let revoked = cast.ledger.apply(guardian, .revokeGrant(RevokeGrant(grant: g1)))
        #expect(revoked.code == .ok)
        #expect(
            revoked.events == [
                .grantChanged(grant: g1, patient: cast.patient.id, grantee: cast.readerB.id, active: false)
            ])
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
        // Once unset, the guardian loses both powers.
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: false))).code
                == .ok)
        #expect(
            cast.ledger.grant(Ledger.grantID(2), patient: cast.patient, to: cast.readerB.id, signedBy: guardian).code
                == .notPatientOrGuardian)
        #expect(cast.ledger.read(lab, by: guardian).code == .noActiveGrant)
    }

    @Test func onlyThePatientOrAGuardianGrants() {
        var cast = castWithReports()
        for signer in [cast.readerB, cast.seniorA, cast.ledger.orgA, cast.otherPatient] {
            #expect(
                cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, signedBy: signer).code
                    == .notPatientOrGuardian)
        }
        #expect(cast.ledger.state.grant(g1) == nil)
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id).code == .ok)
        for signer in [cast.readerB, cast.seniorA, cast.otherPatient] {
            #expect(cast.ledger.apply(signer, .revokeGrant(RevokeGrant(grant: g1))).code == .notPatientOrGuardian)
        }
        #expect(cast.ledger.state.grant(g1)?.revokedAt == nil)
    }

    @Test func grantValidation() {
        var cast = castWithReports()
        let foreign = Ledger.reportID(3)
        cast.ledger.submit(foreign, patient: cast.otherPatient, author: cast.seniorA)
        let now = cast.ledger.time
        let grantee: [ReceiptFact] = [.field(.grantee), .kind(.practitioner), .kind(.organization)]
        func refusal(_ receipt: TransactionReceipt) -> (ResultCode, [ReceiptFact]) { (receipt.code, receipt.facts) }
        #expect(
            refusal(cast.ledger.grant(g1, patient: cast.readerA, to: cast.readerB.id))
                == (.unknownIdentity, [.field(.patient), .identity(cast.readerA.id), .kind(.patient)]))
        let otherPatient = refusal(cast.ledger.grant(g1, patient: cast.patient, to: cast.otherPatient.id))
        #expect(
            otherPatient == (.unknownIdentity, [grantee[0], .identity(cast.otherPatient.id)] + grantee.dropFirst()))
        let ghost = Party("ghost").id
        #expect(
            refusal(cast.ledger.grant(g1, patient: cast.patient, to: ghost))
                == (.unknownIdentity, [grantee[0], .identity(ghost)] + grantee.dropFirst()))
        #expect(
            refusal(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, scope: .reports([])))
                == (.invalidField, [.field(.scopeReports), .problem(.empty)]))
        #expect(
            refusal(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, scope: .categories([])))
                == (.invalidField, [.field(.scopeCategories), .problem(.empty)]))
        #expect(
            refusal(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, scope: .reports([foreign])))
                == (.invalidField, [.field(.scopeReports), .problem(.notPatientsReport), .report(foreign)]))
        #expect(
            refusal(
                cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, scope: .reports([Ledger.reportID(9)]))
            )
                == (.invalidField, [.field(.scopeReports), .problem(.notPatientsReport), .report(Ledger.reportID(9))]))
        // validUntil in the past, at the block time, or not after validFrom.
        #expect(
            refusal(
                cast.ledger.grant(
                    g1, patient: cast.patient, to: cast.readerB.id,
                    until: ConsensusTime(milliseconds: now.milliseconds - 1)))
                == (.invalidField, [.field(.validUntil), .problem(.past), .time(now)]))
        #expect(
            refusal(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, until: now))
                == (.invalidField, [.field(.validUntil), .problem(.past), .time(now)]))
        #expect(
            refusal(
                cast.ledger.grant(
                    g1, patient: cast.patient, to: cast.readerB.id, from: now.adding(milliseconds: 10),
                    until: now.adding(milliseconds: 10)))
                == (.invalidField, [.field(.validUntil), .problem(.notAfterStart)]))
        #expect(cast.ledger.state.grant(g1) == nil)
        #expect(
            cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, until: now.adding(milliseconds: 1)).code
                == .ok)
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.authorB.id).code == .grantExists)
    }

    @Test func expiryIsDecidedByBlockTime() {
        var cast = castWithReports()
        let until = cast.ledger.time.adding(milliseconds: 60_000)
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, until: until).code == .ok)
        cast.ledger.time = ConsensusTime(milliseconds: until.milliseconds - 1)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
        cast.ledger.time = until
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
        cast.ledger.time = until.adding(milliseconds: 86_400_000)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
        // Block time going "back" (a replayed earlier block context) is the only clock there is.
        cast.ledger.time = ConsensusTime(milliseconds: until.milliseconds - 1)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
    }

    @Test func grantStatusFollowsConsensusTime() throws {
        let from = ConsensusTime(milliseconds: 1_000)
        let until = ConsensusTime(milliseconds: 2_000)
        let p = Party("p").id
        var grant = GrantRecord(
            id: g1, patient: p, grantee: p, scope: .allReports, purpose: .treatment, validFrom: from,
            validUntil: until, origin: .consent, grantedBy: p, grantedAt: ConsensusTime(milliseconds: 0))
        #expect(grant.status(at: ConsensusTime(milliseconds: 999)) == .pending)
        #expect(grant.status(at: from) == .active)
        #expect(grant.status(at: ConsensusTime(milliseconds: 1_999)) == .active)
        #expect(grant.status(at: until) == .expired)
        grant.revokedAt = ConsensusTime(milliseconds: 1_500)
        #expect(grant.status(at: from) == .revoked)
        #expect(try GrantRecord.decode(canonical: grant.canonicalBytes) == grant)
    }

    @Test func validFromDelaysAccess() {
        var cast = castWithReports()
        let from = cast.ledger.time.adding(milliseconds: 1_000)
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id, from: from).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
        cast.ledger.time = from
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
    }

    @Test func revokedGrantIsDenied() throws {
        var cast = castWithReports()
        #expect(cast.ledger.grant(g1, patient: cast.patient, to: cast.readerB.id).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
        cast.ledger.time = cast.ledger.time.adding(milliseconds: 10)
        #expect(cast.ledger.apply(cast.patient, .revokeGrant(RevokeGrant(grant: g1))).code == .ok)
        #expect(cast.ledger.state.grant(g1)?.revokedAt == cast.ledger.time)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
        #expect(cast.ledger.apply(cast.patient, .revokeGrant(RevokeGrant(grant: g1))).code == .grantNotActive)
        #expect(
            cast.ledger.apply(cast.patient, .revokeGrant(RevokeGrant(grant: Ledger.grantID(9)))).code == .unknownGrant)
    }

    @Test func patientRevokesADistributionGrant() {
        var cast = Cast()
        cast.ledger.submit(lab, patient: cast.patient, author: cast.seniorA, recipients: [cast.readerB.id])
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
        let id = ContractEngine.distributionGrantID(report: lab, recipient: cast.readerB.id)
        #expect(cast.ledger.apply(cast.patient, .revokeGrant(RevokeGrant(grant: id))).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .noActiveGrant)
    }

    /// Anyone who sees a preliminary report's id and recipients can compute its distribution
    /// grant ids and take them first with a consent grant of their own; the distribution then
    /// skips that recipient (`guard state.grant(id) == nil else { continue }`), and the
    /// recipient never gets access to the real report.
    @Test
    func distributionGrantIDsCannotBeSquatted() {
        var cast = Cast()
        cast.ledger.submit(lab, patient: cast.patient, author: cast.authorA, recipients: [cast.readerB.id])
        let id = ContractEngine.distributionGrantID(report: lab, recipient: cast.readerB.id)
        // Another patient tries to take the id with a grant about their own reports: refused,
        // because distribution ids live in a reserved half of the id space.
        #expect(ContractEngine.isDistributionGrantID(id))
        #expect(cast.ledger.grant(id, patient: cast.otherPatient, to: cast.readerB.id).code == .invalidField)
        #expect(cast.ledger.approve(lab, by: cast.approverA).code == .ok)
        #expect(cast.ledger.read(lab, by: cast.readerB).code == .ok)
    }
}
