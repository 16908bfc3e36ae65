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
    /// Largest number of transactions waiting in the mempool.
    public static let mempoolMaxTransactions = 20_000

    static func checkConsistency() {
        precondition(transactionMaxBytes * blockMaxTransactions / 16 <= blockMaxBytes * 1,
                     "a block must hold a useful number of transactions")
        precondition(encryptedMetadataMaxBytes < transactionMaxBytes)
        precondition(httpBodyMaxBytes > transactionMaxBytes, "base64 grows a transaction by 4/3")
        precondition(blockMaxTransactions <= mempoolMaxTransactions)
    }
}
