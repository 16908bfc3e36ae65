import AsyncHTTPClient
import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import NIOCore

/// One event of the caller's stream (`GET /v1/events`), decoded.
public struct StreamedEvent: Sendable {
    /// The event cursor `HEIGHT.POSITION.INDEX`: where a reconnect resumes.
    public let id: String
    /// The event's type (`access`, `report`, ...).
    public let type: String
    /// The block time, ISO 8601.
    public let time: String
    /// The ledger event, from its canonical bytes; nil when this client does not know the
    /// kind (a newer node).
    public let event: LedgerEvent?
    /// The indexed-event JSON as sent.
    public let json: String

    /// One readable line (what `medledger watch` prints): time, type, the plain-words phrase
    /// that receipts and audits use, cursor. Bounded: the phrase names ids and codes, never
    /// free text from the stream.
    public var line: String {
        let what = event.map(ReceiptText.phrase(of:)) ?? "an event this client does not know"
        return "\(time.prefix(40))  \(type.prefix(32))  \(what)  [\(id.prefix(64))]"
    }
}

/// Follows the caller's event stream: signs each connection afresh, and when the stream ends
/// (the node closes it after its maximum duration, or the connection drops) reconnects with
/// `Last-Event-ID`, so no event is missed or repeated.
public struct EventStreamClient: Sendable {
    public let gateway: HTTPGateway
    public let me: ClientIdentity
    /// Waits between reconnects after a failure (doubling up to the maximum).
    public var firstRetry: Duration = .seconds(1)
    public var maximumRetry: Duration = .seconds(30)
    /// The clock each connection's signature is dated by.
    public var now: @Sendable () -> WallClockTime = SystemClock.now

    public init(gateway: HTTPGateway, me: ClientIdentity) {
        self.gateway = gateway
        self.me = me
    }

    /// Follows the stream until the task is cancelled or the node refuses for good (a 400,
    /// 401 or 403: a reconnect would be refused the same way).
    /// - Parameters:
    ///   - cursor: resume after this event; nil starts live.
    ///   - onEvent: each event, in order.
    ///   - onReconnect: told why the stream is being reopened (for a status line).
    public func follow(
        from cursor: String?, onEvent: (StreamedEvent) async throws -> Void,
        onReconnect: (String) -> Void = { _ in }
    ) async throws {
        var cursor = cursor
        var retry = firstRetry
        while !Task.isCancelled {
            do {
                var delivered = false
                try await connect(after: cursor) { event in
                    cursor = event.id
                    delivered = true
                    try await onEvent(event)
                }
                if delivered { retry = firstRetry }
                onReconnect("stream ended; reconnecting after \(cursor ?? "now")")
            } catch let error as NodeError where error.isPermanentRefusal {
                throw error
            } catch is CancellationError {
                return
            } catch {
                onReconnect("\(error); retrying in \(retry)")
                try await Task.sleep(for: retry)
                retry = min(retry * 2, maximumRetry)
            }
        }
    }

    /// One connection: events until the node ends the stream.
    public func connect(after cursor: String?, onEvent: (StreamedEvent) async throws -> Void) async throws {
        let path = "/v1/events"
        var request = HTTPClientRequest(url: gateway.baseURL.absoluteString + path)
        let chainID = try await gateway.chainID()
        for (name, value) in RequestAuthentication.headers(
            for: "GET", pathAndQuery: path, body: [], chainID: chainID, identity: me, now: now())
        {
            request.headers.add(name: name, value: value)
        }
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let cursor { request.headers.add(name: "Last-Event-ID", value: cursor) }
        // No overall deadline: the stream is long-lived by design; the node ends it.
        let response = try await gateway.httpClient.execute(request, deadline: .distantFuture)
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 64 * 1024)
            throw Self.refusal(status: Int(response.status.code), body: Array(buffer: body))
        }
        var parser = ServerSentEventParser()
        for try await buffer in response.body {
            for message in try parser.feed(buffer.readableBytesView) {
                guard let id = message.id else { continue }
                try await onEvent(Self.decode(message, id: id))
            }
        }
    }

    static func decode(_ message: ServerSentEvent, id: String) -> StreamedEvent {
        let object = (try? JSONSerialization.jsonObject(with: Data(message.data.utf8))) as? [String: Any] ?? [:]
        let canonical = (object["canonical"] as? String).flatMap { Data(base64Encoded: $0) }
        let event = canonical.flatMap { try? LedgerEvent.decode(canonical: Array($0)) }
        return StreamedEvent(
            id: id, type: message.type, time: object["time"] as? String ?? "", event: event, json: message.data)
    }

    static func refusal(status: Int, body: [UInt8]) -> NodeError {
        let problem = try? JSONDecoder().decode(APIProblem.self, from: Data(body))
        let detail = problem?.detail ?? "HTTP \(status)"
        let kind: NodeError.Kind =
            switch status {
            case 400: .invalid
            case 401: .unauthenticated
            case 403: .forbidden
            default: .unavailable
            }
        return NodeError(kind, field: problem?.field, "the event stream was refused: \(detail)")
    }
}

extension NodeError {
    /// A refusal a reconnect would meet again: a bad cursor, bad credentials, no access.
    var isPermanentRefusal: Bool { [.invalid, .unauthenticated, .forbidden].contains(kind) }
}
