import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode
import MedLedgerStorage
import MedLedgerTesting
import MedLedgerVerifier
import Testing

/// `testnet preload`: a chain built offline that `verify` and a node accept as if the
/// network had made it.
@Suite struct ChainPreloadTests {
    static func testnet() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "medledger-preload-\(UUID().uuidString)")
        _ = try Testnet.initialize(
            validators: 4, directory: directory, basePort: 20_000, chainID: "medledger-preload-test",
            time: ConsensusTime(milliseconds: 1_767_225_600_000))
        return directory
    }

    @Test func preloadedChainVerifiesOnEveryNodeAndLoads() async throws {
        let directory = try Self.testnet()
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = ChainPreload.Options(transactions: 403, blockTransactions: 50, auditEvents: 60)
        var heights = [Height]()
        let summary = try ChainPreload(directory: directory, options: options).run { heights.append($0.height) }
        #expect(summary.transactions == 403)
        #expect(summary.blocks == 9)
        #expect(heights == (1...9).map { Height(UInt64($0)) })
        #expect(summary.auditEvents == 60)
        #expect(summary.reports >= 2)
        #expect(summary.registrations > 300)

        for index in 0..<4 {
            let node = DataDirectory(directory.appendingPathComponent("node\(index)"))
            let verified = try LedgerVerifier(directory: node).verify()
            #expect(verified.blocks == summary.blocks)
            #expect(verified.transactions == 403)
            #expect(verified.blobs == summary.reports, "every node holds every report's blob")
        }

        let node = try LedgerNode(dataDirectory: DataDirectory(directory.appendingPathComponent("node2")))
        #expect(await node.height == summary.blocks)
        #expect(await node.appHash == summary.stateRoot)
        let patient = try KeyFile.load(directory.appendingPathComponent("preload/audit-patient.json")).keys()
        #expect(patient.identityID == summary.auditPatient)
        let trail = try await node.accessTrail(ofPatient: patient.identityID, limit: PageLimits.maxItems)
        #expect(trail.events.count == 60)
        #expect(
            trail.events.allSatisfy {
                if case .access(_, _, let owner, _, _, let basis, _) = $0.event {
                    owner == patient.identityID && basis.isGranted
                } else {
                    false
                }
            })
    }

    @Test func refusesADirectoryWithBlocksAndBadOptions() throws {
        let directory = try Self.testnet()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try ChainPreload(directory: directory, options: .init(transactions: 20, blockTransactions: 10)).run()
        #expect(throws: NodeError.self) {
            _ = try ChainPreload(directory: directory, options: .init(transactions: 20, blockTransactions: 10))
        }
        #expect(ChainPreload.Options(transactions: 5).problem != nil)
        #expect(ChainPreload.Options(transactions: 100, blockTransactions: 7).problem != nil)
        #expect(ChainPreload.Options(transactions: 100, auditEvents: 51).problem != nil)
        #expect(ChainPreload.Options(transactions: 100, auditEvents: 50).problem == nil)
        let missing = directory.appendingPathComponent("nowhere")
        #expect(throws: NodeError.self) { _ = try ChainPreload(directory: missing, options: .init(transactions: 20)) }
    }
}
