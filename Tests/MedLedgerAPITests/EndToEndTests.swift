import Foundation
import Logging
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerTesting
import Testing
import MedLedgerAPI
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

/// The whole story over real HTTP: `APIServer` on a loopback port, `LedgerClient`s over
/// `HTTPGateway`, the node's producer running.
@Suite struct EndToEndTests {
    /// Starts the server on a free port; returns its base URL and the serving task.
    static func startServer(_ node: LedgerNode) async throws -> (URL, Task<Void, any Error>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "medledger.api-e2e")
        logger.logLevel = .critical  // cancelling the server task (not SIGTERM) logs channel errors
        let server = Task {
            try await APIServer.run(node: node, host: "127.0.0.1", port: 0, logger: logger) { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw FixtureError("server did not start") }
        return (URL(string: "http://127.0.0.1:\(port)")!, server)
    }

    /// A fixture whose node produces blocks and serves HTTP; call the closure to stop both.
    static func servingFixture() async throws -> (APIFixture, URL, () -> Void) {
        let fixture = try APIFixture.make(
            configuration: NodeConfiguration(
                batchDelayMilliseconds: 5,
                emptyBlockIntervalMilliseconds: 200))
        let producer = Task { await fixture.node.runProducer() }
        let (url, server) = try await startServer(fixture.node)
        return (
            fixture, url,
            {
                server.cancel()
                producer.cancel()
                fixture.cleanUp()
            }
        )
    }

    static func client(_ identity: ClientIdentity, _ url: URL, anchor: Genesis) -> LedgerClient {
        LedgerClient(gateway: HTTPGateway(baseURL: url, me: identity, trustAnchor: anchor), me: identity)
    }

    @Test(.timeLimit(.minutes(1)))
    func registerReportGrantReadRevokeAndDeniedReadOverHTTP() async throws {
        let (fixture, url, stop) = try await Self.servingFixture()
        defer { stop() }

        let approver = ClientIdentity(label: "approver", keys: .generate())
        let hospital = Self.client(fixture.hospital, url, anchor: fixture.node.genesis)
        let clinic = Self.client(fixture.clinic, url, anchor: fixture.node.genesis)
        _ = try await hospital.registerPractitioner(
            fixture.author.keys, organization: fixture.hospital.id, roles: [.author])
        _ = try await hospital.registerPractitioner(
            approver.keys, organization: fixture.hospital.id, roles: [.approver])
        _ = try await clinic.registerPractitioner(
            fixture.clinicReader.keys, organization: fixture.clinic.id, roles: [.reader])
        let patient = Self.client(fixture.patient, url, anchor: fixture.node.genesis)
        try await patient.registerSelfAsPatient()

        let author = Self.client(fixture.author, url, anchor: fixture.node.genesis)
        let draft = ReportDraft(title: "Lipid panel", effectiveDate: "2027-02-01", body: Array("LDL 2.1 mmol/L".utf8))
        let (report, submitted) = try await author.submitReport(
            patient: fixture.patient.id, category: Code("LAB")!,
            draft: draft)
        #expect(submitted.receipt.code == .ok)
        // The signer gets the full receipt: its events, and a sentence rendered from them.
        #expect(
            submitted.receipt.events == [
                .report(
                    report: report, version: 1, patient: fixture.patient.id,
                    action: .submitted, status: .preliminary, organization: fixture.hospital.id)
            ])
        #expect(submitted.receipt.sentence.contains("preliminary"))
        try await Self.client(approver, url, anchor: fixture.node.genesis).approve(report, version: 1)
        #expect(try await patient.gateway.report(report, caller: fixture.patient).latest.status == .final)

        let grant = try await patient.grant(
            patient: fixture.patient.id, to: fixture.clinicReader.id,
            scope: .allReports, purpose: .treatment)
        let reader = Self.client(fixture.clinicReader, url, anchor: fixture.node.genesis)
        let read = try await reader.read(report, purpose: .treatment)
        #expect(read.receipt.receipt.code == .ok)
        #expect(read.report.map { String(decoding: $0.plaintext, as: UTF8.self) } == "LDL 2.1 mmol/L")
        #expect(read.report?.metadata.title == "Lipid panel")

        try await patient.revoke(grant)
        let denied = try await reader.read(report, version: 1, purpose: .treatment)
        #expect(denied.report == nil)
        #expect(denied.receipt.receipt.code == .noActiveGrant)

        let trail = try await patient.gateway.accessTrail(
            ofPatient: fixture.patient.id, caller: fixture.patient,
            page: PageRequest())
        #expect(trail.items.count == 2 && trail.nextCursor == nil)
        #expect(
            trail.items.map {
                if case .access(_, _, _, _, _, let basis, _) = $0.event { basis.isGranted } else { false }
            }
                == [false, true], "newest first")
        let oneByOne = try await patient.gateway.accessTrail(
            ofPatient: fixture.patient.id, caller: fixture.patient,
            page: PageRequest(limit: 1))
        #expect(oneByOne.items == [trail.items[0]])
        let rest = try await patient.gateway.accessTrail(
            ofPatient: fixture.patient.id, caller: fixture.patient,
            page: PageRequest(cursor: oneByOne.nextCursor, limit: 1))
        #expect(rest.items == [trail.items[1]])
        let grants = try await patient.gateway.grants(
            ofPatient: fixture.patient.id, caller: fixture.patient, page: PageRequest())
        #expect(grants.items.first { $0.id == grant }?.revokedAt != nil)
        let reports = try await patient.gateway.reports(
            ofPatient: fixture.patient.id, caller: fixture.patient, page: PageRequest())
        #expect(reports.items.map(\.id) == [report])
        await #expect(throws: NodeError.self) {
            _ = try await reader.gateway.reports(
                ofPatient: fixture.patient.id, caller: fixture.clinicReader, page: PageRequest())
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func gatewayMapsProblemsToNodeErrors() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let (url, server) = try await Self.startServer(fixture.node)
        defer { server.cancel() }
        let gateway = HTTPGateway(baseURL: url)
        #expect(try await gateway.chainID() == "medledger-api-test")
        // Without the genesis a client has no custodian keys it could trust to seal to.
        await #expect(throws: ClientError.self) { try await gateway.custody() }
        #expect(try await gateway.identity(fixture.patient.id) == nil)
        #expect(try await gateway.identity(fixture.hospital.id)?.kind == .organization)
        #expect(try await gateway.nextNonce(for: fixture.patient.id) == 1)
        let stranger = await fixture.transaction(
            .setGuardian(SetGuardian(guardian: fixture.author.id, isGuardian: true)),
            by: fixture.stranger)
        do {
            _ = try await gateway.submit(stranger)
            Issue.record("an unknown signer's transaction was accepted")
        } catch let error as NodeError {
            #expect(error.kind == .forbidden)
            #expect(error.code == .unknownSigner)
            #expect(error.field == "tx.signer")
        }
        do {
            _ = try await gateway.putBlob([1, 2, 3], caller: fixture.stranger)
            Issue.record("an unregistered caller uploaded a blob")
        } catch let error as NodeError {
            #expect(error.kind == .unauthenticated)
        }
    }

    /// Issue 6.8: a client encrypts only to keys proven against the consortium's genesis.
    @Test(.timeLimit(.minutes(1)))
    func clientRefusesKeysItCannotProve() async throws {
        let (fixture, url, stop) = try await Self.servingFixture()
        defer { stop() }
        let hospital = Self.client(fixture.hospital, url, anchor: fixture.node.genesis)
        _ = try await hospital.registerPractitioner(
            fixture.author.keys, organization: fixture.hospital.id, roles: [.author])
        try await Self.client(fixture.patient, url, anchor: fixture.node.genesis).registerSelfAsPatient()
        let draft = ReportDraft(title: "t", effectiveDate: nil, body: Array("x".utf8))

        // The proven record is the patient's, checked through the certificate and the state root.
        let proven = try await HTTPGateway(baseURL: url, trustAnchor: fixture.node.genesis).identity(fixture.patient.id)
        #expect(proven?.encryptionKey == fixture.patient.keys.publicEncryptionKey)

        // Without a genesis the client will not encrypt at all.
        let unanchored = LedgerClient(gateway: HTTPGateway(baseURL: url, me: fixture.author), me: fixture.author)
        await #expect(throws: ClientError.self) {
            _ = try await unanchored.submitReport(patient: fixture.patient.id, category: Code("LAB")!, draft: draft)
        }
        // A genesis with other validators: the node's certificates do not verify against it.
        let other = SingleValidatorGenesis.make(
            chainID: fixture.node.genesis.chainID, time: APIFixture.genesisTime,
            nodeKeys: IdentityKeys.generate(), organizations: [])
        let misled = Self.client(fixture.author, url, anchor: other)
        await #expect(throws: ClientError.self) {
            _ = try await misled.submitReport(patient: fixture.patient.id, category: Code("LAB")!, draft: draft)
        }
    }
}
