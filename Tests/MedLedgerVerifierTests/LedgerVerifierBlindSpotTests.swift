import Foundation
import Testing
import MedLedgerCore
import MedLedgerStorage
@testable import MedLedgerVerifier

/// Issue 6.10: what `verify` used to miss.
extension LedgerVerifierTests {
    /// An access row inserted above the latest height made a custodian release a key with
    /// no committed receipt, and `verify` still said intact.
    @Test func eventRowAboveTheLatestHeightIsNamed() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let latest = try #require(try db.query("SELECT MAX(height) FROM blocks").first?[0].integer)
            let row = try #require(
                try db.query("SELECT subject, position, event_index, time, event, transaction_hash FROM events LIMIT 1")
                    .first)
            try db.run("PRAGMA foreign_keys = OFF")
            try db.run(
                """
                INSERT INTO events(subject, height, position, event_index, time, event, transaction_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
                [row[0], .integer(latest + 5), row[1], row[2], row[3], row[4], row[5]])
            expectFailure(directory, locationPrefix: "events table")
        }
    }

    /// A report's history is read through the event run index: a key taken out of it hid an
    /// event from the report's readers, and `verify` checked only the event rows.
    @Test func eventMissingFromTheRunIndexIsNamed() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            try db.run("DELETE FROM event_subject_runs WHERE first = (SELECT MIN(first) FROM event_subject_runs)")
            expectFailure(directory, locationPrefix: "event_subject_runs index")
        }
    }

    @Test func genesisFileThatDiffersFromTheStoredGenesisIsNamed() async throws {
        try await withDemoCopy { directory in
            let text = try String(contentsOf: directory.genesisFile, encoding: .utf8)
            try text.replacingOccurrences(of: "\"medledger-demo\"", with: "\"medledger-forged\"")
                .write(to: directory.genesisFile, atomically: true, encoding: .utf8)
            expectFailure(directory, locationPrefix: "genesis")
        }
    }

    @Test func unexpectedGenesisHashIsNamed() async throws {
        try await withDemoCopy { directory in
            let genesis = try Genesis.load(from: directory.genesisFile)
            _ = try LedgerVerifier(directory: directory).verify(expectedGenesisHash: genesis.hash)
            do {
                _ = try LedgerVerifier(directory: directory).verify(expectedGenesisHash: Hash256.of([1]))
                Issue.record("verify accepted a genesis other than the expected one")
            } catch {
                #expect((error as? VerificationFailure)?.location == "genesis")
            }
        }
    }

    /// A stored block whose body lost its last commit used to trap when loaded.
    @Test func blockThatLostItsLastCommitIsReportedNotTrapped() async throws {
        try await withDemoCopy { directory in
            let db = try SQLiteDatabase(path: directory.ledgerFile.path)
            let body = try #require(try db.query("SELECT body FROM blocks WHERE height = 3").first?[0].blob)
            let (_, transactions) = try Block.decodeBody(body)
            var encoder = CanonicalEncoder()
            encoder.write(optional: CommitCertificate?.none)
            encoder.write(UInt32(transactions.count))
            for tx in transactions { encoder.write(bytes: tx.encoded) }
            try db.run("UPDATE blocks SET body = ? WHERE height = 3", [.blob(encoder.bytes)])
            expectFailure(directory, locationPrefix: "block 3")
            let store = try LedgerStore(dataDirectory: directory.url)
            #expect(throws: StorageError.self) { _ = try store.block(at: 3) }
        }
    }
}
