import Foundation
import Logging
import MedLedgerCore
@testable import MedLedgerNode
import MedLedgerP2P
import MedLedgerStorage
import Testing

/// The peer certificate in the data directory: written by init, made again when missing (so
/// directories from before TLS keep working), and never silently replaced when it is wrong.
@Suite struct DataDirectoryTLSTests {
    let keys = IdentityKeys.deterministic(seed: "data-dir-tls")

    func directory() throws -> DataDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-tls-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return DataDirectory(url)
    }

    @Test func missingCertificateIsMadeForTheValidatorKey() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        #expect(!FileManager.default.fileExists(atPath: directory.peerCertificateFile.path))
        let pem = try directory.loadPeerCertificate(keys: keys, logger: Logger(label: "test"))
        #expect(PeerCertificate.problem(pem: pem, keys: keys) == nil)
        // Loaded again, the same file is used, not a new one.
        #expect(try directory.loadPeerCertificate(keys: keys, logger: Logger(label: "test")) == pem)
    }

    @Test func certificateForAnotherKeyIsAnError() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        try directory.writePeerCertificate(keys: IdentityKeys.deterministic(seed: "someone-else"))
        let error = #expect(throws: NodeError.self) {
            _ = try directory.loadPeerCertificate(keys: keys, logger: Logger(label: "test"))
        }
        #expect(error?.description.contains("not this node's validator key") == true)
        try Data("not a certificate".utf8).write(to: directory.peerCertificateFile)
        #expect(throws: NodeError.self) {
            _ = try directory.loadPeerCertificate(keys: keys, logger: Logger(label: "test"))
        }
    }
}
