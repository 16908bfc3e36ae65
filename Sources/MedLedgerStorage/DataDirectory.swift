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
}
