import Foundation
import MedLedgerCore
import MedLedgerStorage

/// A node's network settings (`network.json` in its data directory): where it listens and
/// which peers it dials. Written by `testnet init`; `node start` options override it.
public struct NetworkConfig: Codable, Sendable, Equatable {
    public struct Peer: Codable, Sendable, Equatable {
        public let id: IdentityID
        public let address: String
        public init(id: IdentityID, address: String) {
            self.id = id
            self.address = address
        }
    }

    public var http: String
    public var p2p: String
    public var peers: [Peer]

    public init(http: String, p2p: String, peers: [Peer]) {
        self.http = http
        self.p2p = p2p
        self.peers = peers
    }

    public static func load(_ directory: DataDirectory) throws -> NetworkConfig? {
        guard let data = FileManager.default.contents(atPath: directory.networkFile.path) else { return nil }
        do { return try JSONDecoder().decode(NetworkConfig.self, from: data) } catch {
            throw NodeError(.invalid, field: "network.json", "\(directory.networkFile.path) is not valid: \(error)")
        }
    }

    public func write(to directory: DataDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.networkFile, options: .atomic)
    }
}

extension DataDirectory {
    public var networkFile: URL { url.appendingPathComponent("network.json") }
    /// The consensus state a validator persists before it sends a vote (no double-signing).
    public var consensusStateFile: URL { url.appendingPathComponent("consensus-state.bin") }
    /// The block of the consensus state's valid value, so a restarted proposer can re-propose it.
    public var consensusValidBlockFile: URL { url.appendingPathComponent("consensus-valid-block.bin") }
}

/// `medledger testnet init`: a genesis with N validators, one organization each, and one
/// node folder per validator, all on loopback.
public enum Testnet {
    /// Node K serves HTTP on basePort + 10·K and peer-to-peer on basePort + 10·K + 1.
    public static func httpPort(base: Int, index: Int) -> Int { base + 10 * index }
    public static func p2pPort(base: Int, index: Int) -> Int { base + 10 * index + 1 }

    /// Writes DIR/genesis.json, DIR/node0 … DIR/node{N-1} and DIR/org-keys/.
    /// - Parameters:
    ///   - replicas: how many validators hold each blob (nil: all eligible ones).
    ///   - residency: organization index → indexes of the organizations whose nodes may hold
    ///     its blobs (node K is run by organization K).
    ///   - suite: the encryption suite of the node (custodian) and organization keys.
    public static func initialize(
        validators count: Int, directory: URL, basePort: Int, chainID: String,
        time: ConsensusTime, replicas: UInt32? = nil, residency: [Int: [Int]] = [:],
        suite: EncryptionSuite = .x25519
    ) throws -> Genesis {
        precondition(count >= 1 && count <= Limits.validatorsMaxCount, "1...\(Limits.validatorsMaxCount) validators")
        precondition(basePort > 0 && basePort + 10 * count + 1 <= 65_535, "ports must fit")
        let nodeKeys = (0..<count).map { _ in IdentityKeys.generate(suite: suite) }
        let orgKeys = (0..<count).map { _ in IdentityKeys.generate(suite: suite) }
        let genesis = Genesis(
            chainID: chainID, genesisTime: time,
            validators: nodeKeys.enumerated().map {
                Validator(
                    name: "node\($0.offset)", signingKey: $0.element.publicSigningKey,
                    encryptionKey: $0.element.publicEncryptionKey, power: 1)
            },
            organizations: orgKeys.enumerated().map {
                GenesisOrganization(
                    name: "Organization \($0.offset)", signingKey: $0.element.publicSigningKey,
                    encryptionKey: $0.element.publicEncryptionKey)
            },
            storage: try storage(nodes: nodeKeys, organizations: orgKeys, replicas: replicas, residency: residency))
        if let problem = genesis.problem() { throw NodeError(.invalid, field: "genesis", problem) }
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try genesis.write(to: directory.appendingPathComponent("genesis.json"))
        let orgFolder = directory.appendingPathComponent("org-keys")
        try manager.createDirectory(at: orgFolder, withIntermediateDirectories: true)
        for (index, keys) in orgKeys.enumerated() {
            try KeyFile(label: "Organization \(index)", keys: keys).write(
                to: orgFolder.appendingPathComponent("org\(index).json"))
        }
        for index in 0..<count {
            let node = DataDirectory(directory.appendingPathComponent("node\(index)"))
            try node.initialize(genesis: genesis, nodeKeys: KeyFile(label: "node\(index)", keys: nodeKeys[index]))
            let peers = (0..<count).filter { $0 != index }.map {
                NetworkConfig.Peer(
                    id: nodeKeys[$0].identityID, address: "127.0.0.1:\(p2pPort(base: basePort, index: $0))")
            }
            try NetworkConfig(
                http: "127.0.0.1:\(httpPort(base: basePort, index: index))",
                p2p: "127.0.0.1:\(p2pPort(base: basePort, index: index))", peers: peers
            ).write(to: node)
        }
        return genesis
    }

    /// Node K is run by organization K; policies by index.
    static func storage(
        nodes: [IdentityKeys], organizations: [IdentityKeys], replicas: UInt32?, residency: [Int: [Int]]
    ) throws -> GenesisStorage {
        let orgIDs = organizations.map(\.identityID)
        let policies = try residency.keys.sorted().map { owner -> StoragePolicy in
            let holders = residency[owner] ?? []
            guard orgIDs.indices.contains(owner), holders.allSatisfy(orgIDs.indices.contains) else {
                throw NodeError(.invalid, field: "residency", "organization indexes must be 0-\(orgIDs.count - 1)")
            }
            return StoragePolicy(organization: orgIDs[owner], holderOrganizations: holders.map { orgIDs[$0] })
        }
        return GenesisStorage(
            replicas: replicas,
            nodes: zip(nodes, orgIDs).map { NodeAffiliation(node: $0.0.identityID, organization: $0.1) },
            policies: policies)
    }
}
