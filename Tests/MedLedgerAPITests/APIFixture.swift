import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MedLedgerAPI
import MedLedgerContracts
import MedLedgerCore
import MedLedgerTesting
import MedLedgerStorage
import MedLedgerClient
import MedLedgerAPIModel
import MedLedgerNode
import MedLedgerVault
import Prometheus

/// A node in a temporary directory with a small cast, driven block by block with
/// `produceBlock(wallClock:)` so every test is deterministic. The router's clock is fixed.
struct APIFixture {
    static let genesisTime = ConsensusTime(milliseconds: 1_800_000_000_000)

    let directory: DataDirectory
    let node: LedgerNode
    let nodeKeys: IdentityKeys
    let hospital: ClientIdentity
    let clinic: ClientIdentity
    let author: ClientIdentity
    let clinicReader: ClientIdentity
    let patient: ClientIdentity
    let stranger: ClientIdentity

    var chainID: String { "medledger-api-test" }
    /// The clock the router checks request timestamps against.
    /// The API's wall clock in these tests: stopped at the genesis time.
    var now: WallClockTime { WallClockTime(milliseconds: Self.genesisTime.milliseconds) }

    /// A fresh node; nothing registered beyond the genesis organizations.
    /// - Parameter metrics: the node's metrics (off unless a test reads them).
    /// - Parameters `nodeSuite`, `peopleSuite`: the encryption suites of the node (the one
    ///   custodian) and of the patient and clinic reader (ADR 11); the rest stay X25519.
    static func make(
        configuration: NodeConfiguration = .init(), metrics: NodeMetrics = .disabled,
        nodeSuite: EncryptionSuite = .x25519, peopleSuite: EncryptionSuite = .x25519
    ) throws -> APIFixture {
        func person(_ label: String, _ suite: EncryptionSuite = .x25519) -> ClientIdentity {
            ClientIdentity(label: label, keys: .generate(suite: suite))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-api-\(UUID().uuidString)")
        let directory = DataDirectory(url)
        let nodeKeys = IdentityKeys.generate(suite: nodeSuite)
        let hospital = person("hospital")
        let clinic = person("clinic")
        let genesis = SingleValidatorGenesis.make(
            chainID: "medledger-api-test", time: genesisTime, nodeKeys: nodeKeys,
            organizations: [("Hospital", hospital.keys), ("Clinic", clinic.keys)])
        try directory.initialize(genesis: genesis, nodeKeys: KeyFile(label: "node0", keys: nodeKeys))
        var logger = Logger(label: "medledger.api-test")
        logger.logLevel = .error
        let node = try LedgerNode(
            dataDirectory: directory, configuration: configuration, logger: logger, metrics: metrics)
        return APIFixture(
            directory: directory, node: node, nodeKeys: nodeKeys, hospital: hospital, clinic: clinic,
            author: person("author"), clinicReader: person("clinic reader", peopleSuite),
            patient: person("patient", peopleSuite),
            stranger: person("stranger"))
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory.url) }

    /// The application under test, on the fixed clock.
    /// - Parameter metrics: the registry `/metrics` renders (a fresh one by default).
    func app(metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) -> some ApplicationProtocol {
        Application(
            router: buildRouter(
                node: node, metrics: metrics, clock: { WallClockTime(milliseconds: Self.genesisTime.milliseconds) }))
    }

    /// A signed transaction with the signer's next nonce.
    func transaction(_ payload: TransactionPayload, by signer: ClientIdentity) async -> Transaction {
        Transaction(
            chainID: chainID, signer: signer.id, keys: signer.keys,
            nonce: await node.nextNonce(for: signer.id), payload: payload)
    }

    /// Seals the next block at genesis time + `height` seconds.
    @discardableResult
    func produceBlock() async throws -> Height {
        let next = await node.height + 1
        try await node.produceBlock(wallClock: Self.genesisTime.adding(milliseconds: next.rawValue * 1_000))
        return next
    }

    /// Submits directly to the node, seals a block, and returns the receipt.
    @discardableResult
    func commit(_ payload: TransactionPayload, by signer: ClientIdentity) async throws -> TransactionReceipt {
        let tx = await transaction(payload, by: signer)
        try await node.submit(tx)
        try await produceBlock()
        guard case .committed(let stored) = try await node.transactionStatus(tx.hash) else {
            throw FixtureError("transaction \(tx.hash) not committed")
        }
        return stored.receipt
    }

    /// Registers the cast: author (author + approver at the hospital), a reader at the
    /// clinic, the patient and a stranger (both self-registered patients).
    func registerCast() async throws {
        let payloads: [(TransactionPayload, ClientIdentity)] = [
            (
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: hospital.id, signingKey: author.keys.publicSigningKey,
                        encryptionKey: author.keys.publicEncryptionKey,
                        roles: [.author, .approver])), hospital
            ),
            (
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: clinic.id, signingKey: clinicReader.keys.publicSigningKey,
                        encryptionKey: clinicReader.keys.publicEncryptionKey,
                        roles: [.reader])), clinic
            ),
            (.registerPatient(RegisterPatient(keys: patient.keys)), patient),
            (.registerPatient(RegisterPatient(keys: stranger.keys)), stranger),
        ]
        for (payload, signer) in payloads { try await node.submit(await transaction(payload, by: signer)) }
        try await produceBlock()
        for (_, signer) in payloads where signer.id != hospital.id && signer.id != clinic.id {
            guard await node.identity(signer.id) != nil else { throw FixtureError("\(signer.label) not registered") }
        }
    }

    /// The author seals, uploads and submits a final report for the patient.
    func submitReport(body: String = "Hemoglobin 13.9 g/dL") async throws -> (ReportID, SealedReport) {
        let id = ReportID.random()
        let sealed = try ReportCrypto.seal(
            plaintext: Array(body.utf8), title: "CBC", effectiveDate: "2027-01-15", note: nil, report: id, version: 1,
            recipients: [
                (patient.id, patient.keys.publicEncryptionKey), (author.id, author.keys.publicEncryptionKey),
            ], custody: node.custody)
        _ = try await node.putBlob(sealed.blob, uploader: author.id)
        let receipt = try await commit(
            .submitReport(
                SubmitReport(
                    report: id, patient: patient.id, category: Code("LAB")!,
                    content: sealed.content, recipients: [])), by: author)
        guard receipt.code == .ok else { throw FixtureError("submit failed: \(receipt.sentence)") }
        return (id, sealed)
    }

    /// Headers signing a request as `identity` at the router's fixed clock (or `at`).
    func signed(
        _ method: String, _ path: String, body: [UInt8] = [], as identity: ClientIdentity,
        at time: WallClockTime? = nil
    ) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in RequestAuthentication.headers(
            for: method, pathAndQuery: path, body: body, chainID: chainID,
            identity: identity, now: time ?? now)
        {
            fields[HTTPField.Name(name)!] = value
        }
        return fields
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// JSON helpers for responses.
extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(Array(buffer: body)))) as? [String: Any] ?? [:]
    }
    var bytes: [UInt8] { Array(buffer: body) }
    var contentType: String? { headers[.contentType] }
}

func jsonBody(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

func submitBody(_ tx: Transaction) -> ByteBuffer {
    jsonBody(["transaction": Data(tx.encoded).base64EncodedString()])
}
