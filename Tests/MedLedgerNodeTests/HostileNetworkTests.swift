import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NIOCore
import NIOPosix
@testable import MedLedgerP2P
import MedLedgerClient
import MedLedgerAPIModel
import MedLedgerStorage
import MedLedgerTesting
import Testing
import MedLedgerConsensus
import MedLedgerCore
@testable import MedLedgerNode

/// Issue 6.13: three honest validators as real processes, while the test plays the fourth
/// as a Byzantine validator (its real key, the wire protocol, junk consensus messages), a
/// stranger on every peer port (garbage, oversized prefixes, idle half-open sockets) and an
/// abusive HTTP client. The honest three must keep committing, agree, keep answering
/// `/v1/status`, and keep their memory bounded.
@Suite(.serialized) struct HostileNetworkTests {
    let testnet = TestnetProcessTests()
    static let chainID = "medledger-it"

    @Test func honestValidatorsKeepCommittingUnderAttack() async throws {
        guard CLIProcess.isBuilt() else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "medledger-hostile-\(UUID().uuidString)")
        // Below the kernel's ephemeral range and apart from TestnetProcessTests' 30000+ ports.
        let basePort = try TestPorts.block(40)
        let genesis = try Testnet.initialize(
            validators: 4, directory: directory, basePort: basePort, chainID: Self.chainID,
            time: ConsensusTime(wallClock: SystemClock.now()))
        var network = TestnetProcessTests.Network(
            directory: directory, basePort: basePort, processes: [nil, nil, nil, nil])
        defer {
            for index in 0..<4 { testnet.kill(&network, index) }
            try? FileManager.default.removeItem(at: directory)
        }
        for index in 0..<3 { try testnet.start(&network, index) }
        #expect(
            await testnet.waitForHeight(network, [0, 1, 2], 2, seconds: 60), "three of four never reached height 2")

        let byzantine = try await startByzantinePeer(directory: directory, genesis: genesis, basePort: basePort)
        let junk = Task { await Self.sendJunkConsensus(byzantine, genesis: genesis, seconds: 8) }
        let gossipFlood = Task { await Self.floodGossip(byzantine, genesis: genesis, seconds: 4) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Before the idle sockets, which fill the half-open allowance of this address.
        let oversized = try await Self.oversizedPrefixOverTLS(
            directory: directory, genesis: genesis, basePort: basePort, group: group)
        let sockets = try await Self.abusePeerPorts(basePort: basePort, group: group)
        try await abuseHTTP(testnet.network(network).url(0))
        let lastLarge = try await floodLargeTransactions(network.url(0))
        await junk.value
        let floodMessages = await gossipFlood.value

        // Submitted to node 0 (another node may not have heard of it yet): wait there, then
        // the block that holds it must reach node 1 too.
        var gateway = HTTPGateway(baseURL: network.url(0))
        gateway.commitTimeoutMilliseconds = 60_000
        let committed = try await gateway.waitForCommit(lastLarge)
        #expect(
            await testnet.waitForHeight(network, [1], committed.height.rawValue, seconds: 30),
            "node 1 never got the flood's block")
        let onNode1 = try await HTTPGateway(baseURL: network.url(1)).waitForCommit(lastLarge)
        #expect(onNode1.height == committed.height, "the flood of large transactions was never committed everywhere")
        let before = await testnet.status(network, 0)?.height ?? 0
        #expect(
            await testnet.waitForHeight(network, [0, 1, 2], before + 3, seconds: 60),
            "honest validators stopped committing")
        for index in 0..<3 {
            #expect(await testnet.status(network, index) != nil, "node \(index) stopped answering /v1/status")
            let rss = Self.residentMegabytes(network.processes[index])
            #expect(rss < 1_024, "node \(index) uses \(rss) MB")
        }
        await testnet.expectAgreement(network, [0, 1, 2], upTo: before + 2)
        // The attacks reached the nodes and were refused, not ignored by accident.
        let log = (try? String(contentsOf: directory.appendingPathComponent("node0.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("exceeds limit"), "oversized prefix not seen")
        #expect(log.contains("TLS handshake failed"), "cleartext garbage not refused by TLS")
        #expect(log.contains("too many connections in the handshake"), "half-open flood not seen")
        let dropped = try await MetricsScrape.total("medledger_gossip_transactions_dropped_total", at: network.url(0))
        #expect(
            log.contains("dropping gossiped transactions") && dropped > 0,
            "\(floodMessages) 13 MB gossip messages sent, but node 0 dropped none (\(dropped) on /metrics)")
        for socket in sockets + oversized { try? await socket.close() }
        await byzantine.stop()
        try await group.shutdownGracefully()
    }

    /// Node 3's real key, speaking the protocol from the test process.
    func startByzantinePeer(directory: URL, genesis: Genesis, basePort: Int) async throws -> PeerNetwork {
        let keys = try KeyFile.load(DataDirectory(directory.appendingPathComponent("node3")).nodeKeyFile).keys()
        let peers = genesis.validatorSet.validators.enumerated().compactMap {
            index, validator -> (IdentityID, String, Int)? in
            guard let node = Self.nodeIndex(of: validator.id, genesis: genesis, directory: directory), node < 3 else {
                return nil
            }
            _ = index
            return (validator.id, "127.0.0.1", Testnet.p2pPort(base: basePort, index: node))
        }
        let peer = PeerNetwork(
            chainID: genesis.chainID, genesisHash: genesis.hash, validators: genesis.validatorSet,
            keys: keys, host: "127.0.0.1", port: Testnet.p2pPort(base: basePort, index: 3), peers: peers)
        try await peer.start()
        #expect(
            await eventually { peer.connectedPeers.count == 3 },
            "the Byzantine validator must be connected to all three honest ones for its junk to count")
        return peer
    }

    static func nodeIndex(of id: IdentityID, genesis: Genesis, directory: URL) -> Int? {
        (0..<4).first { index in
            let file = DataDirectory(directory.appendingPathComponent("node\(index)")).nodeKeyFile
            return (try? KeyFile.load(file).keys().identityID) == id
        }
    }

    /// Far-future votes with valid signatures, proposals from a validator that is not the
    /// round's proposer, votes for heights far ahead, and transactions with bad signatures.
    static func sendJunkConsensus(_ peer: PeerNetwork, genesis: Genesis, seconds: Double) async {
        let keys = peer.identity.keys
        let deadline = Date().addingTimeInterval(seconds)
        var round: Round = 1_000
        while Date() < deadline {
            for height: Height in [2, 3, 4, 5] {
                for type in [VoteType.prevote, .precommit] {
                    peer.broadcast(
                        .vote(
                            SignedVote(
                                vote: Vote(
                                    type: type, chainID: genesis.chainID, height: height, round: round,
                                    blockHash: Hash256.of([UInt8(round.rawValue & 0xff)]),
                                    time: ConsensusTime(wallClock: SystemClock.now())), keys: keys)))
                }
                let proposalRound =
                    (0..<UInt32(50)).map(Round.init(rawValue:)).first {
                        TendermintMachine.proposer(validators: genesis.validatorSet, height: height, round: $0)
                            != keys.identityID
                    } ?? 0
                let header = BlockHeader(
                    chainID: genesis.chainID, height: height, time: ConsensusTime(wallClock: SystemClock.now()),
                    previousBlockHash: Hash256.of([1]), lastCommitHash: .zero, transactionsRoot: .empty,
                    resultsRoot: .empty, stateRoot: .empty, validatorsHash: genesis.validatorSet.hash,
                    proposer: keys.identityID)
                let block = Block(
                    header: header,
                    lastCommit: CommitCertificate(
                        height: height - 1, round: 0, blockHash: .zero,
                        signatures: []), transactions: [])
                peer.broadcast(
                    .proposal(
                        Proposal(
                            chainID: genesis.chainID, height: height, round: proposalRound, validRound: nil,
                            blockHash: block.hash, keys: keys), block))
            }
            peer.broadcast(
                .vote(
                    SignedVote(
                        vote: Vote(
                            type: .prevote, chainID: genesis.chainID, height: 1_000_000, round: 0,
                            blockHash: nil, time: ConsensusTime(wallClock: SystemClock.now())), keys: keys)))
            let stranger = IdentityKeys.generate()
            var forged = Transaction(
                chainID: genesis.chainID, signer: stranger.identityID, keys: stranger, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: stranger))
            ).encoded
            forged[forged.count - 1] ^= 1
            if let bad = try? Transaction.decode(forged) {
                peer.broadcast(.transactions(Array(repeating: bad, count: 50)))
            }
            round += 1
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Gossip messages of 300 forged 44 KB transactions each (13 MB, near a frame's limit) as
    /// fast as the honest nodes read them. Two in flight are past a peer's 16 MiB share of
    /// the checks, so the nodes must drop the rest unchecked; by bytes rather than by count,
    /// because a busy test machine reads too slowly to pile up 8,000 small ones. Returns how
    /// many messages went out (to all peers together).
    static func floodGossip(_ peer: PeerNetwork, genesis: Genesis, seconds: Double) async -> Int {
        let stranger = ClientIdentity(label: "gossip-flood", keys: IdentityKeys.generate())
        var forged = Transaction(
            chainID: genesis.chainID, signer: stranger.id, keys: stranger.keys, nonce: 1,
            payload: LargePayloads.submission(by: stranger, index: 0)
        ).encoded
        forged[forged.count - 1] ^= 1
        guard let bad = try? Transaction.decode(forged) else { return 0 }
        let message = PeerMessage.transactions(Array(repeating: bad, count: 300))
        let deadline = Date().addingTimeInterval(seconds)
        var sent = 0
        while Date() < deadline {
            // Not written to a peer that stopped reading: wait for it to catch up.
            let reached = peer.broadcast(message)
            sent += reached
            try? await Task.sleep(nanoseconds: reached == 0 ? 2_000_000 : 0)
        }
        return sent
    }

    /// Garbage, an oversized length prefix, and idle sockets that never finish the handshake,
    /// on every honest node's peer port. Returns the idle sockets (closed by the caller).
    static func abusePeerPorts(basePort: Int, group: MultiThreadedEventLoopGroup) async throws -> [any Channel] {
        var idle = [any Channel]()
        for index in 0..<3 {
            let port = Testnet.p2pPort(base: basePort, index: index)
            let bootstrap = ClientBootstrap(group: group)
            let garbage = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
            try await garbage.writeAndFlush(ByteBuffer(bytes: [0, 0, 0, 40] + Array(repeating: 0xAB, count: 40)))
            let oversized = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
            try await oversized.writeAndFlush(ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF]))
            for _ in 0..<8 {
                if let socket = try? await bootstrap.connect(host: "127.0.0.1", port: port).get() {
                    idle.append(socket)
                }
            }
        }
        return idle
    }

    /// Node 3's real key gets through TLS (only a validator can), then sends a length prefix
    /// far over the hello limit to each honest node: refused on the prefix alone.
    static func oversizedPrefixOverTLS(
        directory: URL, genesis: Genesis, basePort: Int, group: MultiThreadedEventLoopGroup
    ) async throws -> [any Channel] {
        func keys(_ index: Int) throws -> IdentityKeys {
            try KeyFile.load(DataDirectory(directory.appendingPathComponent("node\(index)")).nodeKeyFile).keys()
        }
        let byzantine = try keys(3)
        let tls = try PeerTLS(keys: byzantine, certificatePEM: PeerCertificate.makePEM(keys: byzantine))
        let identity = PeerIdentity(
            chainID: genesis.chainID, genesisHash: genesis.hash, validators: genesis.validatorSet, keys: byzantine)
        var channels = [any Channel]()
        for index in 0..<3 {
            let target = try keys(index).identityID
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            tls.handler(identity: identity, expectedPeer: target, verdict: PeerTLSVerdict()))
                    }
                }
                .connect(host: "127.0.0.1", port: Testnet.p2pPort(base: basePort, index: index)).get()
            // The node closes on the prefix; whether our write completes first does not matter.
            try? await channel.writeAndFlush(ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF]))
            channels.append(channel)
        }
        return channels
    }

    /// The HTTP attacks of the review: nonce overflow, a stranger's blob, a bad cursor.
    func abuseHTTP(_ url: URL) async throws {
        let gateway = HTTPGateway(baseURL: url)
        let mallory = IdentityKeys.generate()
        let overflow = Transaction(
            chainID: Self.chainID, signer: mallory.identityID, keys: mallory, nonce: .max,
            payload: .registerPatient(RegisterPatient(keys: mallory)))
        await #expect(throws: NodeError.self) { _ = try await gateway.submit(overflow) }
        #expect(try await gateway.nextNonce(for: mallory.identityID) == 1)
        let stranger = ClientIdentity(label: "stranger", keys: mallory)
        await #expect(throws: NodeError.self) {
            _ = try await gateway.putBlob(Array(repeating: 1, count: 1 << 20), caller: stranger)
        }
    }

    /// Issue 6.2 over the wire: 200 free accounts each send a 44 KB transaction at once,
    /// more than one block may hold (this used to halt the chain for good). Returns the hash
    /// of the last one, which must commit.
    func floodLargeTransactions(_ url: URL, accounts: Int = 200) async throws -> Hash256 {
        let gateway = HTTPGateway(baseURL: url)
        let people = (0..<accounts).map { ClientIdentity(label: "flood-\($0)", keys: IdentityKeys.generate()) }
        var registrations = [Hash256]()
        for person in people {
            registrations.append(
                try await gateway.submit(
                    Transaction(
                        chainID: Self.chainID, signer: person.id, keys: person.keys, nonce: 1,
                        payload: .registerPatient(RegisterPatient(keys: person.keys)))))
        }
        _ = try await gateway.waitForCommit(registrations[registrations.count - 1])
        var last = Hash256.zero
        for (index, person) in people.enumerated() {
            last = try await gateway.submit(
                Transaction(
                    chainID: Self.chainID, signer: person.id, keys: person.keys, nonce: 2,
                    payload: LargePayloads.submission(by: person, index: index)))
        }
        return last
    }

    /// Resident memory of a node process, from /proc (0 when unreadable).
    static func residentMegabytes(_ process: Process?) -> Int {
        guard let pid = process?.processIdentifier,
            let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1_024
    }
}

extension TestnetProcessTests {
    func network(_ network: Network) -> Network { network }
}
