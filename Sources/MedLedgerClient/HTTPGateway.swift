import AsyncHTTPClient
import Foundation
import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerVault
import OpenAPIRuntime

/// A gateway to a node's REST API, used by the CLI: the client generated from `openapi.json`
/// (`HTTPGateway+Transport`) over async-http-client.
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
        let status = try await status()
        await chainIDCache.set(status.chainId)
        return status.chainId
    }

    private func status() async throws -> Components.Schemas.Status {
        try await call { try await api().getStatus().ok.body.json }
    }

    public var provesKeys: Bool { trustAnchor != nil }

    /// From the genesis only: sealing a report to keys a node merely claims would let a
    /// lying node hold every share. Without the genesis the client cannot seal.
    public func custody() async throws -> ReportCrypto.Custody {
        guard let trustAnchor else {
            throw ClientError.integrity(
                "encrypting needs keys proven against the consortium's genesis; give the client the genesis file")
        }
        return ReportCrypto.Custody(genesis: trustAnchor)
    }

    public var nodeDescription: String { baseURL.absoluteString }

    public func submit(_ tx: Transaction) async throws -> Hash256 {
        let answer = try await call {
            try await api().submitTransaction(body: .json(Self.submission(tx)))
        }
        let submitted: Components.Schemas.Transaction
        switch answer {
        case .ok(let ok): submitted = try ok.body.json
        case .accepted(let accepted): submitted = try accepted.body.json
        default: throw Self.malformed("status")
        }
        guard let hash = Hash256(hex: submitted.hash) else { throw Self.malformed("hash") }
        return hash
    }

    public func submitAndWait(_ tx: Transaction) async throws -> CommittedTransaction {
        let answer = try await call {
            try await api(as: me).submitTransaction(query: .init(wait: "commit"), body: .json(Self.submission(tx)))
        }
        switch answer {
        case .ok(let ok): return try committed(tx.hash, try ok.body.json)
        case .accepted: return try await waitForCommit(tx.hash)
        default: throw Self.malformed("status")
        }
    }

    public func waitForCommit(_ hash: Hash256) async throws -> CommittedTransaction {
        // Each request is held by the node until the commit (or its own wait ends).
        let deadline = SystemClock.now().milliseconds + commitTimeoutMilliseconds
        while true {
            let state = try await call {
                try await api(as: me).getTransaction(path: .init(hash: hash.hex), query: .init(wait: "commit")).ok.body
                    .json
            }
            if state.status == .committed { return try committed(hash, state) }
            guard SystemClock.now().milliseconds < deadline else {
                throw NodeError(.unavailable, field: "hash", "transaction \(hash) was not committed in time")
            }
        }
    }

    /// The JSON body of `POST /v1/transactions`.
    static func submission(_ tx: Transaction) -> Components.Schemas.SubmitTransaction {
        .init(transaction: tx.encoded.base64)
    }

    /// The committed transaction, with the full receipt when the answer has it.
    private func committed(_ hash: Hash256, _ state: Components.Schemas.Transaction) throws -> CommittedTransaction {
        guard let height = state.height.flatMap(UInt64.init(json:)), let position = state.position,
            let code = state.code.flatMap(UInt16.init(exactly:))
        else {
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
            return try Self.record(
                from: try await call { try await api().getIdentity(path: .init(id: id.hex)).ok.body.json })
        } catch let error as NodeError where error.kind == .notFound {
            return nil
        }
    }

    public func nextNonce(for id: IdentityID) async throws -> Nonce {
        if let hint = await nonceHints.take(id) { return hint }
        let answer = try await call { try await api().getNextNonce(path: .init(id: id.hex)).ok.body.json }
        guard let next = UInt64(json: answer.nextNonce) else { throw Self.malformed("nextNonce") }
        return Nonce(next)
    }

    public func putBlob(_ bytes: [UInt8], caller: ClientIdentity) async throws -> Hash256 {
        let answer = try await call {
            try await api(as: caller).putBlob(body: .binary(HTTPBody(bytes))).created.body.json
        }
        guard let address = Hash256(hex: answer.address) else { throw Self.malformed("address") }
        return address
    }

    public func versionContent(
        report: ReportID, version: ReportVersion,
        caller: ClientIdentity
    ) async throws -> ReadableVersion {
        let answer = try await call {
            try await api(as: caller).getVersionContent(
                path: .init(id: report.hex, version: String(version.rawValue))
            ).ok.body.json
        }
        let record: ReportVersionRecord
        if let trustAnchor {
            let header = try certifiedHeader(answer.version.header, answer.version.certificate, anchor: trustAnchor)
            record = try provenValue(
                key: .reportVersion(report, version), answer.version.record, answer.version.proof,
                header: header)
        } else {
            record = try Self.canonical(ReportVersionRecord.self, answer.version.record, field: "version.record")
        }
        let envelope = try Self.canonical(KeyEnvelope.self, answer.envelope, field: "envelope")
        return ReadableVersion(
            record: record, key: try Self.releasedKey(envelope, x: answer.shareIndex, threshold: answer.threshold),
            ciphertext: Array(answer.ciphertext.data))
    }

    public func keyShare(report: ReportID, version: ReportVersion, caller: ClientIdentity) async throws -> ReleasedKey {
        let answer = try await call {
            try await api(as: caller).releaseKey(
                path: .init(id: report.hex, version: String(version.rawValue))
            ).ok.body.json
        }
        let envelope = try Self.canonical(KeyEnvelope.self, answer.canonical, field: "canonical")
        return try Self.releasedKey(envelope, x: answer.shareIndex, threshold: answer.threshold)
    }

    /// A whole envelope, or a key share when the answer gives its x and threshold.
    static func releasedKey(_ envelope: KeyEnvelope, x: Int?, threshold: Int?) throws -> ReleasedKey {
        switch (x, threshold) {
        case (nil, nil): return .whole(envelope)
        case (let x?, let threshold?):
            guard let x = UInt8(exactly: x), x > 0, let threshold = UInt8(exactly: threshold), threshold > 0 else {
                throw malformed("shareIndex")
            }
            return .share(envelope, x: x, threshold: threshold)
        default: throw malformed("threshold")
        }
    }

    public func report(_ id: ReportID, caller: ClientIdentity) async throws -> ReportRecord {
        if let trustAnchor { return try await provenReport(id, caller: caller, anchor: trustAnchor) }
        let answer = try await call { try await api(as: caller).getReport(path: .init(id: id.hex)).ok.body.json }
        return try Self.canonical(ReportRecord.self, answer.canonical, field: "canonical")
    }

    public func reports(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<ReportRecord> {
        let answer = try await call {
            try await api(as: caller).getPatientReports(
                path: .init(id: patient.hex), query: .init(limit: String(page.limit), cursor: page.cursor)
            ).ok.body.json
        }
        return Page(
            items: try answer.reports.map {
                try Self.canonical(ReportRecord.self, $0.canonical, field: "reports.canonical")
            }, nextCursor: answer.nextCursor)
    }

    public func grants(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<GrantRecord> {
        let answer = try await call {
            try await api(as: caller).getPatientGrants(
                path: .init(id: patient.hex), query: .init(limit: String(page.limit), cursor: page.cursor)
            ).ok.body.json
        }
        return Page(
            items: try answer.grants.map {
                try Self.canonical(GrantRecord.self, $0.canonical, field: "grants.canonical")
            }, nextCursor: answer.nextCursor)
    }

    public func accessTrail(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<IndexedEvent> {
        let answer = try await call {
            try await api(as: caller).getPatientAudit(
                path: .init(id: patient.hex), query: .init(limit: String(page.limit), cursor: page.cursor)
            ).ok.body.json
        }
        return Page(
            items: try answer.entries.map { entry in
                guard let height = UInt64(json: entry.height), let milliseconds = UInt64(json: entry.timeMs) else {
                    throw Self.malformed("entries.height")
                }
                return IndexedEvent(
                    height: Height(height), position: entry.position, eventIndex: entry.eventIndex,
                    time: ConsensusTime(milliseconds: milliseconds),
                    transactionHash: entry.transaction.flatMap(Hash256.init(hex:)),
                    event: try Self.canonical(LedgerEvent.self, entry.canonical, field: "entries.canonical"))
            }, nextCursor: answer.nextCursor)
    }
}

extension HTTPGateway {
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
        case 400, 413, 415, 422: .invalid
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 503, 429: .unavailable
        default: .internalFailure
        }
    }

    /// A record from the canonical bytes the node sent for it.
    static func canonical<T: CanonicalDecodable>(_ type: T.Type, _ bytes: Base64EncodedData, field: String) throws -> T
    {
        do { return try T.decode(canonical: Array(bytes.data)) } catch {
            throw NodeError(.internalFailure, field: field, "node sent a record that does not decode: \(error)")
        }
    }

    static func record(from wire: Components.Schemas.Identity) throws -> IdentityRecord {
        guard let id = IdentityID(hex: wire.id), let kind = IdentityKind(name: wire.kind.rawValue),
            let status = IdentityStatus(name: wire.status.rawValue),
            let signing = PublicSigningKey(hex: wire.signingKey),
            let encryption = PublicEncryptionKey(hex: wire.encryptionKey),
            let lastNonce = UInt64(json: wire.lastNonce), let registeredAt = UInt64(json: wire.registeredAt)
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
            organization: organization, roles: roles, status: status, lastNonce: Nonce(lastNonce),
            registeredAt: Height(registeredAt))
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
