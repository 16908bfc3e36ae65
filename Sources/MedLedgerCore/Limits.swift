/// Every size and count limit of the ledger, in one place, checked against each other below.
/// Decoders, the mempool and the HTTP layer all read these, so a value that passes one gate
/// cannot be refused by a later one for size.
public enum Limits {
    /// Largest encoded transaction accepted anywhere.
    public static let transactionMaxBytes = 64 * 1024
    /// Largest number of transactions in one block.
    public static let blockMaxTransactions = 2_000
    /// Largest encoded block body.
    public static let blockMaxBytes = 8 * 1024 * 1024
    /// Room kept in a block body for the last commit certificate (one signature per
    /// validator, about 120 bytes each, at most `validatorsMaxCount` of them).
    public static let blockLastCommitReserveBytes = 64 * 1024
    /// Largest total of encoded transactions (each with its 4-byte length prefix) in one
    /// block: the builder stops below it and validators refuse a block above it, so a
    /// proposal always fits a peer frame.
    public static let blockTransactionsMaxBytes = blockMaxBytes - blockLastCommitReserveBytes
    /// Largest JSON body the HTTP API reads (a base64 transaction plus a little framing).
    public static let httpBodyMaxBytes = transactionMaxBytes * 2
    /// Largest report ciphertext (one blob).
    public static let blobMaxBytes = 32 * 1024 * 1024
    /// Largest encrypted metadata carried on the ledger.
    public static let encryptedMetadataMaxBytes = 4 * 1024
    /// Largest number of key envelopes on one report version.
    public static let envelopesMaxCount = 16
    /// Largest number of distribution recipients named at submission.
    public static let recipientsMaxCount = 32
    /// Largest number of report ids or categories in one grant scope.
    public static let grantScopeMaxItems = 64
    /// Largest number of roles on one identity.
    public static let rolesMaxCount = 8
    /// Largest number of guardians a patient may name.
    public static let guardiansMaxCount = 8
    /// Longest category code (for example a LOINC code) or short name.
    public static let codeMaxBytes = 64
    /// Longest organization or node name in the genesis.
    public static let nameMaxBytes = 128
    /// Longest chain id.
    public static let chainIDMaxBytes = 64
    /// Generic cap on one length-prefixed field, so a decoder never allocates from a hostile length.
    public static let fieldMaxBytes = blobMaxBytes
    /// Largest number of validators (n = 3f + 1).
    public static let validatorsMaxCount = 100
    /// Largest step from a signer's last nonce to the next one. Without it, one transaction
    /// signed with nonce `UInt64.max` would leave its signer unable to sign again and push
    /// every "next nonce" computation to the edge of the integer range.
    public static let nonceMaxJump: UInt64 = 1 << 20
    /// How many rounds ahead of its own a validator keeps messages for: rounds beyond are
    /// dropped, so one Byzantine validator cannot make a node keep vote sets for every round
    /// number there is. Lower rounds always run out faster (timeouts grow with the round),
    /// so an honest laggard comes within this window by itself.
    public static let consensusMaxRoundsAhead: UInt32 = 100
    /// Most proposed blocks a consensus driver keeps executed at one height.
    public static let consensusMaxCandidateBlocks = 16
    /// Most bytes of uploaded blobs that no committed report points to yet, per uploader and
    /// in all: uploads are free, so without these a self-registered account could fill the
    /// disk with blobs it never submits.
    public static let unreferencedBlobMaxBytesPerUploader = 128 * 1024 * 1024
    public static let unreferencedBlobMaxBytes = 2 * 1024 * 1024 * 1024
    /// How long an uploaded blob may wait for the report that points to it before it is
    /// collected (milliseconds).
    public static let unreferencedBlobGraceMilliseconds: UInt64 = 60 * 60 * 1_000
    /// Largest number of transactions waiting in the mempool.
    public static let mempoolMaxTransactions = 20_000
    /// Largest total of encoded transactions waiting in the mempool.
    public static let mempoolMaxBytes = 128 * 1024 * 1024
    /// Largest number of transactions one signer may have waiting: one account cannot fill
    /// the mempool or the proposers' blocks for everyone else.
    public static let mempoolMaxPerSigner = 256
    /// Largest total of encoded transactions one signer may have waiting.
    public static let mempoolMaxBytesPerSigner = 2 * 1024 * 1024

    public static func checkConsistency() {
        precondition(transactionMaxBytes * blockMaxTransactions / 16 <= blockMaxBytes * 1,
                     "a block must hold a useful number of transactions")
        precondition(encryptedMetadataMaxBytes < transactionMaxBytes)
        precondition(httpBodyMaxBytes > transactionMaxBytes, "base64 grows a transaction by 4/3")
        precondition(blockMaxTransactions <= mempoolMaxTransactions)
        precondition(transactionMaxBytes + 4 <= blockTransactionsMaxBytes, "any admitted transaction fits a block")
        precondition(blockLastCommitReserveBytes >= validatorsMaxCount * 160, "the last commit fits its reserve")
        precondition(transactionMaxBytes <= mempoolMaxBytesPerSigner && mempoolMaxBytesPerSigner <= mempoolMaxBytes)
        precondition(mempoolMaxPerSigner <= mempoolMaxTransactions)
        precondition(blobMaxBytes <= unreferencedBlobMaxBytesPerUploader
                     && unreferencedBlobMaxBytesPerUploader <= unreferencedBlobMaxBytes, "one upload always fits a quota")
        precondition(nonceMaxJump >= UInt64(mempoolMaxPerSigner), "a signer can fill its mempool quota")
    }
}
