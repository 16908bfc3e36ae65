import Foundation
import Logging
import MedLedgerCore
@testable import MedLedgerNode
import MedLedgerP2P
import MedLedgerStorage
import MedLedgerTesting
import Testing

/// `BlobReplicator` against a peer the test plays over a real peer link: forged or oversized
/// transfers are refused and nothing is stored; chunks nobody asked for are dropped; a blob is
/// served only to nodes its organization's storage policy allows.
@Suite(.serialized) struct BlobReplicatorTests {
    /// Validator A runs the replicator; validator B is the test. Organization 0 runs A and
    /// organization 1 runs B; organization 0's blobs may only be held by organization 0.
    struct Rig {
        let node: LedgerNode
        let directory: URL
        let replicator: BlobReplicator
        let ours: PeerNetwork
        let peer: PeerNetwork
        let nodeID: IdentityID
        let restricted: IdentityID
        let open: IdentityID

        static func make() async throws -> Rig {
            let keys = [IdentityKeys.deterministic(seed: "replicator-a"), .deterministic(seed: "replicator-b")]
            let orgs = [IdentityKeys.deterministic(seed: "replicator-org-0"), .deterministic(seed: "replicator-org-1")]
            let genesis = Genesis(
                chainID: "replicator-test", genesisTime: ConsensusTime(milliseconds: 1_795_000_000_000),
                validators: TestValidators.from(keys),
                organizations: orgs.enumerated().map {
                    GenesisOrganization(
                        name: "org\($0.offset)", signingKey: $0.element.publicSigningKey,
                        encryptionKey: $0.element.publicEncryptionKey)
                },
                storage: GenesisStorage(
                    nodes: zip(keys, orgs).map {
                        NodeAffiliation(node: $0.0.identityID, organization: $0.1.identityID)
                    },
                    policies: [
                        StoragePolicy(organization: orgs[0].identityID, holderOrganizations: [orgs[0].identityID])
                    ]
                ))
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "medledger-repl-\(UUID().uuidString)")
            try DataDirectory(url).initialize(genesis: genesis, nodeKeys: KeyFile(label: "a", keys: keys[0]))
            let node = try LedgerNode(dataDirectory: DataDirectory(url))
            // Index 0 runs the replicator, index 1 is the test's peer.
            let (ours, theirs) = try await ConnectedPeers.connect(genesis: genesis, keys: keys)
            let replicator = await BlobReplicator(node: node, network: ours, logger: Logger(label: "blobs"))
            let inbound = ours.blobInbound
            Task { for await (from, message) in inbound { await replicator.handle(message, from: from) } }
            return Rig(
                node: node, directory: url, replicator: replicator, ours: ours, peer: theirs,
                nodeID: keys[0].identityID, restricted: orgs[0].identityID, open: orgs[1].identityID)
        }

        func stop() async {
            await ours.stop()
            await peer.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        /// The test's peer answers every request it gets with `answer(request offset)`.
        func answerRequests(_ answer: @escaping @Sendable (Hash256, UInt32) -> PeerMessage?) -> Task<Void, Never> {
            let (peer, nodeID) = (peer, nodeID)
            return Task {
                for await (_, message) in peer.blobInbound {
                    guard case .blobRequest(let address, let offset) = message, let reply = answer(address, offset)
                    else { continue }
                    peer.send(reply, to: nodeID)
                }
            }
        }

        /// Asks the replicator's node for a chunk as the test's peer; the answer.
        func request(_ address: Hash256, offset: UInt32 = 0) async -> PeerMessage? {
            let stream = peer.blobInbound
            let reply = Task { () -> PeerMessage? in
                for await (_, message) in stream { return message }
                return nil
            }
            peer.send(.blobRequest(address: address, offset: offset), to: nodeID)
            let timeout = Task {
                try? await Task.sleep(nanoseconds: 5_000_000_000)
                reply.cancel()
            }
            defer { timeout.cancel() }
            return await reply.value
        }
    }

    static let blob = (0..<(Limits.blobChunkMaxBytes + 5_000)).map { UInt8(truncatingIfNeeded: $0 &* 13) }

    func need(organization: IdentityID, size: Int = blob.count) -> BlobNeed {
        BlobNeed(
            content: ReportContent.sample(address: Hash256.of(Self.blob), sizeBytes: UInt64(size)),
            organization: organization)
    }

    func chunk(of bytes: [UInt8], at offset: UInt32, total: Int? = nil) -> PeerMessage {
        let end = min(bytes.count, Int(offset) + Limits.blobChunkMaxBytes)
        return .blobChunk(
            BlobChunk(
                address: Hash256.of(Self.blob), offset: offset, totalBytes: UInt32(total ?? bytes.count),
                bytes: Array(bytes[Int(offset)..<end])))
    }

    @Test func aPeerServingTheRightBytesFillsTheStore() async throws {
        let rig = try await Rig.make()
        let server = rig.answerRequests { _, offset in chunk(of: Self.blob, at: offset) }
        defer { server.cancel() }
        #expect(await rig.replicator.fetch(need(organization: rig.open)))
        #expect(try rig.node.blobs.get(Hash256.of(Self.blob)) == Self.blob)
        await rig.stop()
    }

    @Test func forgedBytesAreRefusedAndNotStored() async throws {
        let rig = try await Rig.make()
        var forged = Self.blob
        forged[Limits.blobChunkMaxBytes + 1] ^= 0xFF
        let server = rig.answerRequests { [forged] _, offset in chunk(of: forged, at: offset) }
        defer { server.cancel() }
        #expect(await rig.replicator.fetch(need(organization: rig.open)) == false)
        #expect(!rig.node.blobs.contains(Hash256.of(Self.blob)))
        await rig.stop()
    }

    @Test func aBlobLargerThanTheLedgerDeclaresIsRefusedAtItsFirstChunk() async throws {
        let rig = try await Rig.make()
        let requests = Counter()
        let server = rig.answerRequests { _, offset in
            requests.increment()
            return chunk(of: Self.blob, at: offset, total: Limits.blobMaxBytes)
        }
        defer { server.cancel() }
        #expect(await rig.replicator.fetch(need(organization: rig.open)) == false)
        #expect(requests.value == 1, "asked \(requests.value) times for a blob of the wrong size")
        #expect(!rig.node.blobs.contains(Hash256.of(Self.blob)))
        await rig.stop()
    }

    @Test func chunksNobodyAskedForAreDropped() async throws {
        let rig = try await Rig.make()
        for offset in stride(from: 0, to: Self.blob.count, by: Limits.blobChunkMaxBytes) {
            rig.peer.send(chunk(of: Self.blob, at: UInt32(offset)), to: rig.nodeID)
        }
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(!rig.node.blobs.contains(Hash256.of(Self.blob)))
        await rig.stop()
    }

    @Test func aBlobIsServedOnlyToNodesItsPolicyAllows() async throws {
        let rig = try await Rig.make()
        try rig.node.blobs.put(Self.blob)
        let address = Hash256.of(Self.blob)
        // Not a committed version's blob: not served at all.
        #expect(await rig.request(address).map(\.kind) == "blob-unavailable")
        // Organization 0's blob: the peer (organization 1's node) may not hold it.
        await rig.replicator.committed([need(organization: rig.restricted)])
        #expect(await rig.request(address).map(\.kind) == "blob-unavailable")
        #expect(await rig.replicator.refusedBlobs == 1)
        await rig.stop()
    }

    @Test func anUnrestrictedBlobIsServedChunkByChunk() async throws {
        let rig = try await Rig.make()
        try rig.node.blobs.put(Self.blob)
        let address = Hash256.of(Self.blob)
        await rig.replicator.committed([need(organization: rig.open)])
        guard case .blobChunk(let second)? = await rig.request(address, offset: UInt32(Limits.blobChunkMaxBytes)) else {
            Issue.record("no chunk served")
            return
        }
        #expect(second.bytes == Array(Self.blob[Limits.blobChunkMaxBytes...]))
        #expect(Int(second.totalBytes) == Self.blob.count)
        await rig.stop()
    }
}

extension BlobReplicatorTests {
    /// A peer asking without pause gets at most its share of chunks per second, then refusals.
    @Test func aPeerAskingWithoutPauseIsServedAtABoundedRate() async throws {
        let rig = try await Rig.make()
        let small: [UInt8] = Array("a small blob".utf8)
        try rig.node.blobs.put(small)
        await rig.replicator.committed([
            BlobNeed(
                content: ReportContent.sample(address: Hash256.of(small), sizeBytes: UInt64(small.count)),
                organization: rig.open)
        ])
        let started = ContinuousClock.now
        for _ in 0..<25 {
            for _ in 0..<40 { rig.peer.send(.blobRequest(address: Hash256.of(small), offset: 0), to: rig.nodeID) }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        let windows = Int((ContinuousClock.now - started).components.seconds) + 2
        let served = await rig.replicator.servedChunks
        #expect(await rig.replicator.refusedBlobs > 0, "1,000 requests and none refused")
        #expect(served > 0 && served <= windows * Limits.blobServeChunksPerPeerPerSecond, "served \(served)")
        await rig.stop()
    }
}

/// A thread-safe counter for answers given from another task.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
