import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import MedLedgerHTTPLimits
import NIOCore
import NIOSSL

/// Runs each HTTP connection's task on the event loop that reads and writes its socket.
///
/// Hummingbird reads a request on a NIO event loop and runs the handler in a task of Swift's
/// global pool, and the answer goes back to the loop: two thread hops per request, each a
/// futex wake and a context switch. On an idle node a profile put about a third of a request's
/// CPU in the kernel, most of it in those switches (docs/performance.md, "Thread hops per
/// request"). With the loop as the task's preferred executor the handler runs where the bytes
/// arrived (about a fifth less CPU per request), and so does the node actor's code it calls: a
/// default actor runs on the calling task's preferred executor, one caller at a time as
/// before. So nothing a handler reaches may use NIO's `.wait()`, which traps on any event loop
/// (`PostgresSession` blocks its own way). Peers have their own event loop, so a long request
/// (a batch's signature checks) delays other API connections on its loop, never consensus.
///
/// The gate (`GatedConnection`) sits inside it, so the API's connections stay within
/// `APIConnectionLimits`.
struct EventLoopBoundConnection<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// A task executor that runs jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1, over TLS when a configuration is given, each connection on its event loop,
    /// within `limits`.
    static func eventLoopBoundHTTP1(tls: TLSConfiguration?, limits: APIConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            let gate = ConnectionGate(limits)
            let http1 = HTTP1Channel(responder: responder, limits: limits)
            guard let tls else { return EventLoopBoundConnection(base: GatedConnection(base: http1, gate: gate)) }
            return EventLoopBoundConnection(
                base: GatedConnection(base: try TLSChannel(http1, tlsConfiguration: tls), gate: gate))
        }
    }
}
