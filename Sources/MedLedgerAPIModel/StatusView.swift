import MedLedgerCore

/// `GET /v1/status`: where the chain stands.
public struct StatusView: Codable, Sendable {
    public struct ValidatorView: Codable, Sendable {
        public let id: String
        public let name: String
        public let power: UInt64
        public let signingKey: String
        public let encryptionKey: String

        public init(id: String, name: String, power: UInt64, signingKey: String, encryptionKey: String) {
            self.id = id
            self.name = name
            self.power = power
            self.signingKey = signingKey
            self.encryptionKey = encryptionKey
        }
    }

    public let chainId: String
    public let nodeId: String
    public let height: UInt64
    /// The latest block's state root; the zero hash before block 1.
    public let appHash: String
    public let latestBlockHash: String
    public let latestBlockTime: String
    public let latestBlockTimeMs: UInt64
    public let pendingTransactions: Int
    public let validators: [ValidatorView]

    public init(
        chainId: String, nodeId: String, height: UInt64, appHash: String, latestBlockHash: String,
        latestBlockTime: String, latestBlockTimeMs: UInt64, pendingTransactions: Int,
        validators: [ValidatorView]
    ) {
        self.chainId = chainId
        self.nodeId = nodeId
        self.height = height
        self.appHash = appHash
        self.latestBlockHash = latestBlockHash
        self.latestBlockTime = latestBlockTime
        self.latestBlockTimeMs = latestBlockTimeMs
        self.pendingTransactions = pendingTransactions
        self.validators = validators
    }
}
