import Foundation
import MedLedgerCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The load generator's own HTTP/1.1 client for the two calls it makes thousands of times a
/// run: submitting a batch and asking for the next block.
///
/// The bench runs on the same cores as the nodes it measures, so what it spends is taken from
/// them. With the generated OpenAPI client over async-http-client it used about 0.24 cores at
/// half load (hundreds of requests and block polls a second); with this client about 0.16
/// (docs/performance.md, "The bench's own client"). It keeps keep-alive connections per node,
/// writes the JSON body the caller built, and hands back the status and body; callers decode
/// the body with the types generated from `openapi.json`, so the wire format stays the API's.
final class BenchWire: Sendable {
    /// A response: its status and whole body.
    struct Response: Sendable {
        let status: HTTPResponseStatus
        let body: ByteBuffer
    }

    /// One thread for every client of the process: the bench's work per request is small, and
    /// a second loop would only compete with the nodes for the cores. Lives as long as the process.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let nodes: [URL]
    /// Idle connections by node; a request takes one (or opens one) and gives it back.
    private let idle: NIOLockedValueBox<[[any Channel]]>

    init(nodes: [URL]) {
        self.nodes = nodes
        idle = NIOLockedValueBox(Array(repeating: [], count: nodes.count))
    }

    deinit {
        for channel in idle.withLockedValue({ $0.joined() }) { channel.close(promise: nil) }
    }

    /// Sends one request to `node` and waits for the whole response.
    func request(node: Int, method: HTTPMethod, path: String, body: ByteBuffer? = nil) async throws -> Response {
        let channel = try await connection(to: node)
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: hostHeader(node))
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        let promise = channel.eventLoop.makePromise(of: Response.self)
        // A write into a connection that closed meanwhile fails here, and no answer would come.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail($0) }
        channel.writeAndFlush(BenchWireRequest(head: head, body: body, response: promise), promise: written)
        // A node that never answers fails the request (and its connection) instead of the run hanging.
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(Limits.httpClientRequestTimeoutSeconds)) {
            promise.fail(BenchError("bench: no answer from node \(node) to \(method) \(path) in time"))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        let response = try await promise.futureResult.get()
        if channel.isActive { idle.withLockedValue { $0[node].append(channel) } }
        return response
    }

    private func connection(to node: Int) async throws -> any Channel {
        while let channel = idle.withLockedValue({ $0[node].popLast() }) {
            if channel.isActive { return channel }
        }
        let url = nodes[node]
        guard let host = url.host, let port = url.port ?? (url.scheme == "http" ? 80 : nil) else {
            throw BenchError("bench: \(url) has no host and port (the bench speaks plain http)")
        }
        guard url.scheme == "http" else {
            throw BenchError("bench: \(url) is not http:// (the bench's load client speaks plain HTTP/1.1)")
        }
        return try await ClientBootstrap(group: Self.group)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(BenchWireHandler())
                }
            }
            .connect(host: host, port: port).get()
    }

    private func hostHeader(_ node: Int) -> String {
        let url = nodes[node]
        return "\(url.host ?? "localhost"):\(url.port ?? 80)"
    }
}

/// What the bench writes into a connection's pipeline: the request and where its answer goes.
struct BenchWireRequest: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer?
    let response: EventLoopPromise<BenchWire.Response>
}

/// Writes requests and matches each response, in order, to the request that asked for it.
/// A connection carries one request at a time (`BenchWire` takes it out of the idle list), so
/// at most one answer is awaited; the queue only makes a server's early close fail it cleanly.
final class BenchWireHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = BenchWireRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting = CircularBuffer<EventLoopPromise<BenchWire.Response>>()
    private var status: HTTPResponseStatus = .ok
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.response)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            body = nil
        case .body(var part):
            guard (body?.readableBytes ?? 0) + part.readableBytes <= Limits.httpClientAnswerMaxBytes else {
                failAll(BenchError("bench: an answer longer than \(Limits.httpClientAnswerMaxBytes) bytes"))
                context.close(promise: nil)
                return
            }
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            let response = BenchWire.Response(status: status, body: body ?? ByteBuffer())
            body = nil
            waiting.popFirst()?.succeed(response)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(BenchError("bench: the node closed the connection before answering"))
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error) {
        while let promise = waiting.popFirst() { promise.fail(error) }
    }
}
