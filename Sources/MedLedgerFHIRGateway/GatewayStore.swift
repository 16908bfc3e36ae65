import CSQLite
import Crypto
import Foundation
import MedLedgerCore

/// The gateway's own store, a SQLite file in `--store`: the organization's patient
/// identifiers (MRNs) mapped to ledger pseudonyms, the conditions of conditional creates, and
/// an index of the reports this gateway wrote (for search). Nothing here goes to the ledger.
///
/// Every value is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the gateway's
/// signing key, and rows are found by an HMAC of what they are about, so the file alone
/// reveals neither an MRN nor which patient a report is about. Losing the key file loses the
/// store's contents; the ledger itself is unaffected.
public final class GatewayStore: @unchecked Sendable {
    /// What a row is about; part of the HMAC input, so equal values of different kinds differ.
    public enum Kind: String, Sendable {
        /// `system|value` of a Patient.identifier → ledger identity id (hex).
        case patientIdentifier = "patient-identifier"
        /// `type|system|value` of a created resource's identifier → report id (hex).
        case resourceIdentifier = "resource-identifier"
        /// report id → the search summary (JSON).
        case report
    }

    public let path: String
    private let handle: OpaquePointer
    private let lock = NSLock()
    private let sealingKey: SymmetricKey
    private let lookupKey: SymmetricKey

    /// Opens (creating when needed) `DIR/fhir-gateway.sqlite`, keyed from `signingKey`.
    public init(directory: URL, signingKey: [UInt8]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("fhir-gateway.sqlite").path
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &connection, flags, nil) == SQLITE_OK, let connection else {
            let reason = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw FHIRProblem(500, .exception, "cannot open the gateway store \(path): \(reason)")
        }
        handle = connection
        sqlite3_busy_timeout(connection, 5_000)
        let material = SymmetricKey(data: signingKey)
        let salt = Data("medledger/fhir-gateway/store".utf8)
        sealingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Data("sealing v1".utf8), outputByteCount: 32)
        lookupKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: salt, info: Data("lookup v1".utf8), outputByteCount: 32)
        try execute(
            """
            PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS entries (
                kind TEXT NOT NULL, lookup BLOB NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY (kind, lookup));
            """)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The value filed under `name`, opened; nil when there is none.
    public func value(_ kind: Kind, _ name: String) throws -> String? {
        let rows = try query(
            "SELECT sealed FROM entries WHERE kind = ? AND lookup = ?",
            [.text(kind.rawValue), .blob(lookup(kind, name))])
        guard let sealed = rows.first else { return nil }
        return try open(sealed)
    }

    /// Files `value` under `name`, replacing what was there.
    public func set(_ kind: Kind, _ name: String, _ value: String) throws {
        _ = try query(
            "INSERT OR REPLACE INTO entries (kind, lookup, sealed) VALUES (?, ?, ?)",
            [.text(kind.rawValue), .blob(lookup(kind, name)), .blob(try seal(value))])
    }

    /// Every value of one kind, opened (order unspecified; callers sort).
    public func values(_ kind: Kind) throws -> [String] {
        try query("SELECT sealed FROM entries WHERE kind = ?", [.text(kind.rawValue)]).map(open)
    }

    /// The raw bytes of the file's rows, for tests that check no MRN is stored in clear.
    public func rawRows() throws -> [[UInt8]] {
        try query("SELECT lookup || sealed FROM entries", [])
    }

    private func lookup(_ kind: Kind, _ name: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data("\(kind.rawValue)\u{0}\(name)".utf8), using: lookupKey))
    }

    private func seal(_ value: String) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(Data(value.utf8), using: sealingKey).combined else {
            throw FHIRProblem(500, .exception, "sealing a store value failed")
        }
        return Array(combined)
    }

    private func open(_ sealed: [UInt8]) throws -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: sealingKey), as: UTF8.self)
        } catch {
            throw FHIRProblem(
                500, .exception,
                "the gateway store \(path) does not open with this key file (was it made with another key?)")
        }
    }

    private enum Parameter {
        case text(String)
        case blob([UInt8])
    }

    private func execute(_ sql: String) throws {
        lock.lock()
        defer { lock.unlock() }
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? "unknown"
            sqlite3_free(message)
            throw FHIRProblem(500, .exception, "gateway store \(path): \(reason)")
        }
    }

    /// Runs one statement; returns the first column of each row as bytes.
    private func query(_ sql: String, _ parameters: [Parameter]) throws -> [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw FHIRProblem(500, .exception, "gateway store: \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            switch parameter {
            case .text(let text): sqlite3_bind_text(statement, index, text, -1, transient)
            case .blob(let bytes):
                _ = bytes.withUnsafeBytes {
                    sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient)
                }
            }
        }
        var rows: [[UInt8]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else {
                throw FHIRProblem(500, .exception, "gateway store: \(String(cString: sqlite3_errmsg(handle)))")
            }
            let count = Int(sqlite3_column_bytes(statement, 0))
            if let bytes = sqlite3_column_blob(statement, 0), count > 0 {
                rows.append(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
            } else {
                rows.append([])
            }
        }
        return rows
    }
}
