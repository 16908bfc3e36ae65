import AsyncHTTPClient
import Foundation
import Logging
import MedLedgerAPI
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore
import MedLedgerFHIRGateway
import MedLedgerHTTPLimits
import MedLedgerNode
import MedLedgerTesting
import NIOCore

/// A node producing blocks and serving its API on a loopback port, a patient and a hospital
/// practitioner (author and approver) registered, and the gateway, with the practitioner's
/// key, serving FHIR on another loopback port.
struct GatewayFixture {
    let test: TestNode
    let nodeURL: URL
    let gatewayURL: String
    let author: ClientIdentity
    let patient: ClientIdentity
    let service: FHIRGatewayService
    let storeDirectory: URL
    let stop: @Sendable () -> Void

    static let mrnSystem = "urn:oid:1.2.36.146.595.217.0.1"
    static let mrn = "MRN-4711-SECRET"

    static func start(clientToken: String? = nil, limits: APIConnectionLimits = .standard) async throws
        -> GatewayFixture
    {
        let test = try TestNode.make(
            configuration: NodeConfiguration(batchDelayMilliseconds: 5, emptyBlockIntervalMilliseconds: 200))
        let producer = Task { await test.node.runProducer() }
        let logger = {
            var logger = Logger(label: "medledger.fhir-gateway-test")
            logger.logLevel = .critical
            return logger
        }()
        let nodePort = try await listening { ready in
            try await APIServer.run(node: test.node, host: "127.0.0.1", port: 0, logger: logger, onListening: ready)
        }
        let nodeURL = URL(string: "http://127.0.0.1:\(nodePort.port)")!
        let anchor = test.node.genesis
        func client(_ who: ClientIdentity) -> LedgerClient {
            LedgerClient(gateway: HTTPGateway(baseURL: nodeURL, me: who, trustAnchor: anchor), me: who)
        }
        let author = TestNode.person("fhir-author")
        let patient = TestNode.person("fhir-patient")
        _ = try await client(test.hospital).registerPractitioner(
            author.keys, organization: test.hospital.id, roles: [.author, .approver])
        try await client(patient).registerSelfAsPatient()
        let storeDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("medledger-fhir-store-\(UUID().uuidString)")
        let store = try GatewayStore(
            directory: storeDirectory, signingKey: Array(author.keys.signing.rawRepresentation))
        let service = FHIRGatewayService(client: client(author), store: store)
        let gatewayPort = try await listening { ready in
            try await GatewayServer.run(
                service: service, host: "127.0.0.1", port: 0, clientToken: clientToken, logger: logger,
                limits: limits, onListening: ready)
        }
        return GatewayFixture(
            test: test, nodeURL: nodeURL, gatewayURL: "http://127.0.0.1:\(gatewayPort.port)/fhir", author: author,
            patient: patient, service: service, storeDirectory: storeDirectory,
            stop: {
                gatewayPort.task.cancel()
                nodePort.task.cancel()
                producer.cancel()
                test.remove()
                try? FileManager.default.removeItem(at: storeDirectory)
            })
    }

    /// Runs a server in a task; returns the port it bound and the task.
    static func listening(
        _ serve: @escaping @Sendable (@escaping @Sendable (Int) async -> Void) async throws -> Void
    ) async throws -> (port: Int, task: Task<Void, any Error>) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            try await serve { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw FHIRProblem(500, .exception, "server did not start") }
        return (port, task)
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: FHIRValue
    }

    func request(
        _ method: String, _ path: String, _ body: FHIRValue? = nil, headers: [String: String] = [:]
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: gatewayURL + path)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/fhir+json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body.encoded())) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        let json = bytes.readableBytes == 0 ? FHIRValue.null : try FHIRValue.parse(bytes.readableBytesView)
        return Answer(status: Int(response.status.code), headers: fields, body: json)
    }

    /// Files the patient's MRN with the gateway (`POST Patient`).
    func registerMRN() async throws {
        let answer = try await request("POST", "/Patient", Self.patientResource(patient.id))
        guard answer.status == 200 else { throw FHIRProblem(answer.status, .exception, "POST Patient: \(answer.body)") }
    }

    static func patientResource(_ id: IdentityID) -> FHIRValue {
        json(
            """
            {"resourceType": "Patient", "identifier": [
              {"system": "\(mrnSystem)", "value": "\(mrn)"},
              {"system": "urn:medledger:identity", "value": "\(id.hex)"}]}
            """)
    }

    static func json(_ text: String) -> FHIRValue {
        // Fixtures are literals in the tests; a typo should fail loudly.
        try! FHIRValue.parse(Array(text.utf8))
    }

    /// Every byte the node stored (its data directory), for checks that no MRN reached it.
    func ledgerBytes() throws -> [Data] {
        var all: [Data] = []
        let walker = FileManager.default.enumerator(at: test.directory.url, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                all.append(try Data(contentsOf: url))
            }
        }
        return all
    }
}

extension FHIRValue {
    /// Without `id` and `meta` (the ledger assigns both).
    var withoutServerFields: FHIRValue {
        var copy = self
        copy["id"] = nil
        copy["meta"] = nil
        return copy
    }
}
