import Foundation
import MedLedgerConsensus
import MedLedgerContracts
import MedLedgerCore
import MedLedgerAPIModel
@testable import MedLedgerP2P

// Writes the seed corpora under Fuzz/corpus/<target>/ (run by `scripts/fuzz.sh seeds`).
// Built like the fuzz targets, but it fuzzes nothing. Every seed is built from
// deterministic keys and constants or read from the golden vectors, so re-running it gives
// the same files, except where Ed25519 signatures (randomized in swift-crypto) are inside.

/// Seeds that follow the valid encodings closely, so the fuzzer starts deep in each decoder.
enum Seeds {
    static let chainID = "fuzz-chain"
    static let validatorKeys = (0..<4).map { IdentityKeys.deterministic(seed: "fuzz-validator-\($0)") }
    static let authorKeys = IdentityKeys.deterministic(seed: "fuzz-author")
    static let patientKeys = IdentityKeys.deterministic(seed: "fuzz-patient")
    static let callerKeys = IdentityKeys.deterministic(seed: "fuzz-caller")
    static let xwingPatientKeys = IdentityKeys.deterministic(seed: "fuzz-xwing-patient", suite: .xwing)
    static let reportID = ReportID(bytes: Array(0x00...0x0f))!
    static let grantID = GrantID(bytes: Array(0x70...0x7f))!

    static var validators: ValidatorSet {
        ValidatorSet(
            validatorKeys.enumerated().map { index, keys in
                Validator(
                    name: "v\(index)", signingKey: keys.publicSigningKey, encryptionKey: keys.publicEncryptionKey,
                    power: 10)
            })
    }

    static var content: ReportContent {
        ReportContent(
            contentAddress: Hash256.of(Array("ciphertext".utf8)), sizeBytes: 4_096,
            commitment: Hash256.of(Array("commitment".utf8)), encryptedMetadata: Array(repeating: 0x42, count: 24),
            envelopes: [
                KeyEnvelope(
                    recipient: patientKeys.identityID, encapsulatedKey: Array(repeating: 1, count: 32),
                    wrappedKey: Array(repeating: 2, count: 48))
            ],
            shareCommitments: [Hash256.of(Array("share 1".utf8))])
    }

    static var payloads: [(String, TransactionPayload)] {
        [
            (
                "register-practitioner",
                .registerPractitioner(
                    RegisterPractitioner(
                        organization: validatorKeys[0].identityID, signingKey: authorKeys.publicSigningKey,
                        encryptionKey: authorKeys.publicEncryptionKey, roles: [.author, .reader]))
            ),
            ("register-patient", .registerPatient(RegisterPatient(keys: patientKeys))),
            ("rotate-keys", .rotateKeys(RotateKeys(newKeys: callerKeys))),
            (
                "set-identity-status",
                .setIdentityStatus(SetIdentityStatus(target: authorKeys.identityID, status: .suspended))
            ),
            ("set-guardian", .setGuardian(SetGuardian(guardian: callerKeys.identityID, isGuardian: true))),
            (
                "submit-report",
                .submitReport(
                    SubmitReport(
                        report: reportID, patient: patientKeys.identityID,
                        category: Code("LAB")!, content: content,
                        recipients: [validatorKeys[0].identityID]))
            ),
            ("approve-report", .approveReport(ApproveReport(report: reportID, version: 1))),
            (
                "revise-report",
                .reviseReport(
                    ReviseReport(
                        report: reportID, previousVersion: 1, kind: .amend,
                        reason: .clericalError, content: content))
            ),
            ("mark-entered-in-error", .markEnteredInError(MarkEnteredInError(report: reportID, reason: .wrongPatient))),
            (
                "rekey-report",
                .rekeyReport(
                    RekeyReport(
                        report: reportID, version: 1, previousContentAddress: Hash256.of(Array("old".utf8)),
                        content: content))
            ),
            (
                "grant-access-reports",
                .grantAccess(
                    GrantAccess(
                        grant: grantID, patient: patientKeys.identityID,
                        grantee: authorKeys.identityID, scope: .reports([reportID]),
                        purpose: .treatment, validFrom: nil,
                        validUntil: ConsensusTime(milliseconds: 1_900_000_000_000)))
            ),
            (
                "grant-access-categories",
                .grantAccess(
                    GrantAccess(
                        grant: grantID, patient: patientKeys.identityID,
                        grantee: authorKeys.identityID,
                        scope: .categories([Code("LAB")!, Code("11502-2")!]),
                        purpose: .research,
                        validFrom: ConsensusTime(milliseconds: 1), validUntil: nil))
            ),
            ("revoke-grant", .revokeGrant(RevokeGrant(grant: grantID))),
            ("access-report", .accessReport(AccessReport(report: reportID, version: 1, purpose: .emergency))),
            (
                "attest-blobs",
                .attestBlobs(
                    AttestBlobs(holdings: [
                        BlobHolding(report: reportID, version: 1), BlobHolding(report: reportID, version: 2),
                    ]))
            ),
            // Last, so the other seeds keep their nonces: an X-Wing key in the extended form
            // (ADR 11), marker, suite tag, 1,216 bytes.
            ("register-patient-xwing", .registerPatient(RegisterPatient(keys: xwingPatientKeys))),
            (
                "open-case",
                .openCase(
                    OpenCase(
                        caseID: CaseID(bytes: Array(0x20...0x2f))!, accessTransaction: Hash256.of([1, 2, 3]),
                        report: reportID, reader: authorKeys.identityID, concern: .notInvolvedInCare))
            ),
            (
                "resolve-case",
                .resolveCase(ResolveCase(caseID: CaseID(bytes: Array(0x20...0x2f))!, resolution: .referred))
            ),
        ]
    }

    static var transactions: [(String, Transaction)] {
        payloads.enumerated().map { index, named in
            (
                named.0,
                Transaction(
                    chainID: chainID, signer: authorKeys.identityID, keys: authorKeys,
                    nonce: Nonce(UInt64(index + 1)), payload: named.1)
            )
        }
    }

    static func header(height: Height, lastCommit: CommitCertificate?, transactions: [Transaction]) -> BlockHeader {
        BlockHeader(
            chainID: chainID, height: height, time: ConsensusTime(milliseconds: 1_767_225_600_000 + height.rawValue),
            previousBlockHash: Hash256.of(Array("block \(height - 1)".utf8)),
            lastCommitHash: Block.lastCommitHash(lastCommit),
            transactionsRoot: Block.transactionsRoot(transactions), resultsRoot: .zero,
            stateRoot: Hash256.of(Array("state".utf8)), validatorsHash: validators.hash,
            proposer: validatorKeys[0].identityID)
    }

    /// A certificate with valid precommit signatures of three of the four validators.
    static func certificate(for header: BlockHeader, round: Round = 0) -> CommitCertificate {
        let signatures = validatorKeys.prefix(3).enumerated().map { index, keys in
            let time = ConsensusTime(milliseconds: header.time.milliseconds + UInt64(index) * 100)
            let vote = Precommit.vote(
                chainID: header.chainID, height: header.height, round: round,
                blockHash: header.hash, time: time)
            return CommitSignature(validator: keys.identityID, time: time, signature: keys.sign(vote.canonicalBytes))
        }
        return CommitCertificate(height: header.height, round: round, blockHash: header.hash, signatures: signatures)
    }

    static var blocks: [(Block, CommitCertificate)] {
        let txs = transactions.map(\.1)
        let header1 = header(height: 1, lastCommit: nil, transactions: Array(txs.prefix(2)))
        let block1 = Block(header: header1, lastCommit: nil, transactions: Array(txs.prefix(2)))
        let commit1 = certificate(for: header1)
        let header2 = header(height: 2, lastCommit: commit1, transactions: [txs[5]])
        let block2 = Block(header: header2, lastCommit: commit1, transactions: [txs[5]])
        return [(block1, commit1), (block2, certificate(for: header2, round: 2))]
    }

    static var genesis: Genesis {
        Genesis(
            chainID: chainID, genesisTime: ConsensusTime(milliseconds: 1_767_225_600_000),
            validators: validators.validators,
            organizations: [
                GenesisOrganization(
                    name: "General Hospital", signingKey: authorKeys.publicSigningKey,
                    encryptionKey: authorKeys.publicEncryptionKey)
            ])
    }

    /// Two replicas per blob; the hospital's blobs only on its own node.
    static var genesisWithStoragePolicy: Genesis {
        let plain = genesis
        let hospital = plain.organizations[0].id
        return Genesis(
            chainID: plain.chainID, genesisTime: plain.genesisTime, validators: plain.validators,
            organizations: plain.organizations,
            storage: GenesisStorage(
                replicas: 2, nodes: [NodeAffiliation(node: plain.validators[0].id, organization: hospital)],
                policies: [StoragePolicy(organization: hospital, holderOrganizations: [hospital])]))
    }

    static var peerIdentities: (ours: PeerIdentity, theirs: PeerIdentity) {
        let genesisHash = Hash256.of(Array("fuzz-genesis".utf8))
        return (
            PeerIdentity(chainID: chainID, genesisHash: genesisHash, validators: validators, keys: validatorKeys[0]),
            PeerIdentity(chainID: chainID, genesisHash: genesisHash, validators: validators, keys: validatorKeys[1])
        )
    }

    static var peerMessages: [(String, PeerMessage)] {
        let (block2, _) = blocks[1]
        let proposal = Proposal(
            chainID: chainID, height: 2, round: 1, validRound: 0, blockHash: block2.hash,
            keys: validatorKeys[0])
        let vote = SignedVote(
            vote: Vote(
                type: .prevote, chainID: chainID, height: 2, round: 1, blockHash: block2.hash,
                time: ConsensusTime(milliseconds: 1_767_225_601_000)), keys: validatorKeys[1])
        let nilVote = SignedVote(
            vote: Vote(
                type: .precommit, chainID: chainID, height: 2, round: 1, blockHash: nil,
                time: ConsensusTime(milliseconds: 1_767_225_601_000)), keys: validatorKeys[2])
        return [
            ("proposal", .proposal(proposal, block2)),
            ("vote", .vote(vote)),
            ("vote-nil", .vote(nilVote)),
            ("transaction", .transaction(transactions[5].1)),
            ("status-request", .statusRequest),
            ("status", .status(height: 7, latestBlockHash: block2.hash)),
            ("block-request", .blockRequest(from: 1, count: 2)),
            ("block-response", .blockResponse(blocks)),
            ("ping", .ping(42)),
            ("pong", .pong(42)),
            ("blob-request", .blobRequest(address: block2.hash, offset: 1_048_576)),
            (
                "blob-chunk",
                .blobChunk(BlobChunk(address: block2.hash, offset: 2, totalBytes: 10, bytes: [1, 2, 3, 4, 5]))
            ),
            ("blob-unavailable", .blobUnavailable(address: block2.hash)),
            ("transactions", .transactions(Array(transactions.map(\.1).prefix(3)))),
        ]
    }
}

/// The golden vectors of the core tests, as canonical bytes by file name.
func goldenVectors(root: URL) -> [String: [UInt8]] {
    struct Vector: Decodable { let hex: String }
    let folder = root.appendingPathComponent("Tests/MedLedgerCoreTests/Vectors")
    var vectors = [String: [UInt8]]()
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".json")
    {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),
            let vector = try? JSONDecoder().decode(Vector.self, from: data), let bytes = Hex.decode(vector.hex)
        else {
            fatalError("cannot read golden vector \(name)")
        }
        vectors[String(name.dropLast(5))] = bytes
    }
    return vectors
}

func framed(_ payloads: [[UInt8]]) -> [UInt8] {
    payloads.flatMap { payload in withUnsafeBytes(of: UInt32(payload.count).bigEndian, Array.init) + payload }
}

func json<T: Encodable>(_ value: T) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array(try! encoder.encode(value))
}

func writeSeeds(root: URL) {
    var corpus = [String: [(String, [UInt8])]]()
    let golden = goldenVectors(root: root)
    let transactions = Seeds.transactions

    // Canonical core types.
    let goldenSigning = golden["transaction-signing-bytes"]!
    corpus["FuzzTransaction"] =
        [("golden-submit-report", goldenSigning + [UInt8](repeating: 0, count: 64))]
        + transactions.map { ($0.0, $0.1.encoded) }
    var goldenDecoder = CanonicalDecoder(goldenSigning)  // skip to the payload of the golden transaction
    _ = try! goldenDecoder.readString("tag", maxBytes: 32)
    _ = try! goldenDecoder.readString("chain", maxBytes: 64)
    _ = try! goldenDecoder.readFixed("signer and key", count: 64)
    _ = try! goldenDecoder.readUInt64("nonce")
    corpus["FuzzPayload"] =
        [("golden-submit-report", Array(goldenSigning.suffix(goldenDecoder.remaining)))]
        + Seeds.payloads.map { ($0.0, $0.1.canonicalBytes) }
    let blocks = Seeds.blocks
    corpus["FuzzBlockHeader"] =
        [("golden-height-42", golden["block-header"]!)]
        + blocks.map { ("height-\($0.0.header.height)", $0.0.header.canonicalBytes) }
    corpus["FuzzBlockBody"] =
        blocks.map { ("height-\($0.0.header.height)", $0.0.encodedBody) }
        + [
            (
                "empty",
                Block(
                    header: Seeds.header(height: 1, lastCommit: nil, transactions: []), lastCommit: nil,
                    transactions: []
                ).encodedBody
            )
        ]
    let fixedHeader = BlockHeader(
        chainID: "fuzz-chain", height: 1, time: ConsensusTime(milliseconds: 0),
        previousBlockHash: .zero, lastCommitHash: .zero, transactionsRoot: .zero,
        resultsRoot: .zero, stateRoot: .zero, validatorsHash: Seeds.validators.hash,
        proposer: Seeds.validators.validators[0].id)
    corpus["FuzzCommitCertificate"] =
        blocks.map { ("height-\($0.0.header.height)", $0.1.canonicalBytes) }
        + [("valid-for-fixture", Seeds.certificate(for: fixedHeader).canonicalBytes)]

    // JSON files.
    let goldenGenesis = try! Genesis.decode(canonical: golden["genesis"]!)
    corpus["FuzzGenesis"] = [
        ("golden", json(goldenGenesis)), ("four-validators", json(Seeds.genesis)),
        ("storage-policy", json(Seeds.genesisWithStoragePolicy)),
    ]
    corpus["FuzzKeyFile"] = [
        ("with-identity", json(KeyFile(label: "author", keys: Seeds.authorKeys))),
        ("xwing", json(KeyFile(label: "pq", keys: Seeds.xwingPatientKeys))),
        (
            "without-identity",
            Array(
                #"{"label":"x","signingKey":"\#(Hex.encode(Seeds.callerKeys.signing.rawRepresentation))","encryptionKey":"\#(Hex.encode(Seeds.callerKeys.encryption.rawRepresentation))"}"#
                    .utf8)
        ),
    ]

    // Peer protocol.
    let theirs = Seeds.peerIdentities.theirs
    let hello = theirs.hello
    // A genuine validator certificate (DER), and one for a key outside the genesis.
    func certificateDER(_ keys: IdentityKeys) -> [UInt8] {
        let pem = try! PeerCertificate.makePEM(keys: keys, now: Date(timeIntervalSince1970: 1_795_000_000))
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(Data(base64Encoded: body)!)
    }
    corpus["FuzzHandshake"] = [
        ("hello", hello.canonicalBytes), ("validator-certificate", certificateDER(theirs.keys)),
        ("stranger-certificate", certificateDER(IdentityKeys.deterministic(seed: "fuzz-stranger"))),
    ]
    let messages = Seeds.peerMessages
    corpus["FuzzPeerMessage"] = messages.map { ($0.0, $0.1.canonicalBytes) }
    corpus["FuzzPeerFrame"] = [
        (
            "hello-then-ping",
            [1] + framed([hello.canonicalBytes, PeerMessage.ping(1).canonicalBytes])
        ),
        ("bytewise", [0] + framed([PeerMessage.statusRequest.canonicalBytes, PeerMessage.ping(7).canonicalBytes])),
        ("messages-chunked", [3] + framed(messages.prefix(6).map { $0.1.canonicalBytes })),
        ("block-response", [255] + framed([messages.first { $0.0 == "block-response" }!.1.canonicalBytes])),
        ("oversized-prefix", [0] + [0x01, 0x00, 0x00, 0x01, 0xAA]),
    ]

    // HTTP.
    let base64 = transactions.map { Data($0.1.encoded).base64EncodedString() }
    corpus["FuzzAPIBody"] = [
        ("single", [0] + Array(#"{"transaction":"\#(base64[5])"}"#.utf8)),
        ("batch", [1] + Array(#"{"transactions":["\#(base64[0])","\#(base64[1])","bm90IGEgdHg="]}"#.utf8)),
        ("wrong-type", [0] + Array(#"{"transaction":42}"#.utf8)),
    ]
    let now: UInt64 = 1_800_000_000_000
    let caller = ClientIdentity(label: "caller", id: Seeds.callerKeys.identityID, keys: Seeds.callerKeys)
    var requests = [(String, [UInt8])]()
    for (name, method, path, body) in [
        ("get", "GET", "/v1/patients/x/reports", [UInt8]()),
        ("post-key", "POST", "/v1/reports/00/versions/1/key?x=1", Array("{}".utf8)),
    ] {
        let headers = RequestAuthentication.headers(
            for: method, pathAndQuery: path, body: body, chainID: "fuzz-chain",
            identity: caller, now: WallClockTime(milliseconds: now - 1_000))
        let fields = headers.map { Array($0.1.utf8) } + [Array(method.utf8), Array(path.utf8), body]
        requests.append((name, Array(fields.joined(separator: [0]))))
    }
    requests.append(("anonymous", []))
    requests.append(("stale", Array("\(caller.id.hex)\u{0}1\u{0}AAAA".utf8)))
    corpus["FuzzRequestAuth"] = requests
    corpus.merge(fhirSeeds(root: root)) { $1 }

    for (target, seeds) in corpus {
        let folder = root.appendingPathComponent("Fuzz/corpus/\(target)")
        try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in seeds {
            try! Data(bytes).write(to: folder.appendingPathComponent("seed-\(name)"))
        }
        print("\(target): \(seeds.count) seeds")
    }
}

/// The libFuzzer runtime linked by `-sanitize=fuzzer` refers to this symbol; nothing calls it.
@_cdecl("LLVMFuzzerTestOneInput")
public func noInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { 0 }
