import Foundation
import MedLedgerCore

/// Where a node keeps its files. Everything a node needs lives under one directory:
///
///     genesis.json     the chain's genesis (same on every node)
///     node-key.json    this node's private validator keys (0600)
///     ledger.sqlite    blocks, receipts, state and indexes (SQLite, WAL)
///     blobs/           report ciphertexts, named by their SHA-256
public struct DataDirectory: Sendable {
    public let url: URL
    public init(_ url: URL) { self.url = url }
    public init(path: String) { self.url = URL(fileURLWithPath: path, isDirectory: true) }

    public var genesisFile: URL { url.appendingPathComponent("genesis.json") }
    public var nodeKeyFile: URL { url.appendingPathComponent("node-key.json") }
    public var ledgerFile: URL { url.appendingPathComponent("ledger.sqlite") }
    public var blobsDirectory: URL { url.appendingPathComponent("blobs", isDirectory: true) }

    public var isInitialized: Bool { FileManager.default.fileExists(atPath: genesisFile.path) }

    /// Creates the directory and writes the genesis and this node's key.
    public func initialize(genesis: Genesis, nodeKeys: KeyFile) throws {
        if let problem = genesis.problem() { throw NodeError(.invalid, field: "genesis", problem) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard !isInitialized else {
            throw NodeError(.conflict, field: "data-dir", "\(url.path) already holds a node (genesis.json exists)")
        }
        try genesis.write(to: genesisFile)
        try nodeKeys.write(to: nodeKeyFile)
    }
}

/// A single-validator network with the given organizations: the default for `demo` and
/// `node init`. The validator's key is fresh unless given.
public enum SingleValidatorGenesis {
    public static func make(chainID: String, time: ConsensusTime, nodeKeys: IdentityKeys,
                            organizations: [(name: String, keys: IdentityKeys)]) -> Genesis {
        let validator = Validator(name: "node0", signingKey: nodeKeys.publicSigningKey,
                                  encryptionKey: nodeKeys.publicEncryptionKey, power: 1)
        return Genesis(chainID: chainID, genesisTime: time, validators: [validator],
                       organizations: organizations.map {
                           GenesisOrganization(name: $0.name, signingKey: $0.keys.publicSigningKey,
                                               encryptionKey: $0.keys.publicEncryptionKey)
                       })
    }
}
