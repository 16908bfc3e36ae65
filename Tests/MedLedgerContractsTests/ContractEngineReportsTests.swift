import Testing
import MedLedgerCore
import MedLedgerContracts

@Suite
struct ContractEngineReportsTests {
    let r1 = Ledger.reportID(1)

    @Test func authorSubmitsPreliminary() throws {
        var cast = Cast()
        cast.ledger.height = 9
        let receipt = cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA, recipients: [cast.readerB.id])
        #expect(receipt.code == .ok)
        #expect(
            receipt.events == [
                .report(
                    report: r1, version: 1, patient: cast.patient.id, action: .submitted,
                    status: .preliminary, organization: cast.ledger.orgA.id)
            ])
        let report = try #require(cast.ledger.state.report(r1))
        #expect(report.patient == cast.patient.id)
        #expect(report.organization == cast.ledger.orgA.id)
        #expect(report.category == Code("LAB"))
        #expect(report.recipients == [cast.readerB.id])
        #expect(report.versions.count == 1)
        #expect(report.latest.status == .preliminary)
        #expect(report.latest.author == cast.authorA.id)
        #expect(report.latest.submittedAt == cast.ledger.time)
        #expect(report.latest.revision == nil)
        #expect(report.latest.approvals.isEmpty)
        #expect(!report.distributed)
        // No distribution before release.
        #expect(
            cast.ledger.state.grant(ContractEngine.distributionGrantID(report: r1, recipient: cast.readerB.id)) == nil)
    }

    @Test func approvalMakesFinalAndDistributes() throws {
        var cast = Cast()
        let recipients = [cast.readerB.id, cast.ledger.orgC.id]
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA, recipients: recipients)
        cast.ledger.time = cast.ledger.time.adding(milliseconds: 5_000)
        let receipt = cast.ledger.approve(r1, by: cast.approverA)
        #expect(receipt.code == .ok)
        let grantIDs = recipients.map { ContractEngine.distributionGrantID(report: r1, recipient: $0) }
        #expect(
            receipt.events == [
                .report(
                    report: r1, version: 1, patient: cast.patient.id, action: .approved, status: .final,
                    organization: cast.ledger.orgA.id),
                .grantChanged(grant: grantIDs[0], patient: cast.patient.id, grantee: recipients[0], active: true),
                .grantChanged(grant: grantIDs[1], patient: cast.patient.id, grantee: recipients[1], active: true),
                .report(
                    report: r1, version: 1, patient: cast.patient.id, action: .distributed, status: .final,
                    organization: cast.ledger.orgA.id),
            ])
        let report = try #require(cast.ledger.state.report(r1))
        #expect(report.latest.status == .final)
        #expect(report.latest.approvals == [Approval(approver: cast.approverA.id, time: cast.ledger.time)])
        #expect(report.distributed)
        for (id, recipient) in zip(grantIDs, recipients) {
            let grant = try #require(cast.ledger.state.grant(id))
            #expect(grant.patient == cast.patient.id)
            #expect(grant.grantee == recipient)
            #expect(grant.scope == .reports([r1]))
            #expect(grant.purpose == .treatment)
            #expect(grant.origin == .distribution)
            #expect(grant.grantedBy == cast.ledger.orgA.id)
            #expect(grant.grantedAt == cast.ledger.time)
            #expect(grant.validFrom == nil && grant.validUntil == nil && grant.revokedAt == nil)
        }
        // The recipient reads through its distribution grant.
        let read = cast.ledger.read(r1, by: cast.readerB)
        #expect(read.code == .ok)
        #expect(
            read.events.first
                == .access(
                    report: r1, version: 1, patient: cast.patient.id, reader: cast.readerB.id,
                    purpose: .treatment, basis: .grant(grantIDs[0]), organization: cast.ledger.orgB.id))
    }

    @Test func distributionGrantIDIsDerivedFromReportAndRecipient() {
        let a = Party("a").id
        let b = Party("b").id
        let id = ContractEngine.distributionGrantID(report: r1, recipient: a)
        #expect(id == ContractEngine.distributionGrantID(report: r1, recipient: a))
        #expect(id != ContractEngine.distributionGrantID(report: r1, recipient: b))
        #expect(id != ContractEngine.distributionGrantID(report: Ledger.reportID(2), recipient: a))
        let digest = Hash256.of(parts: [Array("medledger/distribution-grant/v1".utf8), r1.bytes, a.hash.bytes])
        var expected = Array(digest.bytes.prefix(16))
        expected[0] |= 0x80  // distribution ids live in the reserved half of the id space
        #expect(id.bytes == expected)
    }

    @Test func authorWithApproverRoleSelfApproves() throws {
        var cast = Cast()
        let receipt = cast.ledger.submit(r1, patient: cast.patient, author: cast.seniorA, recipients: [cast.readerB.id])
        #expect(receipt.code == .ok)
        let grant = ContractEngine.distributionGrantID(report: r1, recipient: cast.readerB.id)
        #expect(
            receipt.events == [
                .report(
                    report: r1, version: 1, patient: cast.patient.id, action: .submitted, status: .final,
                    organization: cast.ledger.orgA.id),
                .grantChanged(grant: grant, patient: cast.patient.id, grantee: cast.readerB.id, active: true),
                .report(
                    report: r1, version: 1, patient: cast.patient.id, action: .distributed, status: .final,
                    organization: cast.ledger.orgA.id),
            ])
        #expect(cast.ledger.state.report(r1)?.latest.approvals.map(\.approver) == [cast.seniorA.id])
    }

    @Test func approvingNeedsTheApproverRoleInTheSameOrganization() {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA)
        #expect(cast.ledger.approve(r1, by: cast.authorA).code == .missingRole)
        #expect(cast.ledger.approve(r1, by: cast.readerA).code == .missingRole)
        #expect(cast.ledger.approve(r1, by: cast.approverB).code == .missingRole)
        #expect(cast.ledger.approve(r1, by: cast.ledger.orgA).code == .missingRole)
        #expect(cast.ledger.approve(r1, by: cast.patient).code == .missingRole)
        #expect(cast.ledger.state.report(r1)?.latest.status == .preliminary)
    }

    @Test func approvingANonLatestOrNonPreliminaryVersionFails() {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA)
        let stale = cast.ledger.approve(r1, version: 2, by: cast.approverA)
        #expect(stale.code == .staleVersion)
        #expect(stale.facts == [.field(.version), .version(2), .latestVersion(1)])
        #expect(cast.ledger.approve(r1, version: 0, by: cast.approverA).code == .staleVersion)
        #expect(cast.ledger.approve(r1, by: cast.approverA).code == .ok)
        let again = cast.ledger.approve(r1, by: cast.approverA)
        #expect(again.code == .invalidStatusTransition)
        #expect(again.facts == [.version(1), .status(.final)])
        // Revise to version 2 (preliminary); approving version 1 is now stale.
        #expect(cast.ledger.apply(cast.authorA, revise(cast, kind: .amend, previous: 1)).code == .ok)
        #expect(cast.ledger.approve(r1, version: 1, by: cast.approverA).code == .staleVersion)
        #expect(cast.ledger.approve(r1, version: 2, by: cast.approverA).code == .ok)
    }

    @Test func everyVersionNeedsEnvelopesForPatientAuthorAndCustodian() {
        var cast = Cast()
        let custodian = cast.ledger.validator.id
        for (n, omit) in [cast.patient.id, cast.authorA.id, custodian].enumerated() {
            let id = Ledger.reportID(UInt8(10 + n))
            let payload = cast.ledger.submitPayload(id, patient: cast.patient, author: cast.authorA, omit: omit)
            let receipt = cast.ledger.apply(cast.authorA, payload)
            #expect(receipt.code == .invalidField)
            #expect(receipt.facts == [.field(.contentEnvelopes), .problem(.missingEntry), .identity(omit)])
            #expect(cast.ledger.state.report(id) == nil)
        }
    }

    @Test func contentIsChecked() {
        var cast = Cast()
        let good = cast.ledger.content(patient: cast.patient.id, author: cast.authorA.id)
        let empty = ReportContent(
            contentAddress: good.contentAddress, sizeBytes: 0, commitment: good.commitment,
            encryptedMetadata: good.encryptedMetadata, envelopes: good.envelopes,
            shareCommitments: good.shareCommitments)
        let huge = ReportContent(
            contentAddress: good.contentAddress, sizeBytes: UInt64(Limits.blobMaxBytes) + 1,
            commitment: good.commitment, encryptedMetadata: good.encryptedMetadata, envelopes: good.envelopes,
            shareCommitments: good.shareCommitments)
        let doubled = ReportContent(
            contentAddress: good.contentAddress, sizeBytes: 1, commitment: good.commitment,
            encryptedMetadata: [], envelopes: good.envelopes + [good.envelopes[0]],
            shareCommitments: good.shareCommitments)
        let custodians = UInt64(cast.ledger.engine.custodians.count)
        let tooFewShares = cast.ledger.content(patient: cast.patient.id, author: cast.authorA.id, shares: 0)
        let tooManyShares = cast.ledger.content(
            patient: cast.patient.id, author: cast.authorA.id, shares: Int(custodians) + 1)
        let range: [ReceiptFact] = [
            .field(.contentSizeBytes), .problem(.outOfRange), .limit(UInt64(Limits.blobMaxBytes)),
        ]
        let shareCount: [ReceiptFact] = [.field(.contentShareCommitments), .problem(.wrongCount), .limit(custodians)]
        let expected: [[ReceiptFact]] = [
            range, range, [.field(.contentEnvelopes), .problem(.duplicate)], shareCount, shareCount,
        ]
        for (content, facts) in zip([empty, huge, doubled, tooFewShares, tooManyShares], expected) {
            let payload = TransactionPayload.submitReport(
                SubmitReport(
                    report: r1, patient: cast.patient.id, category: Code("LAB")!,
                    content: content, recipients: []))
            let receipt = cast.ledger.apply(cast.authorA, payload)
            #expect(receipt.code == .invalidField)
            #expect(receipt.facts == facts)
        }
        #expect(cast.ledger.state.report(r1) == nil)
    }

    @Test func submissionRulesAreEnforced() {
        var cast = Cast()
        let noRole = cast.ledger.submit(r1, patient: cast.patient, author: cast.readerA)
        #expect(noRole.code == .missingRole)
        #expect(noRole.facts == [.role(.author)])
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.adminA).code == .missingRole)
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.ledger.orgA).code == .missingRole)
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.patient).code == .missingRole)
        #expect(cast.ledger.submit(r1, patient: cast.readerB, author: cast.authorA).code == .unknownIdentity)
        #expect(cast.ledger.submit(r1, patient: Party("ghost"), author: cast.authorA).code == .unknownIdentity)
        let recipient = cast.ledger.submit(
            r1, patient: cast.patient, author: cast.authorA, recipients: [cast.otherPatient.id])
        #expect(recipient.code == .unknownIdentity)
        #expect(
            recipient.facts == [
                .field(.recipients), .identity(cast.otherPatient.id), .kind(.practitioner),
                .kind(.organization),
            ])
        let twice = cast.ledger.submit(
            r1, patient: cast.patient, author: cast.authorA,
            recipients: [cast.readerB.id, cast.readerB.id])
        #expect(twice.code == .invalidField)
        #expect(twice.facts == [.field(.recipients), .problem(.duplicate)])
        #expect(cast.ledger.state.report(r1) == nil)
        #expect(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA).code == .ok)
        #expect(cast.ledger.submit(r1, patient: cast.otherPatient, author: cast.authorB).code == .reportExists)
    }

    func revise(
        _ cast: Cast, kind: RevisionKind, previous: ReportVersion, author: Party? = nil,
        reason: ChangeReason = .additionalInformation
    ) -> TransactionPayload {
        .reviseReport(
            ReviseReport(
                report: r1, previousVersion: previous, kind: kind, reason: reason,
                content: cast.ledger.content(
                    patient: cast.patient.id, author: (author ?? cast.authorA).id,
                    tag: "v\(previous + 1)")))
    }

    @Test func revisionCreatesALinkedVersion() throws {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA, recipients: [cast.readerB.id])
        cast.ledger.approve(r1, by: cast.approverA)
        let receipt = cast.ledger.apply(cast.authorA, revise(cast, kind: .amend, previous: 1))
        #expect(receipt.code == .ok)
        #expect(
            receipt.events == [
                .report(
                    report: r1, version: 2, patient: cast.patient.id, action: .revised,
                    status: .preliminary, organization: cast.ledger.orgA.id)
            ])
        var report = try #require(cast.ledger.state.report(r1))
        #expect(report.versions.count == 2)
        #expect(report.version(1)?.status == .final)
        #expect(report.latest.version == 2)
        #expect(report.latest.revision == Revision(kind: .amend, reason: .additionalInformation))
        #expect(report.latest.content != report.version(1)?.content)
        // Approval of an amendment makes it "amended", and does not distribute again.
        let approved = cast.ledger.approve(r1, version: 2, by: cast.approverA)
        #expect(approved.code == .ok)
        #expect(
            approved.events == [
                .report(
                    report: r1, version: 2, patient: cast.patient.id, action: .approved,
                    status: .amended, organization: cast.ledger.orgA.id)
            ])
        // A correction by an author-approver is released at once.
        let corrected = cast.ledger.apply(
            cast.seniorA,
            revise(
                cast, kind: .correct, previous: 2, author: cast.seniorA,
                reason: .clericalError))
        #expect(corrected.code == .ok)
        report = try #require(cast.ledger.state.report(r1))
        #expect(report.latest.version == 3)
        #expect(report.latest.status == .corrected)
        #expect(report.latest.revision == Revision(kind: .correct, reason: .clericalError))
        // The distribution grant covers every version.
        #expect(cast.ledger.read(r1, version: 3, by: cast.readerB).code == .ok)
    }

    @Test func revisionRules() {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA)
        // Not yet released.
        #expect(
            cast.ledger.apply(cast.authorA, revise(cast, kind: .amend, previous: 1)).code == .invalidStatusTransition)
        cast.ledger.approve(r1, by: cast.approverA)
        #expect(cast.ledger.apply(cast.authorA, revise(cast, kind: .amend, previous: 2)).code == .staleVersion)
        #expect(cast.ledger.apply(cast.authorA, revise(cast, kind: .amend, previous: 0)).code == .staleVersion)
        #expect(
            cast.ledger.apply(cast.authorB, revise(cast, kind: .amend, previous: 1, author: cast.authorB)).code
                == .missingRole)
        #expect(
            cast.ledger.apply(cast.approverA, revise(cast, kind: .amend, previous: 1, author: cast.approverA)).code
                == .missingRole)
        // Content rules apply to revisions too.
        let missing = ReviseReport(
            report: r1, previousVersion: 1, kind: .amend, reason: .other,
            content: cast.ledger.content(
                patient: cast.patient.id, author: cast.authorA.id,
                omit: cast.patient.id))
        #expect(cast.ledger.apply(cast.authorA, .reviseReport(missing)).code == .invalidField)
        #expect(cast.ledger.state.report(r1)?.versions.count == 1)
    }

    @Test func enteredInError() throws {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA)
        #expect(
            cast.ledger.apply(cast.readerA, .markEnteredInError(MarkEnteredInError(report: r1, reason: .wrongPatient)))
                .code
                == .missingRole)
        #expect(
            cast.ledger.apply(cast.authorB, .markEnteredInError(MarkEnteredInError(report: r1, reason: .wrongPatient)))
                .code
                == .missingRole)
        let receipt = cast.ledger.apply(
            cast.approverA, .markEnteredInError(MarkEnteredInError(report: r1, reason: .wrongPatient)))
        #expect(receipt.code == .ok)
        #expect(
            receipt.events == [
                .report(
                    report: r1, version: 1, patient: cast.patient.id, action: .enteredInError,
                    status: .enteredInError, organization: cast.ledger.orgA.id)
            ])
        let report = try #require(cast.ledger.state.report(r1))
        #expect(report.latest.status == .enteredInError)
        #expect(report.latest.withdrawal == .wrongPatient)
        #expect(
            cast.ledger.apply(cast.authorA, .markEnteredInError(MarkEnteredInError(report: r1, reason: .duplicate)))
                .code
                == .invalidStatusTransition)
        #expect(cast.ledger.approve(r1, by: cast.approverA).code == .invalidStatusTransition)
        #expect(
            cast.ledger.apply(cast.authorA, revise(cast, kind: .correct, previous: 1)).code == .invalidStatusTransition)
    }

    @Test func unknownReportIsRejectedEverywhere() {
        var cast = Cast()
        let ghost = Ledger.reportID(0xee)
        #expect(cast.ledger.approve(ghost, by: cast.approverA).code == .unknownReport)
        #expect(
            cast.ledger.apply(
                cast.authorA,
                .reviseReport(
                    ReviseReport(
                        report: ghost, previousVersion: 1, kind: .amend, reason: .other,
                        content: cast.ledger.content(patient: cast.patient.id, author: cast.authorA.id)))
            ).code == .unknownReport)
        #expect(
            cast.ledger.apply(cast.authorA, .markEnteredInError(MarkEnteredInError(report: ghost, reason: .other))).code
                == .unknownReport)
        #expect(cast.ledger.read(ghost, by: cast.patient).code == .unknownReport)
    }

    /// Issue 6, low: a report used to be one state entry holding every version, so each
    /// revision rewrote (and rehashed) all earlier versions. Now a revision writes the header
    /// and the one new version, however many versions came before.
    @Test func revisionWritesOnlyTheHeaderAndTheNewVersion() throws {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.seniorA)
        for previous in 1...10 {
            _ = cast.ledger.state.takeChanges()
            #expect(
                cast.ledger.apply(
                    cast.seniorA,
                    revise(cast, kind: .amend, previous: ReportVersion(UInt32(previous)), author: cast.seniorA)
                ).code == .ok)
            let written = cast.ledger.state.takeChanges().map(\.key)
            let reportKeys = written.filter { $0.first == 2 || $0.first == 4 }
            #expect(
                reportKeys == [
                    StateKey.report(r1).bytes, StateKey.reportVersion(r1, ReportVersion(UInt32(previous + 1))).bytes,
                ],
                "revision \(previous + 1) wrote \(reportKeys.count) report entries")
        }
        #expect(cast.ledger.state.report(r1)?.versions.count == 11)
    }
}
