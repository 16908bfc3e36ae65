import NIOCore
import NIOPosix

/// Raw TCP connections to an HTTP server, for the tests of its connection limits: opened and
/// left silent, or used for one request that proves the server admitted them.
public enum SilentConnection {
    /// A TCP connection to `127.0.0.1:port` that sends nothing, from `from` (any loopback
    /// address). What the server sends on it is kept (`answer(to:on:)`).
    public static func open(_ port: Int, from: String = "127.0.0.1") async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: from, port: 0))
            .channelInitializer { $0.pipeline.addHandler(Received()) }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// Waits until one of `connections` is closed (10 s at most), then a little more for any
    /// other the server is closing, and returns those still open.
    public static func openAfterRefusals(_ connections: [any Channel]) async throws -> [any Channel] {
        let deadline = ContinuousClock.now + .seconds(10)
        while connections.allSatisfy(\.isActive), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(200))
        return connections.filter(\.isActive)
    }

    /// Sends a `Connection: close` GET of `path` on `channel` and returns what came back
    /// before the server closed it: proof that the server had admitted the connection.
    public static func answer(to path: String, on channel: any Channel) async throws -> String {
        let received = try await channel.pipeline.handler(type: Received.self).get()
        let request = "GET \(path) HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
        try await channel.writeAndFlush(channel.allocator.buffer(string: request))
        try await channel.closeFuture.get()
        return try await channel.eventLoop.submit { received.text }.get()
    }

    /// Keeps the bytes a connection receives (used on its event loop only).
    final class Received: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var text = ""
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            text += String(buffer: unwrapInboundIn(data))
        }
    }
}
