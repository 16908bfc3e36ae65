import Foundation
import Testing
import MedLedgerCore
import MedLedgerContracts
import MedLedgerDemo
import MedLedgerNode
import MedLedgerStorage
import MedLedgerVerifier
import MedLedgerTesting

/// Runs the demo once per test that needs it, in a fresh temporary directory.
func runDemo() async throws -> (DataDirectory, DemoStory.Outcome) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-demo-\(UUID().uuidString)")
    let directory = DataDirectory(url)
    let outcome = try await DemoStory(directory: directory, say: { _ in }).run()
    return (directory, outcome)
}

@Suite struct DemoStoryTests {
    @Test func demoTellsTheWholeStoryAndEndsWithADeniedRead() async throws {
        let (directory, outcome) = try await runDemo()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        #expect(outcome.deniedReadCode == .noActiveGrant)
        #expect(outcome.blocks > 10)
        let summary = try LedgerVerifier(directory: directory).verify()
        #expect(summary.blocks == outcome.blocks)
        #expect(summary.blobs == 2)  // version 1 and the amended version 2
    }

    /// Principle 1: no name, birth date, title or report content anywhere on disk in clear
    /// (blocks, receipts, state, indexes, WAL, blobs) — only in the participants' own key files.
    @Test func noProtectedHealthInformationAnywhereOnTheLedger() async throws {
        let (directory, _) = try await runDemo()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.url.path)
            .filter { !$0.hasPrefix("demo-keys") }
        #expect(files.contains("ledger.sqlite"))
        var scannedBytes = 0
        for file in files {
            let path = directory.url.appendingPathComponent(file).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            scannedBytes += data.count
            for secret in DemoCast.protectedStrings {
                #expect(data.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file)")
            }
        }
        #expect(scannedBytes > 10_000)
    }

    @Test func restartedNodeComesBackWithTheSameStateRoot() async throws {
        let (directory, outcome) = try await runDemo()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        let node = try LedgerNode(dataDirectory: directory)
        #expect(await node.height == outcome.blocks)
        let header = try #require(try await node.block(at: outcome.blocks)).header
        #expect(await node.appHash == header.stateRoot)
        let report = try #require(await node.report(outcome.report))
        #expect(report.versions.count == 2)
        #expect(report.latest.status == .amended)
        // St. Mary's privacy officer is on the ledger, with the key file the portal signs in with.
        let officerFile = try KeyFile.load(directory.url.appendingPathComponent("demo-keys/privacy-officer.json"))
        let officer = try #require(await node.identity(try officerFile.identityID()))
        #expect(officer.roles == [.privacyOfficer])
        let hospital = try KeyFile.load(directory.url.appendingPathComponent("demo-keys/hospital.json"))
        #expect(officer.organization == (try hospital.identityID()))
        // The restarted node keeps producing on top of the stored chain.
        let next = try await node.produceBlock(wallClock: ConsensusTime(wallClock: SystemClock.now()))
        #expect(next.header.height == outcome.blocks + 1)
        #expect(next.header.previousBlockHash == header.hash)
    }
}

@Suite struct FourValidatorDemoTests {
    /// The same story over Tendermint: four validators in one process, real loopback sockets.
    @Test func demoRunsOverFourValidators() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-demo4-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let basePort = try TestPorts.block(40)
        let outcome = try await DemoStory(
            directory: DataDirectory(url), validators: 4, basePort: basePort, say: { _ in }
        ).run()
        #expect(outcome.deniedReadCode == .noActiveGrant)
        // node3 was stopped before the amendment; the last read still rebuilt the key from
        // the three other custodians' shares (3 of 4) and named node3 as down.
        let custody = try #require(outcome.lastReadCustody)
        #expect(custody.threshold == 3)
        #expect(custody.goodShares == 3)
        #expect(Set(custody.sharesUsed).count == 3)
        #expect(custody.failures.count == 1)
        #expect(custody.failures.first?.reason.contains("the node is down") == true)
        let nodes = try (0..<4).map {
            try LedgerNode(dataDirectory: DataDirectory(url.appendingPathComponent("node\($0)")))
        }
        var common = outcome.blocks
        for node in nodes { common = min(common, await node.height) }
        var roots = Set<Hash256>()
        for (index, node) in nodes.enumerated() {
            roots.insert(try #require(try await node.block(at: common)).header.stateRoot)
            #expect(await node.report(outcome.report)?.versions.count == (index == 3 ? 1 : 2))
        }
        #expect(roots.count == 1, "validators disagree on the state")
    }
}
