import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode
import Testing

/// ADR 11 end to end over HTTP: identities registered with X-Wing keys read a report, with
/// the custodian node on either suite, so the custodian re-seals its share across suites.
@Suite struct XWingReadTests {
    @Test(
        .timeLimit(.minutes(1)),
        arguments: [(EncryptionSuite.x25519, EncryptionSuite.xwing), (.xwing, .xwing), (.xwing, .x25519)])
    func anXWingIdentityReadsAReport(nodeSuite: EncryptionSuite, peopleSuite: EncryptionSuite) async throws {
        let fixture = try APIFixture.make(
            configuration: NodeConfiguration(batchDelayMilliseconds: 5, emptyBlockIntervalMilliseconds: 200),
            nodeSuite: nodeSuite, peopleSuite: peopleSuite)
        let producer = Task { await fixture.node.runProducer() }
        let (url, server) = try await EndToEndTests.startServer(fixture.node)
        defer {
            server.cancel()
            producer.cancel()
            fixture.cleanUp()
        }
        let client = { (identity: ClientIdentity) in EndToEndTests.client(identity, url, anchor: fixture.node.genesis) }
        _ = try await client(fixture.hospital).registerPractitioner(
            fixture.author.keys, organization: fixture.hospital.id, roles: [.author])
        _ = try await client(fixture.clinic).registerPractitioner(
            fixture.clinicReader.keys, organization: fixture.clinic.id, roles: [.reader])
        let patient = client(fixture.patient)
        try await patient.registerSelfAsPatient()

        // The ledger holds the key with its suite, proven against a certified header.
        let gateway = HTTPGateway(baseURL: url, me: fixture.author, trustAnchor: fixture.node.genesis)
        let record = try #require(try await gateway.identity(fixture.patient.id))
        #expect(record.encryptionKey.suite == peopleSuite)
        #expect(record.encryptionKey == fixture.patient.keys.publicEncryptionKey)

        let draft = ReportDraft(title: "Lipid panel", body: Array("LDL 2.1 mmol/L".utf8))
        let (report, _) = try await client(fixture.author).submitReport(
            patient: fixture.patient.id, category: Code("LAB")!, draft: draft)
        let version = try #require(await fixture.node.report(report)).latest
        #expect(version.content.envelopes.first { $0.recipient == fixture.patient.id }?.suite == peopleSuite)
        #expect(version.content.envelopes.first { $0.recipient == fixture.nodeKeys.identityID }?.suite == nodeSuite)

        // The patient opens her own whole-key envelope; the reader gets the custodian's share.
        let own = try await patient.read(report, version: 1, purpose: .treatment)
        #expect(own.report.map { String(decoding: $0.plaintext, as: UTF8.self) } == "LDL 2.1 mmol/L")
        _ = try await patient.grant(
            patient: fixture.patient.id, to: fixture.clinicReader.id, scope: .allReports, purpose: .treatment)
        let read = try await client(fixture.clinicReader).read(report, version: 1, purpose: .treatment)
        #expect(read.report.map { String(decoding: $0.plaintext, as: UTF8.self) } == "LDL 2.1 mmol/L")
    }
}
