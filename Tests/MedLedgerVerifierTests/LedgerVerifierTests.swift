import Foundation
import Testing
import MedLedgerCore
import MedLedgerStorage
@testable import MedLedgerVerifier

/// Every kind of on-disk change is caught and named.
@Suite struct LedgerVerifierTests {
    func withDemoCopy(_ body: (DataDirectory) throws -> Void) async throws {
        let (directory, _) = try await runDemo()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        try body(directory)
    }

    func expectFailure(_ directory: DataDirectory, locationPrefix: String) {
        do {
            _ = try LedgerVerifier(directory: directory).verify()
            Issue.record("verify passed on a tampered ledger")
        } catch {
            #expect(error.location.hasPrefix(locationPrefix), "got \(error)")
        }
    }

    @Test func flippedByteInABlobIsNamed() async throws {
        try await withDemoCopy { directory in
            let blobs = try FileBlobStore(dataDirectory: directory.url)
            let address = try #require(try blobs.allAddresses().first)
            let path = blobs.path(for: address)
            var bytes = try #require(FileManager.default.contents(atPath: path))
            bytes[bytes.count / 2] ^= 0x01
            try bytes.write(to: URL(fileURLWithPath: path))
            expectFailure(directory, locationPrefix: "blob \(address)")
        }
    }

    @Test func changedStateEntryIsNamed() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let rows = try db.query("SELECT key, value FROM state ORDER BY key LIMIT 1")
            let key = try #require(rows.first?[0].blob)
            var value = try #require(rows.first?[1].blob)
            value[value.count - 1] ^= 0x01
            try db.run("UPDATE state SET value = ? WHERE key = ?", [.blob(value), .blob(key)])
            expectFailure(directory, locationPrefix: "state entry \(Hex.encode(key))")
        }
    }

    @Test func changedTransactionInABlockIsNamedByHeight() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let rows = try db.query("SELECT height, body FROM blocks WHERE length(body) > 200 ORDER BY height LIMIT 1")
            let height = try #require(rows.first?[0].integer)
            var body = try #require(rows.first?[1].blob)
            body[body.count - 70] ^= 0x01  // inside the last transaction's signed bytes
            try db.run("UPDATE blocks SET body = ? WHERE height = ?", [.blob(body), .integer(height)])
            expectFailure(directory, locationPrefix: "block \(height)")
        }
    }

    @Test func changedReceiptIsNamedByHeight() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let rows = try db.query("SELECT hash, height, receipt FROM transactions ORDER BY height LIMIT 1")
            let hash = try #require(rows.first?[0].blob)
            let height = try #require(rows.first?[1].integer)
            var receipt = try #require(rows.first?[2].blob)
            receipt[1] ^= 0x01  // the result code
            try db.run("UPDATE transactions SET receipt = ? WHERE hash = ?", [.blob(receipt), .blob(hash)])
            expectFailure(directory, locationPrefix: "block \(height)")
        }
    }

    @Test func forgedCertificateIsNamedByHeight() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            var certificate = try #require(
                try db.query("SELECT certificate FROM blocks WHERE height = 3").first?[0].blob)
            certificate[certificate.count - 1] ^= 0x01  // last byte of the signature
            try db.run("UPDATE blocks SET certificate = ? WHERE height = 3", [.blob(certificate)])
            expectFailure(directory, locationPrefix: "block 3")
        }
    }

    @Test func intactLedgerPasses() async throws {
        try await withDemoCopy { directory in
            let summary = try LedgerVerifier(directory: directory).verify()
            #expect(summary.transactions >= 15)
        }
    }
}

extension LedgerVerifierTests {
    /// The audit trail a patient reads is checked too: a rewritten access event is caught.
    @Test func changedAuditIndexRowIsNamedByHeight() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let rows = try db.query("SELECT height, event FROM events ORDER BY height DESC LIMIT 1")
            let height = try #require(rows.first?[0].integer)
            var event = try #require(rows.first?[1].blob)
            event[event.count - 1] ^= 0x01
            try db.run(
                "UPDATE events SET event = ? WHERE height = ? AND event = ?",
                [.blob(event), .integer(height), try #require(rows.first?[1])])
            expectFailure(directory, locationPrefix: "block \(height)")
        }
    }

    /// An event row's transaction hash is what the audit trail and its export show; one
    /// pointing at another transaction must be caught like a changed event.
    @Test func eventRowNamingAnotherTransactionIsNamedByHeight() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let rows = try db.query("SELECT height, position FROM events ORDER BY height DESC LIMIT 1")
            let height = try #require(rows.first?[0].integer)
            let other = try #require(
                try db.query("SELECT hash FROM transactions WHERE height < ? LIMIT 1", [.integer(height)]).first?[0])
            let changed = try db.run(
                "UPDATE events SET transaction_hash = ? WHERE height = ? AND position = ?",
                [other, .integer(height), try #require(rows.first?[1])])
            #expect(changed > 0)
            expectFailure(directory, locationPrefix: "block \(height)")
        }
    }
}
