import HummingbirdCore
import Logging
import NIOCore

/// An HTTP server's child channel kept within `APIConnectionLimits`: a connection past a
/// limit (in all, or from its client's address) is closed and fails its setup, before any
/// TLS handshake or HTTP parsing; each admitted one gives its place back when it closes.
package struct GatedConnection<Base: ServerChildChannel>: ServerChildChannel {
    package typealias Value = Base.Value
    let base: Base
    let gate: ConnectionGate

    package init(base: Base, gate: ConnectionGate) {
        self.base = base
        self.gate = gate
    }

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = ClientAddress(channel.remoteAddress)
        if let refusal = gate.admit(address) {
            // A failed setup alone leaves the socket open (NIO's async server drops the
            // channel without closing it), so close it here.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(refusal)
        }
        let gate = self.gate
        channel.closeFuture.whenComplete { _ in gate.release(address) }
        return base.setup(channel: channel, logger: logger).flatMapErrorThrowing { error in
            // Likewise, so that its place comes back.
            channel.close(promise: nil)
            throw error
        }
    }

    package func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Plain HTTP/1.1 within `limits` (the FHIR gateway; the node's API adds TLS and runs each
    /// connection on its event loop, `EventLoopBoundConnection`).
    package static func gatedHTTP1(limits: APIConnectionLimits) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatedConnection(base: HTTP1Channel(responder: responder, limits: limits), gate: ConnectionGate(limits))
        }
    }
}

extension HTTP1Channel {
    /// Hummingbird's HTTP/1.1 channel, closing a connection idle for `limits.idleTimeout`.
    package init(responder: @escaping HTTPChannelHandler.Responder, limits: APIConnectionLimits) {
        self.init(responder: responder, configuration: .init(idleTimeout: TimeAmount(limits.idleTimeout)))
    }
}

extension ConnectionGate {
    package convenience init(_ limits: APIConnectionLimits) {
        self.init(limit: limits.maxConnections, perAddressLimit: limits.maxConnectionsPerAddress)
    }
}
