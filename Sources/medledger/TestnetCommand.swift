import ArgumentParser
import MedLedgerAPI
import MedLedgerCore
import Foundation
import MedLedgerNode
import MedLedgerStorage

struct TestnetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testnet", abstract: "Create a multi-validator network on this machine.",
        subcommands: [Init.self, Preload.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a genesis and one node folder per validator (DIR/node0 …), all on loopback.",
            discussion: """
                Node K serves HTTP on BASE-PORT + 10·K and peer-to-peer on BASE-PORT + 10·K + 1; start each with
                `medledger node start --data-dir DIR/nodeK`. One organization per validator; their admin keys are
                in DIR/org-keys/. With n = 3f + 1 validators the network tolerates f faulty ones.
                Peer links run mutual TLS 1.3 with DIR/nodeK/tls/peer-cert.pem, whose key is the validator key.
                With --api-tls each node also gets a self-signed API certificate and key (DIR/nodeK/tls/api-cert.pem,
                api-key.pem) for `node start --tls-cert … --tls-key …`; clients pin it with `--pin-cert`.
                """)
        @Option(name: .long, help: "Number of validators (4 tolerates one fault).") var validators: Int
        @Option(name: .long, help: "The directory to create.") var dir: String
        @Option(name: .long, help: "First port.") var basePort: Int = 26_600
        @Option(name: .long, help: "The chain id.") var chainId: String = "medledger-testnet"
        @Option(name: .long, help: EncryptionSuite.nodeKeysHelp) var suite: EncryptionSuite = .xwing
        @Flag(name: .long, help: "Also write a self-signed HTTPS certificate and key for each node's API.")
        var apiTls = false
        @Option(name: .long, help: "How many validators hold each report blob (default: all allowed).")
        var replicas: UInt32?
        @Option(
            name: .long,
            help: "K=I,J: organization K's blobs may only be held by the nodes of organizations I and J (repeatable).")
        var residency: [String] = []

        /// `--residency` values as organization index → holder organization indexes.
        func residencyPolicies() throws -> [Int: [Int]] {
            var policies = [Int: [Int]]()
            for text in residency {
                let parts = text.split(separator: "=", omittingEmptySubsequences: false)
                guard parts.count == 2, let owner = Int(parts[0]), owner >= 0, owner < validators,
                    policies[owner] == nil
                else {
                    throw ValidationError(
                        "--residency \(text): expected K=I,J with K a new organization 0-\(validators - 1)")
                }
                let holders = parts[1].split(separator: ",").compactMap { Int($0) }
                guard !holders.isEmpty, holders.count == parts[1].split(separator: ",").count,
                    holders.allSatisfy({ (0..<validators).contains($0) })
                else { throw ValidationError("--residency \(text): holders must be organizations 0-\(validators - 1)") }
                policies[owner] = holders
            }
            return policies
        }

        func validate() throws {
            guard (1...100).contains(validators) else { throw ValidationError("--validators must be 1-100") }
            guard basePort >= 1_024, basePort + 10 * validators + 1 <= 65_535 else {
                throw ValidationError("--base-port must leave room for \(validators) nodes below 65535")
            }
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            guard existing.isEmpty else { throw ValidationError("--dir \(dir) exists and is not empty") }
            if let replicas, replicas == 0 || replicas > UInt32(validators) {
                throw ValidationError("--replicas must be 1-\(validators)")
            }
            _ = try residencyPolicies()
        }

        func run() throws {
            let url = URL(fileURLWithPath: dir, isDirectory: true)
            _ = try Testnet.initialize(
                validators: validators, directory: url, basePort: basePort, chainID: chainId,
                time: ConsensusTime(wallClock: SystemClock.now()), replicas: replicas, residency: residencyPolicies(),
                suite: suite)
            print("Created a \(validators)-validator network in \(url.path):")
            print("  peer links: mutual TLS 1.3 with DIR/nodeK/tls/peer-cert.pem (its key is the validator key)")
            for index in 0..<validators {
                print(
                    "  node\(index): http 127.0.0.1:\(Testnet.httpPort(base: basePort, index: index)), "
                        + "p2p 127.0.0.1:\(Testnet.p2pPort(base: basePort, index: index))")
            }
            if apiTls {
                for index in 0..<validators {
                    try Self.writeAPICertificate(DataDirectory(url.appendingPathComponent("node\(index)")))
                }
                print(
                    "Start each with: medledger node start --data-dir \(dir)/nodeK "
                        + "--tls-cert \(dir)/nodeK/tls/api-cert.pem --tls-key \(dir)/nodeK/tls/api-key.pem")
                print("Clients: --node https://127.0.0.1:PORT --pin-cert \(dir)/nodeK/tls/api-cert.pem")
            } else {
                print("Start each with: medledger node start --data-dir \(dir)/nodeK")
            }
        }

        /// A self-signed API certificate for loopback; the key file is private (0600).
        static func writeAPICertificate(_ node: DataDirectory) throws {
            let (certificate, key) = try APITLS.makeSelfSignedPEM(hosts: ["127.0.0.1", "localhost"])
            let folder = node.tlsDirectory
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(certificate.utf8).write(to: folder.appendingPathComponent("api-cert.pem"))
            let keyFile = folder.appendingPathComponent("api-key.pem")
            guard
                FileManager.default.createFile(
                    atPath: keyFile.path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
            else { throw CLIError("cannot write \(keyFile.path)") }
        }
    }
}
