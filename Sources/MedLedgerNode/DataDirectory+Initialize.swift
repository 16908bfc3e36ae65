import Foundation
import MedLedgerCore
import MedLedgerStorage

extension DataDirectory {
    /// Creates the directory and writes the genesis, this node's key and its peer certificate.
    public func initialize(genesis: Genesis, nodeKeys: KeyFile) throws {
        if let problem = genesis.problem() { throw NodeError(.invalid, field: "genesis", problem) }
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard !isInitialized else {
            throw NodeError(.conflict, field: "data-dir", "\(url.path) already holds a node (genesis.json exists)")
        }
        try genesis.write(to: genesisFile)
        try nodeKeys.write(to: nodeKeyFile)
        try writePeerCertificate(keys: nodeKeys.keys())
    }
}

/// A single-validator network with the given organizations: the default for `demo` and
/// `node init`. The validator's key is fresh unless given.
public enum SingleValidatorGenesis {
    public static func make(
        chainID: String, time: ConsensusTime, nodeKeys: IdentityKeys,
        organizations: [(name: String, keys: IdentityKeys)]
    ) -> Genesis {
        let validator = Validator(
            name: "node0", signingKey: nodeKeys.publicSigningKey,
            encryptionKey: nodeKeys.publicEncryptionKey, power: 1)
        return Genesis(
            chainID: chainID, genesisTime: time, validators: [validator],
            organizations: organizations.map {
                GenesisOrganization(
                    name: $0.name, signingKey: $0.keys.publicSigningKey,
                    encryptionKey: $0.keys.publicEncryptionKey)
            })
    }
}
