import ServiceLifecycle

/// The single-validator block producer as a service. On graceful shutdown it stops between
/// blocks: a block is built and committed inside one actor call (one SQLite transaction), so
/// stopping never leaves half of one on disk.
public struct BlockProducerService: Service {
    let node: LedgerNode

    public init(node: LedgerNode) {
        precondition(node.validators.validators.count == 1, "only a single validator produces blocks alone")
        self.node = node
    }

    public func run() async {
        let node = node
        await cancelWhenGracefulShutdown {
            // The producer sleeps until work arrives or an empty block is due; waking it lets
            // it see the cancellation now rather than up to a block interval later.
            await withTaskCancellationHandler {
                await node.runProducer()
            } onCancel: {
                node.arrivals.signal()
            }
        }
    }
}
