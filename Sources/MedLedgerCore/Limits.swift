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
    /// Largest number of key envelopes on one report version: the patient's, the author's
    /// and one key share per custodian (every validator).
    public static let envelopesMaxCount = validatorsMaxCount + 2
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
    /// How long a reader waits for the remaining custodians once it holds enough key shares,
    /// so that it can name those that refused or are down without a hung one stalling it.
    public static let custodyStragglerMilliseconds = 2_000
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

    // MARK: Peer-to-peer

    /// Largest payload of one peer frame (a proposal carries a whole block).
    public static let peerFramePayloadMaxBytes = 16 * 1024 * 1024
    /// Largest payload of the first frame of a peer connection (the hello, inside TLS).
    public static let peerHandshakePayloadMaxBytes = 512
    /// Most transactions in one gossip message (also split so the message fits a frame).
    public static let peerMessageMaxTransactions = 500
    /// Most blocks one block request may ask for or one response carry.
    public static let peerBlocksPerRequestMax: UInt32 = 64
    /// Blocks a syncing node asks for at once (a response also stops at the frame size).
    public static let syncBlocksPerRequest: UInt32 = 32
    /// Longest block header encoding accepted from a peer (a real one is under 400 bytes).
    public static let blockHeaderMaxBytes = 1_024
    /// Connections in the handshake, from one address and in all.
    public static let peerHalfOpenPerAddressMax = 4
    public static let peerHalfOpenMax = 64
    /// Messages from peers waiting for the consensus driver (oldest dropped first).
    public static let peerInboundQueueMax = 4_096
    /// Gossiped transactions whose signature checks a node runs or holds at once, and their
    /// bytes; gossip beyond either is dropped (its origin node keeps it and proposes it in
    /// turn). As many transactions as a mempool holds, and two full frames: a burst of 20,000
    /// submitted to a 4-validator testnet gossips about 15,000 to each node within a second,
    /// more than two cores verify in that time, and a limit of 4,000 dropped up to 5,200 of
    /// them per node. The bytes bound the memory: 20,000 of the largest would be 1.3 GB.
    public static let gossipChecksMaxTransactions = mempoolMaxTransactions
    public static let gossipChecksMaxBytes = 2 * peerFramePayloadMaxBytes
    /// One peer's share of those: a Byzantine validator's flood fills its own share, not the
    /// honest peers' room. An honest burst of 20,000 on 4 validators is about 5,000 per peer.
    public static let gossipChecksMaxTransactionsPerPeer = 8_000
    public static let gossipChecksMaxBytesPerPeer = peerFramePayloadMaxBytes
    /// Hashes of transactions whose signatures a node remembers having verified (about 1 MB):
    /// the gossip being checked and a few blocks, so a transaction that arrives both by
    /// gossip and in a block is verified once.
    public static let verifiedSignaturesMax = 16_384

    // MARK: Blob replication

    /// Largest piece of a blob in one peer message: a transfer is many request/answer pairs,
    /// so a blob of `blobMaxBytes` never needs a frame of its size.
    public static let blobChunkMaxBytes = 1024 * 1024
    /// Blob fetches one node runs at once; each buffers at most the blob's size as declared
    /// on the ledger, so a node never holds more than this many `blobMaxBytes` in transfers.
    public static let blobFetchesMax = 4
    /// How long a fetch waits for one chunk before it tries the next peer.
    public static let blobChunkTimeoutMilliseconds: UInt64 = 5_000
    /// Longest one peer may take for a whole blob, so a peer trickling chunks just inside
    /// the chunk timeout cannot hold a transfer slot for long.
    public static let blobTransferTimeoutMilliseconds: UInt64 = 60_000
    /// How often a node looks again for blobs it should hold but lacks (repair).
    public static let blobRepairIntervalMilliseconds: UInt64 = 10_000
    /// Blob messages from peers waiting for the replicator (oldest dropped first): at most
    /// this many chunks are buffered, whatever peers send.
    public static let blobInboundQueueMax = 64
    /// Most report versions one blob attestation names (each 20 bytes).
    public static let attestationHoldingsMax = 256
    /// How often a node attests the blobs it holds and has not attested yet.
    public static let attestationIntervalMilliseconds: UInt64 = 2_000
    /// Chunks a node serves one peer per second (256 MiB/s): an authenticated peer asking
    /// without pause cannot keep the disk busy for it alone. Above it the peer gets
    /// blob-unavailable and an honest fetcher tries another holder.
    public static let blobServeChunksPerPeerPerSecond = 256
    /// Most organizations named in one storage policy, and most policies in a genesis.
    public static let storagePolicyHoldersMax = 100
    public static let storagePoliciesMax = 1_000

    // MARK: Consensus

    /// Distinct proposals kept per round (two show equivocation).
    public static let proposalsPerRoundMax = 4
    /// Distinct values one equivocating validator can add to in one vote set.
    public static let voteValuesPerValidatorMax = 3
    /// Signed steps a private validator remembers.
    public static let privateValidatorStepsMax = 64

    // MARK: Records and lists

    /// Most approvals on one report version.
    public static let approvalsMaxCount = 16
    /// Most versions of one report.
    public static let reportVersionsMaxCount = 1_000
    /// Most events in one receipt (a distribution makes one per recipient, plus a few).
    public static let receiptEventsMaxCount = 256
    /// Most facts in one receipt (a refusal names a handful: a field, its problem, an id; room
    /// for a test receipt holding one fact of every kind).
    public static let receiptFactsMaxCount = 32
    /// Longest Merkle audit path (a tree of 2^64 leaves).
    public static let merklePathMaxCount = 64
    /// Most founding organizations in a genesis.
    public static let genesisOrganizationsMaxCount = 1_000
    /// Largest page of any list, and the default page.
    public static let pageMaxItems = 500
    public static let pageDefaultItems = 100
    /// Largest record of an audit-trail export (`AuditTrailExport`): one indexed event, whose
    /// fixed part is 57 bytes and whose event is made of ids and codes (under 200 bytes), so a
    /// decoder never allocates from a hostile length.
    public static let auditExportRecordMaxBytes = 1_024
    /// Rows of the event index an audit-trail export reads at a time: what the node holds in
    /// memory per export, however long the trail.
    public static let auditExportPageRows = 1_000

    // MARK: HTTP

    /// Most transactions in one `POST /v1/transaction-batches`, and its largest body.
    public static let httpBatchMaxTransactions = 500
    public static let httpBatchBodyMaxBytes = 8 * 1024 * 1024
    /// How far a signed request's timestamp may be from the node's clock (milliseconds).
    public static let httpRequestSkewMaxMilliseconds: UInt64 = 300_000
    /// How long `POST /v1/transactions?wait=commit` holds a request open for the commit.
    public static let httpCommitWaitMaxMilliseconds: UInt64 = 15_000
    /// The longest `GET /v1/blocks/{height}?wait=` a client may ask for, and how many such
    /// requests a node holds at once (one more is a 503).
    public static let httpBlockWaitMaxMilliseconds: UInt64 = 10_000
    public static let httpBlockWaitsMax = 64
    /// The largest answer a client (the CLI's gateway, the load generator) reads: a version's
    /// content, a whole blob in base64, with its proof.
    public static let httpClientAnswerMaxBytes = (blobMaxBytes + 2) / 3 * 4 + 1024 * 1024
    /// How long a client waits for one answer; longer than a `wait=commit` is held.
    public static let httpClientRequestTimeoutSeconds: Int64 = 60

    // MARK: Report metadata (sealed inside `encryptedMetadata`)

    public static let metadataTitleMaxBytes = 512
    public static let metadataEffectiveDateMaxBytes = 64
    public static let metadataNoteMaxBytes = 2_048

    public static func checkConsistency() {
        precondition(
            UInt64(httpClientRequestTimeoutSeconds) * 1_000 > httpCommitWaitMaxMilliseconds,
            "a client must outwait the node's hold on a wait=commit request")
        precondition(
            UInt64(httpClientRequestTimeoutSeconds) * 1_000 > httpBlockWaitMaxMilliseconds,
            "a client must outwait the node's hold on a block wait")
        precondition(httpClientAnswerMaxBytes > blobMaxBytes / 3 * 4, "a client reads a whole blob in base64")
        precondition(
            transactionMaxBytes * blockMaxTransactions / 16 <= blockMaxBytes * 1,
            "a block must hold a useful number of transactions")
        precondition(encryptedMetadataMaxBytes < transactionMaxBytes)
        precondition(httpBodyMaxBytes > transactionMaxBytes, "base64 grows a transaction by 4/3")
        precondition(blockMaxTransactions <= mempoolMaxTransactions)
        precondition(transactionMaxBytes + 4 <= blockTransactionsMaxBytes, "any admitted transaction fits a block")
        precondition(blockLastCommitReserveBytes >= validatorsMaxCount * 160, "the last commit fits its reserve")
        precondition(transactionMaxBytes <= mempoolMaxBytesPerSigner && mempoolMaxBytesPerSigner <= mempoolMaxBytes)
        precondition(mempoolMaxPerSigner <= mempoolMaxTransactions)
        precondition(
            blobMaxBytes <= unreferencedBlobMaxBytesPerUploader
                && unreferencedBlobMaxBytesPerUploader <= unreferencedBlobMaxBytes, "one upload always fits a quota")
        precondition(nonceMaxJump >= UInt64(mempoolMaxPerSigner), "a signer can fill its mempool quota")
        // A proposal (block body, header, proposal and framing) fits one peer frame.
        precondition(blockMaxBytes + blockHeaderMaxBytes + 4 * 1024 <= peerFramePayloadMaxBytes - 16)
        precondition(transactionMaxBytes + 64 <= peerFramePayloadMaxBytes - 16, "any transaction can be gossiped")
        precondition(peerHandshakePayloadMaxBytes >= 1 + 4 + chainIDMaxBytes + 32, "a hello fits the first-frame limit")
        precondition(peerHalfOpenPerAddressMax <= peerHalfOpenMax)
        precondition(syncBlocksPerRequest >= 1 && syncBlocksPerRequest <= peerBlocksPerRequestMax)
        precondition(peerInboundQueueMax >= validatorsMaxCount * 4)
        precondition(
            gossipChecksMaxTransactions >= peerMessageMaxTransactions
                && gossipChecksMaxBytes >= peerFramePayloadMaxBytes,
            "one gossip message of any size can be checked")
        precondition(
            gossipChecksMaxTransactionsPerPeer <= gossipChecksMaxTransactions
                && gossipChecksMaxBytesPerPeer <= gossipChecksMaxBytes
                && gossipChecksMaxTransactionsPerPeer >= peerMessageMaxTransactions
                && gossipChecksMaxBytesPerPeer >= peerFramePayloadMaxBytes,
            "a peer's share is part of the total and holds one gossip message of any size")
        precondition(httpBatchMaxTransactions <= mempoolMaxTransactions)
        precondition(httpBatchBodyMaxBytes >= httpBodyMaxBytes, "a batch body holds at least one transaction")
        precondition(receiptEventsMaxCount >= recipientsMaxCount + 4, "a distribution's events fit one receipt")
        precondition(merklePathMaxCount >= 64, "paths of any tree a UInt64 can count")
        precondition(pageDefaultItems <= pageMaxItems)
        precondition(
            metadataTitleMaxBytes + metadataEffectiveDateMaxBytes + metadataNoteMaxBytes + 32 + 64
                <= encryptedMetadataMaxBytes, "the largest metadata, sealed, fits encryptedMetadata")
        precondition(blobChunkMaxBytes + 1_024 <= peerFramePayloadMaxBytes - 16, "a blob chunk fits one frame")
        precondition(blobMaxBytes / blobChunkMaxBytes <= 64, "a blob is a bounded number of chunks")
        precondition(blobTransferTimeoutMilliseconds > blobChunkTimeoutMilliseconds, "a transfer outlasts one chunk")
        precondition(blobInboundQueueMax * blobChunkMaxBytes <= 128 * 1024 * 1024, "queued chunks stay bounded")
        precondition(
            attestationHoldingsMax * 20 + 1_024 <= transactionMaxBytes, "a full attestation is one transaction")
        precondition(storagePolicyHoldersMax >= validatorsMaxCount, "a policy can name every validator's organization")
        precondition(proposalsPerRoundMax >= 2 && voteValuesPerValidatorMax >= 2, "equivocation stays visible")
    }
}
