import MedLedgerCore
import MedLedgerP2P
import ServiceLifecycle

/// The Tendermint driver of a multi-validator node as a service: feeds it peer messages and
/// the clock's events until shutdown, except gossiped transactions, which go straight to
/// their signature checks (`ConsensusDriver.checkGossiped`) instead of waiting behind blocks. The driver commits a block inside one actor call (one
/// SQLite transaction), so stopping it between events never leaves half a block on disk.
public struct ConsensusService: Service {
    let driver: ConsensusDriver<PeerNetwork, SystemConsensusClock>
    /// Peer messages and the clock's timeouts and ticks, in one stream.
    let events: AsyncStream<ConsensusDriverEvent>
    let continuation: AsyncStream<ConsensusDriverEvent>.Continuation
    let inbound: AsyncStream<(IdentityID, PeerMessage)>

    public func run() async {
        let (driver, events, continuation, inbound) = (driver, events, continuation, inbound)
        let forwarder = Task {
            for await (peer, message) in inbound {
                switch message {
                case .transaction(let tx): driver.checkGossiped([tx], from: peer)
                case .transactions(let list): driver.checkGossiped(list, from: peer)
                default: continuation.yield(.message(from: peer, message))
                }
            }
        }
        defer { forwarder.cancel() }
        await cancelWhenGracefulShutdown {
            // Ending the stream wakes the driver when it is waiting for the next event.
            await withTaskCancellationHandler {
                await driver.run(events: events)
            } onCancel: {
                continuation.finish()
            }
        }
    }
}
