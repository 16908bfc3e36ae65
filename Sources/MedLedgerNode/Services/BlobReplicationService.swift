import MedLedgerCore
import MedLedgerP2P
import ServiceLifecycle

/// Runs a node's `BlobReplicator`: answers peers' blob messages, and repairs (fetches what
/// this node should hold but lacks) at start and every `Limits.blobRepairIntervalMilliseconds`,
/// which also catches blobs whose fetch after commit found no peer yet; and attests on the
/// ledger, every `Limits.attestationIntervalMilliseconds`, the blobs it holds and has not
/// attested yet.
struct BlobReplicationService: Service {
    let replicator: BlobReplicator
    let inbound: AsyncStream<(IdentityID, PeerMessage)>

    /// Every this many attestation rounds (one minute) the node scans for unattested blobs
    /// even when it noticed no change.
    static let attestationFullScanRounds = 30

    func run() async {
        let (replicator, inbound, node) = (replicator, inbound, replicator.node)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await (peer, message) in inbound { await replicator.handle(message, from: peer) }
                }
                group.addTask {
                    var round = 0
                    while !Task.isCancelled {
                        // A full scan every `attestationFullScanRounds` rounds, else only after changes.
                        await node.attestHeldBlobs(fullScan: round % Self.attestationFullScanRounds == 0)
                        round += 1
                        try? await Task.sleep(for: .milliseconds(Limits.attestationIntervalMilliseconds))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        await replicator.repair()
                        try? await Task.sleep(for: .milliseconds(Limits.blobRepairIntervalMilliseconds))
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
