import Foundation
import Testing
import MedLedgerCore
import MedLedgerContracts
import MedLedgerNode
import MedLedgerTesting
import MedLedgerVault

/// Principle 3: a reader gets a key only as the effect of a committed, granted read.
@Suite struct KeyReleaseTests {
    struct Fixture {
        let net: TestNode
        let patient: ClientIdentity
        let author: ClientIdentity
        let reader: ClientIdentity
        let report: ReportID
    }

    func fixture() async throws -> Fixture {
        let net = try TestNode.make()
        let patient = TestNode.person("patient")
        let author = TestNode.person("author")
        let reader = TestNode.person("reader")
        #expect(try await net.commit(await net.transaction(patient, .registerPatient(RegisterPatient(
            signingKey: patient.keys.publicSigningKey, encryptionKey: patient.keys.publicEncryptionKey)))).code == .ok)
        for (person, org, roles) in [(author, net.lab, [Role.author, .approver]), (reader, net.hospital, [Role.reader])] {
            let receipt = try await net.commit(await net.transaction(org, .registerPractitioner(RegisterPractitioner(
                organization: org.id, signingKey: person.keys.publicSigningKey,
                encryptionKey: person.keys.publicEncryptionKey, roles: roles))))
            #expect(receipt.code == .ok)
        }
        let report = ReportID.random()
        let custodian = net.node.validators.validators[0]
        let sealed = try ReportCrypto.seal(
            plaintext: Array("result".utf8), title: "t", effectiveDate: nil, note: nil, report: report, version: 1,
            recipients: [(patient.id, patient.keys.publicEncryptionKey), (author.id, author.keys.publicEncryptionKey),
                         (custodian.id, custodian.encryptionKey)])
        _ = try await net.node.putBlob(sealed.blob, uploader: author.id)
        let submitted = try await net.commit(await net.transaction(author, .submitReport(SubmitReport(
            report: report, patient: patient.id, category: Code("LP7789-9")!, content: sealed.content, recipients: []))))
        #expect(submitted.code == .ok)
        return Fixture(net: net, patient: patient, author: author, reader: reader, report: report)
    }

    func read(_ f: Fixture, offset: UInt64? = nil) async throws -> TransactionReceipt {
        try await f.net.commit(await f.net.transaction(f.reader, .accessReport(AccessReport(
            report: f.report, version: 1, purpose: .treatment))), atOffsetMilliseconds: offset)
    }

    @Test func noReceiptNoKey() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    @Test func deniedReadIsRecordedAndReleasesNothing() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        #expect(try await read(f).code == .noActiveGrant)
        let trail = try await f.net.node.accessTrail(ofPatient: f.patient.id)
        #expect(trail.count == 1)
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    @Test func grantedReadReleasesAKeyThatOpensTheReportUntilTheWindowCloses() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let grant = try await f.net.commit(await f.net.transaction(f.patient, .grantAccess(GrantAccess(
            grant: GrantID.randomConsentGrantID(), patient: f.patient.id, grantee: f.reader.id, scope: .allReports, purpose: .treatment,
            validFrom: nil, validUntil: nil))))
        #expect(grant.code == .ok)
        #expect(try await read(f).code == .ok)
        let envelope = try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id)
        let key = try ReportCrypto.unwrap(envelope, using: f.reader.keys, report: f.report, version: 1)
        let record = try #require(await f.net.node.report(f.report))
        let blob = try #require(try f.net.node.blobs.get(record.latest.content.contentAddress))
        let opened = try ReportCrypto.open(blob: blob, content: record.latest.content, dataKey: key, report: f.report, version: 1)
        #expect(opened.plaintext == Array("result".utf8))
        // Eleven minutes of consensus time later the receipt is too old.
        let later = await f.net.node.consensusTime.milliseconds - f.net.genesisTime.milliseconds + 11 * 60_000
        try await f.net.seal(atOffsetMilliseconds: later)  // its precommit sets the next block's time
        try await f.net.seal()
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    @Test func grantExpiresByBlockTime() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let now = await f.net.node.consensusTime
        let until = now.adding(milliseconds: 60_000)
        #expect(try await f.net.commit(await f.net.transaction(f.patient, .grantAccess(GrantAccess(
            grant: GrantID.randomConsentGrantID(), patient: f.patient.id, grantee: f.reader.id, scope: .reports([f.report]),
            purpose: .treatment, validFrom: nil, validUntil: until)))).code == .ok)
        let base = now.milliseconds - f.net.genesisTime.milliseconds
        // A block's time is the median of the previous block's precommit times, so seal a
        // block whose precommit carries the time the read's block should have.
        try await f.net.seal(atOffsetMilliseconds: base + 30_000)
        #expect(try await read(f).code == .ok)
        try await f.net.seal(atOffsetMilliseconds: base + 60_000)
        #expect(try await read(f).code == .noActiveGrant)
    }
}
