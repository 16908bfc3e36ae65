import MedLedgerCore

/// Why a block is not valid at a chain: a stable code (what rule it breaks) with a detail
/// for people. Codes are values, not enum cases, so a rule can be added without breaking
/// callers that switch over the ones they know.
public struct BlockValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule a block breaks.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The header names another chain.
        public static let wrongChain = Code("wrong-chain")
        /// The header's height is not one above the chain tip.
        public static let wrongHeight = Code("wrong-height")
        /// The header does not link to the chain tip's hash.
        public static let wrongParent = Code("wrong-parent")
        /// The header names a validator set other than the chain's.
        public static let wrongValidatorSet = Code("wrong-validator-set")
        /// The proposer is not a validator.
        public static let unknownProposer = Code("unknown-proposer")
        /// The transactions exceed `Limits.blockTransactionsMaxBytes`.
        public static let tooLarge = Code("too-large")
        /// Block 1 carries a last commit, or a later block does not.
        public static let lastCommitPresence = Code("last-commit-presence")
        /// The header's last-commit hash is not the carried certificate's.
        public static let lastCommitHashMismatch = Code("last-commit-hash-mismatch")
        /// The carried certificate does not finalize the parent block.
        public static let badLastCommit = Code("bad-last-commit")
        /// The time is not the genesis time (block 1) or the last commit's weighted median.
        public static let timeNotMedian = Code("time-not-median")
        /// The time is not strictly later than the parent block's.
        public static let timeNotAfterParent = Code("time-not-after-parent")
        /// The transactions do not hash to the header's transactions root.
        public static let transactionsRootMismatch = Code("transactions-root-mismatch")
        /// Executing the transactions gives other receipts than the header's results root.
        public static let resultsRootMismatch = Code("results-root-mismatch")
        /// Executing the transactions gives another state root than the header's.
        public static let stateRootMismatch = Code("state-root-mismatch")
        /// The block's own commit certificate does not finalize it.
        public static let badCertificate = Code("bad-certificate")
    }

    public let code: Code
    /// The height of the block (as its header says).
    public let height: Height
    /// What exactly is wrong, for logs and `verify`'s message.
    public let detail: String

    public init(_ code: Code, height: Height, _ detail: String) {
        self.code = code
        self.height = height
        self.detail = detail
    }

    public var description: String { "block \(height): \(detail) (\(code))" }
}
