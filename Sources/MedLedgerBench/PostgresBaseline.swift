import Foundation
import MedLedgerCore
import MedLedgerPostgres
import NIOCore
import PostgresNIO

/// `bench --baseline postgres`: what the same registrations cost without decentralization.
/// A plain single-process program writes them to one PostgreSQL server: each signature is
/// verified once (a validator network verifies it once per validator), the identity is
/// checked and stored, and one row per registration is appended to a hash-chained audit
/// table (each row holds the hash of the previous one, so a changed or removed row breaks
/// the chain, which is what the ledger's hash chain gives an auditor).
///
/// How it is measured: registrations go in batches of `batchSize` (the bench's submission
/// batch): the batch's signatures are verified on every core (as a node does), then one
/// PostgreSQL transaction inserts its identities and audit rows (`unnest`, one statement per
/// table) and commits (fsync, the server's default `synchronous_commit`). The rate is
/// registrations ÷ the time from the first verification to the last commit. Table set-up
/// before and the chain check after are not timed. The tables `baseline_identities` and
/// `baseline_audit` in the URL's schema are dropped and created afresh by every run.
public struct PostgresBaseline: Sendable {
    public static let batchSize = Submitter.batchMaxCount

    public struct Result: Sendable {
        public let registrations: Int
        public let refused: Int
        public let databaseTransactions: Int
        public let seconds: Double
        /// Audit rows whose chain was re-checked after the run (all of them when intact).
        public let auditRowsChecked: Int
        public var txPerSecond: Double { seconds > 0 ? Double(registrations) / seconds : 0 }

        public func describe() -> String {
            String(
                format:
                    "baseline (one PostgreSQL server, each signature verified once): %d registrations (%d refused) in %d transactions, %.2f s = %.1f tx/s; audit chain of %d rows re-checked",
                registrations, refused, databaseTransactions, seconds, txPerSecond, auditRowsChecked)
        }
    }

    let url: PostgresURL
    let log: @Sendable (String) -> Void

    public init(url: PostgresURL, log: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.log = log
    }

    /// Fresh patients registering themselves, as the signature workload sends.
    public static func registrations(count: Int) -> [Transaction] {
        LoadGenerator.presign(count: count, chainID: "medledger-baseline")
    }

    /// Writes `transactions` (self-registrations) and returns the rate. Blocks its thread.
    public func run(_ transactions: [Transaction]) throws -> Result {
        let session = try PostgresSession(url: url)
        for statement in Self.schema { try session.query(statement) }
        log("baseline: writing \(transactions.count) registrations to \(url) ...")
        var chain = AuditChain()
        var refused = 0
        var databaseTransactions = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var next = 0
        while next < transactions.count {
            let batch = Array(transactions[next..<min(transactions.count, next + Self.batchSize)])
            next += batch.count
            let valid = Self.verify(batch)
            let accepted = zip(batch, valid).compactMap { $1 ? $0 : nil }
            refused += batch.count - accepted.count
            guard !accepted.isEmpty else { continue }
            try session.transaction { try write(accepted, chain: &chain, session: session) }
            databaseTransactions += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let checked = try Self.checkChain(session: session)
        return Result(
            registrations: transactions.count - refused, refused: refused, databaseTransactions: databaseTransactions,
            seconds: seconds, auditRowsChecked: checked)
    }

    static let schema = [
        "DROP TABLE IF EXISTS baseline_audit, baseline_identities",
        """
        CREATE TABLE baseline_identities (id BYTEA PRIMARY KEY, signing_key BYTEA NOT NULL,
            encryption_key BYTEA NOT NULL, last_nonce BIGINT NOT NULL, registered_by BYTEA NOT NULL UNIQUE)
        """,
        """
        CREATE TABLE baseline_audit (seq BIGINT PRIMARY KEY, transaction_hash BYTEA NOT NULL,
            identity BYTEA NOT NULL, event TEXT NOT NULL, previous_hash BYTEA NOT NULL, row_hash BYTEA NOT NULL)
        """,
    ]

    /// What the ledger's contract checks of a self-registration, with the signature
    /// verified once: signature, signer key = registered key, nonce at least 1. Runs the
    /// batch's verifications on every core.
    static func verify(_ batch: [Transaction]) -> [Bool] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = (batch.count + cores - 1) / cores
        var valid = [Bool](repeating: false, count: batch.count)
        valid.withUnsafeMutableBufferPointer { buffer in
            let results = UnsafeMutableSendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: cores) { part in
                for index in (part * chunk)..<min(batch.count, (part + 1) * chunk) {
                    let tx = batch[index]
                    guard case .registerPatient(let body) = tx.payload else { continue }
                    results.set(index, tx.signerKey == body.signingKey && tx.nonce >= 1 && tx.hasValidSignature)
                }
            }
        }
        return valid
    }

    private func write(_ accepted: [Transaction], chain: inout AuditChain, session: PostgresSession) throws {
        var identities = PostgresBindings()
        identities.append(accepted.map { ByteBuffer(bytes: $0.signer.hash.bytes) })
        identities.append(accepted.map { ByteBuffer(bytes: $0.signerKey.rawBytes) })
        identities.append(
            accepted.map { tx -> ByteBuffer in
                guard case .registerPatient(let body) = tx.payload else { preconditionFailure("verified above") }
                return ByteBuffer(bytes: body.encryptionKey.canonicalBytes)
            })
        identities.append(accepted.map { Int64($0.nonce.rawValue) })
        identities.append(accepted.map { ByteBuffer(bytes: $0.hash.bytes) })
        try session.query(
            """
            INSERT INTO baseline_identities(id, signing_key, encryption_key, last_nonce, registered_by)
            SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::bigint[], $5::bytea[])
            """, identities)
        let rows = accepted.map { chain.append(transaction: $0.hash, identity: $0.signer.hash) }
        var audit = PostgresBindings()
        audit.append(rows.map { Int64($0.seq) })
        audit.append(rows.map { ByteBuffer(bytes: $0.transaction.bytes) })
        audit.append(rows.map { ByteBuffer(bytes: $0.identity.bytes) })
        audit.append(rows.map { $0.event })
        audit.append(rows.map { ByteBuffer(bytes: $0.previous.bytes) })
        audit.append(rows.map { ByteBuffer(bytes: $0.hash.bytes) })
        try session.query(
            """
            INSERT INTO baseline_audit(seq, transaction_hash, identity, event, previous_hash, row_hash)
            SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::text[], $5::bytea[], $6::bytea[])
            """, audit)
    }

    /// Reads the audit table back in order and recomputes every link; returns the row count.
    /// - Throws: `BaselineError` naming the first row whose hash or link is wrong.
    static func checkChain(session: PostgresSession) throws -> Int {
        var chain = AuditChain()
        var count = 0
        let rows = try session.query(
            "SELECT seq, transaction_hash, identity, event, previous_hash, row_hash FROM baseline_audit ORDER BY seq")
        for row in rows {
            let seq = try row[0].decode(Int64.self)
            let transaction = Hash256(bytes: Array(try row[1].decode(ByteBuffer.self).readableBytesView))
            let identity = Hash256(bytes: Array(try row[2].decode(ByteBuffer.self).readableBytesView))
            guard let transaction, let identity else { throw BaselineError("audit row \(seq) holds a malformed hash") }
            let expected = chain.append(transaction: transaction, identity: identity)
            let previous = Array(try row[4].decode(ByteBuffer.self).readableBytesView)
            let stored = Array(try row[5].decode(ByteBuffer.self).readableBytesView)
            guard seq == Int64(expected.seq), previous == expected.previous.bytes, stored == expected.hash.bytes,
                try row[3].decode(String.self) == expected.event
            else { throw BaselineError("audit chain broken at row \(seq)") }
            count += 1
        }
        return count
    }
}

/// The hash chain of the baseline's audit table: row n's hash is SHA-256 over a domain tag,
/// row n-1's hash, n, the transaction hash, the identity and the event name.
struct AuditChain {
    struct Row {
        let seq: UInt64
        let transaction: Hash256
        let identity: Hash256
        let event: String
        let previous: Hash256
        let hash: Hash256
    }

    private(set) var last = Hash256.zero
    private(set) var count: UInt64 = 0

    mutating func append(transaction: Hash256, identity: Hash256) -> Row {
        count += 1
        let event = "identity_registered"
        let seqBytes = (0..<8).map { UInt8(truncatingIfNeeded: count >> (56 - 8 * UInt64($0))) }
        let hash = Hash256.of(parts: [
            Array("medledger/baseline-audit/v1".utf8), last.bytes, seqBytes, transaction.bytes, identity.bytes,
            Array(event.utf8),
        ])
        let row = Row(
            seq: count, transaction: transaction, identity: identity, event: event, previous: last, hash: hash)
        last = hash
        return row
    }
}

struct BaselineError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Lets `concurrentPerform`'s iterations write their own, disjoint elements of one buffer.
private struct UnsafeMutableSendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Bool>
    init(_ buffer: UnsafeMutableBufferPointer<Bool>) { self.buffer = buffer }
    func set(_ index: Int, _ value: Bool) { buffer[index] = value }
}
