import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import MedLedgerCore
import MedLedgerContracts
import MedLedgerAPIModel

/// A gateway to a node's REST API (see `/openapi.json`), used by the CLI.
///
/// Calls that read protected data are signed with `RequestAuthentication` as the caller.
/// Records (reports, grants, events, key envelopes) are rebuilt from the API's `canonical`
/// fields, so the client holds exactly the bytes the ledger holds. Problem documents become
/// `NodeError`s with the same kind, field, message and result code.
///
/// Receipts: `waitForCommit` polls the public `GET /v1/transactions/{hash}` until the
/// transaction is committed, then, when the gateway has an identity (`me`), fetches the same
/// route once more signed as that identity. If the identity signed the transaction the
/// answer carries the exact receipt (facts and events); otherwise, or without an
/// identity, the receipt has the committed code only, with no facts and no events.
/// Give each `LedgerClient` a gateway made with its own identity.
public struct HTTPGateway: LedgerGateway {
    /// The server root, e.g. `http://127.0.0.1:8080` (no path prefix: the path is signed).
    public let baseURL: URL
    /// Who this gateway fetches full receipts as (see the type's documentation).
    public let me: ClientIdentity?
    /// The consortium's genesis, when the caller has it: custodian keys then come from it,
    /// and identities are checked against certified headers (see `HTTPGateway+Proofs`).
    public let trustAnchor: Genesis?
    /// How long `waitForCommit` waits before it gives up with `NodeError.unavailable`.
    public var commitTimeoutMilliseconds: UInt64 = 15_000
    /// async-http-client; `HTTPClient.shared` unless the caller brings its own.
    let httpClient: HTTPClient
    private let chainIDCache = ChainIDCache()
    let nonceHints = NonceHints()

    /// A gateway to the node at `baseURL`; `me` is who full receipts are fetched as.
    public init(baseURL: URL, me: ClientIdentity? = nil, trustAnchor: Genesis? = nil, httpClient: HTTPClient = .shared)
    {
        self.baseURL = baseURL
        self.me = me
        self.trustAnchor = trustAnchor
        self.httpClient = httpClient
    }

    public func chainID() async throws -> String {
        if let trustAnchor { return trustAnchor.chainID }
        if let cached = await chainIDCache.value { return cached }
        let status = try await get(StatusView.self, "/v1/status")
        await chainIDCache.set(status.chainId)
        return status.chainId
    }

    public var provesKeys: Bool { trustAnchor != nil }

    public func custodians() async throws -> [Validator] {
        if let trustAnchor { return trustAnchor.validatorSet.validators }
        return try await get(StatusView.self, "/v1/status").validators.map { entry in
            guard let signing = PublicSigningKey(hex: entry.signingKey),
                let encryption = PublicEncryptionKey(hex: entry.encryptionKey)
            else {
                throw Self.malformed("validators")
            }
            return Validator(name: entry.name, signingKey: signing, encryptionKey: encryption, power: entry.power)
        }
    }

    public func submit(_ tx: Transaction) async throws -> Hash256 {
        let answer = try await call(
            "POST", "/v1/transactions", body: try Self.submissionBody(tx), contentType: "application/json")
        let submitted = try Self.decode(TransactionView.self, answer)
        guard let hash = Hash256(hex: submitted.hash) else { throw Self.malformed("hash") }
        return hash
    }

    public func submitAndWait(_ tx: Transaction) async throws -> CommittedTransaction {
        let answer = try await call(
            "POST", "/v1/transactions?wait=commit", body: try Self.submissionBody(tx),
            contentType: "application/json", as: me)
        let state = try Self.decode(TransactionView.self, answer)
        guard state.status == "committed" else { return try await waitForCommit(tx.hash) }
        return try committed(tx.hash, state)
    }

    public func waitForCommit(_ hash: Hash256) async throws -> CommittedTransaction {
        // Each request is held by the node until the commit (or its own wait ends).
        let deadline = SystemClock.now().milliseconds + commitTimeoutMilliseconds
        while true {
            let state = try await get(TransactionView.self, "/v1/transactions/\(hash.hex)?wait=commit", as: me)
            if state.status == "committed" { return try committed(hash, state) }
            guard SystemClock.now().milliseconds < deadline else {
                throw NodeError(.unavailable, field: "hash", "transaction \(hash) was not committed in time")
            }
        }
    }

    /// The JSON body of `POST /v1/transactions`.
    static func submissionBody(_ tx: Transaction) throws -> [UInt8] {
        Array(try JSONEncoder().encode(SubmitTransactionBody(transaction: tx.encoded.base64)))
    }

    /// The committed transaction, with the full receipt when the answer has it.
    private func committed(_ hash: Hash256, _ state: TransactionView) throws -> CommittedTransaction {
        guard let height = state.height, let position = state.position, let code = state.code else {
            throw Self.malformed("height")
        }
        let receipt: TransactionReceipt
        if let encoded = state.receipt {
            receipt = try Self.canonical(TransactionReceipt.self, encoded, field: "receipt")
        } else {
            receipt = TransactionReceipt(code: ResultCode(rawValue: code))
        }
        return CommittedTransaction(hash: hash, height: Height(height), position: position, receipt: receipt)
    }

    public func identity(_ id: IdentityID) async throws -> IdentityRecord? {
        if let trustAnchor { return try await provenIdentity(id, anchor: trustAnchor) }
        do {
            return try Self.record(from: try await get(IdentityView.self, "/v1/identities/\(id.hex)"))
        } catch let error as NodeError where error.kind == .notFound {
            return nil
        }
    }

    public func nextNonce(for id: IdentityID) async throws -> Nonce {
        if let hint = await nonceHints.take(id) { return hint }
        return Nonce(try await get(NonceView.self, "/v1/identities/\(id.hex)/nonce").nextNonce)
    }

    public func putBlob(_ bytes: [UInt8], caller: ClientIdentity) async throws -> Hash256 {
        let answer = try await call(
            "PUT", "/v1/blobs", body: bytes, contentType: "application/octet-stream", as: caller)
        guard let address = Hash256(hex: try Self.decode(AddressView.self, answer).address) else {
            throw Self.malformed("address")
        }
        return address
    }

    public func versionContent(
        report: ReportID, version: ReportVersion,
        caller: ClientIdentity
    ) async throws -> ReadableVersion {
        let answer = try await get(
            VersionContentView.self, "/v1/reports/\(report.hex)/versions/\(version)/content",
            as: caller)
        let record: ReportVersionRecord
        if let trustAnchor {
            let header = try certifiedHeader(answer.version.header, answer.version.certificate, anchor: trustAnchor)
            record = try provenValue(
                key: .reportVersion(report, version), answer.version.record, answer.version.proof,
                header: header)
        } else {
            record = try Self.canonical(ReportVersionRecord.self, answer.version.record, field: "version.record")
        }
        guard let ciphertext = Data(base64Encoded: answer.ciphertext).map(Array.init) else {
            throw Self.malformed("ciphertext")
        }
        return ReadableVersion(
            record: record,
            envelope: try Self.canonical(KeyEnvelope.self, answer.envelope, field: "envelope"),
            ciphertext: ciphertext)
    }

    public func report(_ id: ReportID, caller: ClientIdentity) async throws -> ReportRecord {
        if let trustAnchor { return try await provenReport(id, caller: caller, anchor: trustAnchor) }
        let answer = try await get(ReportView.self, "/v1/reports/\(id.hex)", as: caller)
        return try Self.canonical(ReportRecord.self, answer.canonical, field: "canonical")
    }

    public func reports(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<ReportRecord> {
        let answer = try await get(ReportsView.self, "/v1/patients/\(patient.hex)/reports\(page.query)", as: caller)
        return Page(
            items: try answer.reports.map {
                try Self.canonical(ReportRecord.self, $0.canonical, field: "reports.canonical")
            }, nextCursor: answer.nextCursor)
    }

    public func grants(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<GrantRecord> {
        let answer = try await get(GrantsView.self, "/v1/patients/\(patient.hex)/grants\(page.query)", as: caller)
        return Page(
            items: try answer.grants.map {
                try Self.canonical(GrantRecord.self, $0.canonical, field: "grants.canonical")
            }, nextCursor: answer.nextCursor)
    }

    public func accessTrail(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<IndexedEvent> {
        let answer = try await get(AuditView.self, "/v1/patients/\(patient.hex)/audit\(page.query)", as: caller)
        return Page(
            items: try answer.entries.map { entry in
                IndexedEvent(
                    height: Height(entry.height), position: entry.position, eventIndex: entry.eventIndex,
                    time: ConsensusTime(milliseconds: entry.timeMs),
                    transactionHash: entry.transaction.flatMap(Hash256.init(hex:)),
                    event: try Self.canonical(LedgerEvent.self, entry.canonical, field: "entries.canonical"))
            }, nextCursor: answer.nextCursor)
    }
}

extension HTTPGateway {
    /// GET and decode JSON, signed when `caller` is given.
    func get<T: Decodable>(_ type: T.Type, _ pathAndQuery: String, as caller: ClientIdentity? = nil) async throws -> T {
        try Self.decode(type, try await call("GET", pathAndQuery, as: caller))
    }

    /// Sends one request; answers the body of a 2xx response and throws the problem of any other.
    func call(
        _ method: String, _ pathAndQuery: String, body: [UInt8] = [], contentType: String? = nil,
        as caller: ClientIdentity? = nil
    ) async throws -> [UInt8] {
        let root =
            baseURL.absoluteString.hasSuffix("/") ? String(baseURL.absoluteString.dropLast()) : baseURL.absoluteString
        guard let url = URL(string: root + pathAndQuery) else {
            throw NodeError(.invalid, field: "url", "bad URL \(root + pathAndQuery)")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        if !body.isEmpty || method != "GET" { request.body = .bytes(ByteBuffer(bytes: body)) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let caller {
            let headers = RequestAuthentication.headers(
                for: method, pathAndQuery: pathAndQuery, body: body,
                chainID: try await chainID(), identity: caller, now: SystemClock.now())
            for (name, value) in headers { request.headers.add(name: name, value: value) }
        }
        let status: Int
        let answer: ByteBuffer
        let nonceHeader: String?
        do {
            let response = try await httpClient.execute(
                request, timeout: .seconds(Limits.httpClientRequestTimeoutSeconds))
            status = Int(response.status.code)
            nonceHeader = response.headers.first(name: RequestAuthentication.nextNonceHeader)
            answer = try await response.body.collect(upTo: Limits.httpClientAnswerMaxBytes)
        } catch {
            throw NodeError(.unavailable, field: "url", "cannot reach the node at \(root): \(error)")
        }
        if let caller, let nonce = nonceHeader.flatMap(UInt64.init).map(Nonce.init(rawValue:)) {
            await nonceHints.set(caller.id, nonce)
        }
        let data = Data(buffer: answer)
        guard (200..<300).contains(status) else { throw Self.problem(status: status, body: data) }
        return Array(data)
    }

    /// The problem document of a failed response as a `NodeError`.
    static func problem(status: Int, body: Data) -> NodeError {
        let problem = try? JSONDecoder().decode(APIProblem.self, from: body)
        return NodeError(
            kind(forStatus: status), field: problem?.field,
            problem?.detail ?? "the node answered HTTP \(status)",
            code: problem?.code.map(ResultCode.init(rawValue:)))
    }

    static func kind(forStatus status: Int) -> NodeError.Kind {
        switch status {
        case 400, 413, 422: .invalid
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 503, 429: .unavailable
        default: .internalFailure
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(body)) } catch {
            throw NodeError(.internalFailure, field: "body", "unexpected answer from the node: \(error)")
        }
    }

    static func canonical<T: CanonicalDecodable>(_ type: T.Type, _ base64: String, field: String) throws -> T {
        guard let raw = Data(base64Encoded: base64) else { throw malformed(field) }
        do { return try T.decode(canonical: Array(raw)) } catch {
            throw NodeError(.internalFailure, field: field, "node sent a record that does not decode: \(error)")
        }
    }

    static func record(from wire: IdentityView) throws -> IdentityRecord {
        guard let id = IdentityID(hex: wire.id), let kind = IdentityKind(name: wire.kind),
            let status = IdentityStatus(name: wire.status),
            let signing = PublicSigningKey(hex: wire.signingKey),
            let encryption = PublicEncryptionKey(hex: wire.encryptionKey)
        else { throw malformed("identity") }
        let organization = try wire.organization.map { text in
            guard let org = IdentityID(hex: text) else { throw malformed("organization") }
            return org
        }
        let roles = try wire.roles.map { name in
            guard let role = Role(name: name) else { throw malformed("roles") }
            return role
        }
        return IdentityRecord(
            id: id, kind: kind, signingKey: signing, encryptionKey: encryption,
            organization: organization, roles: roles, status: status, lastNonce: Nonce(wire.lastNonce),
            guardians: [], registeredAt: Height(wire.registeredAt))
    }

    static func malformed(_ field: String) -> NodeError {
        NodeError(.internalFailure, field: field, "the node's answer has a malformed \(field)")
    }
}

/// The next nonce of each identity this gateway signed for, as the node's latest answer gave
/// it; used once, since the transaction it goes into spends it.
actor NonceHints {
    private var next: [IdentityID: Nonce] = [:]
    func set(_ id: IdentityID, _ nonce: Nonce) { next[id] = nonce }
    func take(_ id: IdentityID) -> Nonce? { next.removeValue(forKey: id) }
}

/// The chain id, fetched once per gateway.
private actor ChainIDCache {
    var value: String?
    func set(_ id: String) { value = id }
}
