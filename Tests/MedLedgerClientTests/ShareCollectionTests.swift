import Foundation
import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerVault
import Testing

@testable import MedLedgerClient

/// Issue 8.1, the reader's side: a read collects k key shares from k custodians, checks each
/// against its commitment, and names a custodian that sends a wrong share, refuses or is down.
@Suite struct ShareCollectionTests {
    static let report = ReportID(bytes: Array(1...16))!
    static let reader = ClientIdentity(label: "reader", keys: .deterministic(seed: "client-reader"))
    static let custodians = (1...4).map { IdentityKeys.deterministic(seed: "client-custodian-\($0)") }

    /// A version sealed 3-of-4 (custodian i holds x = i + 1) and its blob.
    static func sealed(reader: ClientIdentity = reader, custodians: [IdentityKeys] = custodians) throws
        -> SealedReport
    {
        try ReportCrypto.seal(
            plaintext: Array("Troponin I 0.02 ng/mL".utf8), title: "Troponin", effectiveDate: nil, note: nil,
            report: report, version: 1, recipients: [(reader.id, reader.keys.publicEncryptionKey)],
            custody: ReportCrypto.Custody(
                threshold: 3, custodians: custodians.map { ($0.identityID, $0.publicEncryptionKey) }))
    }

    enum Behaviour { case honest, lies, refuses, down }

    /// Reads with custodian 0 serving the content and custodians 1-3 behaving as given.
    static func read(
        _ behaviours: [Behaviour], reader: ClientIdentity = reader, custodians: [IdentityKeys] = custodians
    ) async throws -> (OpenedReport, CustodyOutcome?) {
        let sealed = try sealed(reader: reader, custodians: custodians)
        let gateways = custodians.indices.map {
            FakeCustodian(
                index: $0, keys: custodians[$0], sealed: sealed, behaviour: $0 == 0 ? .honest : behaviours[$0 - 1])
        }
        let client = LedgerClient(gateway: gateways[0], me: reader, otherCustodians: Array(gateways.dropFirst()))
        let content = try await gateways[0].versionContent(report: report, version: 1, caller: reader)
        let receipt = CommittedTransaction(
            hash: Hash256.of([1]), height: 5, position: 0, receipt: TransactionReceipt(code: .ok))
        let (key, outcome) = try await client.dataKey(for: content, report: report, version: 1, receipt: receipt)
        let opened = try ReportCrypto.open(
            blob: sealed.blob, content: sealed.content, dataKey: key, report: report, version: 1)
        return (opened, outcome)
    }

    @Test func threeHonestCustodiansOpenTheReport() async throws {
        let (opened, outcome) = try await Self.read([.honest, .honest, .down])
        #expect(opened.plaintext == Array("Troponin I 0.02 ng/mL".utf8))
        #expect(outcome?.sharesUsed.count == 3)
        #expect(outcome?.failures.map(\.node) == ["custodian 3"])
    }

    /// ADR 11: custodians of both suites, readers of either; each custodian re-seals its
    /// share in the reader's suite, and a lying one is still named.
    @Test(arguments: [EncryptionSuite.xwing, .x25519])
    func custodiansOfBothSuitesServeAReaderOfEither(readerSuite: EncryptionSuite) async throws {
        let reader = ClientIdentity(label: "reader", keys: .deterministic(seed: "client-reader", suite: readerSuite))
        let custodians = (1...4).map {
            IdentityKeys.deterministic(seed: "client-custodian-\($0)", suite: $0.isMultiple(of: 2) ? .xwing : .x25519)
        }
        let (opened, outcome) = try await Self.read([.honest, .lies, .honest], reader: reader, custodians: custodians)
        #expect(opened.plaintext == Array("Troponin I 0.02 ng/mL".utf8))
        #expect(outcome?.failures.map(\.node) == ["custodian 2"])
    }

    @Test func aLyingCustodianIsNamedAndOutvoted() async throws {
        let (opened, outcome) = try await Self.read([.lies, .honest, .honest])
        #expect(opened.plaintext == Array("Troponin I 0.02 ng/mL".utf8))
        let failure = try #require(outcome?.failures.first)
        #expect(outcome?.failures.count == 1)
        #expect(failure.node == "custodian 1" && failure.shareIndex == 2)
        #expect(failure.reason.contains("does not match its commitment"))
        #expect(outcome?.sharesUsed.contains(2) == false)
    }

    /// With a liar, a refusal and one down, only one good share besides the server's own:
    /// the read fails and the error names all three.
    @Test func tooFewGoodSharesFailNamingEveryCustodianThatDidNotHelp() async throws {
        await #expect {
            try await Self.read([.lies, .refuses, .down])
        } throws: { error in
            let text = "\(error)"
            return text.contains("only 1 of the 3 key shares needed") && text.contains("custodian 1 (share 2)")
                && text.contains("custodian 2") && text.contains("custodian 3")
        }
    }
}

/// A custodian node as a gateway: it opens its own share envelope and seals the share to the
/// reader (what `LedgerNode.releaseKey` does), lies, refuses or is down.
struct FakeCustodian: LedgerGateway {
    let index: Int
    let keys: IdentityKeys
    let sealed: SealedReport
    let behaviour: ShareCollectionTests.Behaviour

    var nodeDescription: String { "custodian \(index)" }
    var provesKeys: Bool { true }
    static func unused() -> NodeError { NodeError(.internalFailure, "not used by these tests") }

    func keyShare(report: ReportID, version: ReportVersion, caller: ClientIdentity) async throws -> ReleasedKey {
        let x = UInt8(index + 1)
        switch behaviour {
        case .down: throw NodeError(.unavailable, "connection refused")
        case .refuses: throw NodeError(.forbidden, field: "grant", "grant no longer active")
        case .honest, .lies:
            guard let own = sealed.content.envelope(for: keys.identityID) else { throw Self.unused() }
            var share = try ReportCrypto.unwrapShare(own, using: keys, x: x, threshold: 3, report: report, version: 1)
            if behaviour == .lies { share = Shamir.Share(x: x, y: share.y.map { $0 ^ 0x5a }) }
            let envelope = try ReportCrypto.wrapShare(
                share, threshold: 3, for: caller.id, key: caller.keys.publicEncryptionKey, report: report, version: 1)
            return .share(envelope, x: x, threshold: 3)
        }
    }

    func versionContent(report: ReportID, version: ReportVersion, caller: ClientIdentity) async throws
        -> ReadableVersion
    {
        let record = ReportVersionRecord(
            version: 1, status: .final, author: caller.id, submittedAt: ConsensusTime(milliseconds: 1),
            content: sealed.content, revision: nil, approvals: [])
        return ReadableVersion(
            record: record, key: try await keyShare(report: report, version: version, caller: caller),
            ciphertext: sealed.blob)
    }

    func chainID() async throws -> String { throw Self.unused() }
    func custody() async throws -> ReportCrypto.Custody { throw Self.unused() }
    func submit(_ tx: Transaction) async throws -> Hash256 { throw Self.unused() }
    func waitForCommit(_ hash: Hash256) async throws -> CommittedTransaction { throw Self.unused() }
    func identity(_ id: IdentityID) async throws -> IdentityRecord? { throw Self.unused() }
    func nextNonce(for id: IdentityID) async throws -> Nonce { throw Self.unused() }
    func putBlob(_ bytes: [UInt8], caller: ClientIdentity) async throws -> Hash256 { throw Self.unused() }
    func report(_ id: ReportID, caller: ClientIdentity) async throws -> ReportRecord { throw Self.unused() }
    func reports(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws -> Page<
        ReportRecord
    > { throw Self.unused() }
    func grants(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws -> Page<
        GrantRecord
    > { throw Self.unused() }
    func accessTrail(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws -> Page<
        IndexedEvent
    > { throw Self.unused() }
}
