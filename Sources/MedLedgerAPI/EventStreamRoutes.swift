import Foundation
import HTTPTypes
import Hummingbird
import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode
import ServiceLifecycle

/// `GET /v1/events`: the caller's ledger events as server-sent events (text/event-stream),
/// routed by hand because the generated server answers whole bodies.
///
/// Each event is `id: HEIGHT.POSITION.INDEX`, `event: <type>` (the event JSON's `type`) and
/// `data: <indexed-event JSON>` (as the history lists give it). With `Last-Event-ID` the
/// stream first replays everything after that cursor, oldest first, in bounded chunks; then
/// (or without the header, from now) it sends each new block's events as it commits, with a
/// `: keep-alive` comment when nothing happens, and ends after the maximum duration.
struct EventStreamRoutes: Sendable {
    static let path = "/v1/events"
    static let lastEventIDHeader = "Last-Event-ID"

    let node: LedgerNode
    let clock: @Sendable () -> WallClockTime
    let settings: EventStreamSettings
    let slots: EventStreamSlots

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get(RouterPath(stringLiteral: Self.path)) { request, _ in try await open(request) }
    }

    func open(_ request: Request) async throws -> Response {
        guard let incoming = IncomingRequest.current else {
            throw APIProblem(status: .internalServerError, detail: "the request was not captured for authentication")
        }
        guard let credentials = try incoming.credentials() else {
            throw APIProblem(
                status: .unauthorized, detail: "the event stream needs a signed request",
                field: RequestAuthentication.signatureHeader)
        }
        let caller = try await RequestAuthentication.verify(
            credentials, method: incoming.method, pathAndQuery: incoming.pathAndQuery, body: incoming.body,
            node: node, now: clock())
        let resumeAfter = try Self.lastEventID(request)
        let slot = try slots.acquire(caller.id)
        // Live from the latest block when the client names no event it has.
        let live = Self.endOf(await node.height)
        let start = resumeAfter ?? live
        let stream = EventStream(node: node, settings: settings, subjects: Self.subjects(of: caller))
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                // The slot is held until the stream ends.
                defer { withExtendedLifetime(slot) {} }
                try await stream.run(after: start, writer: &writer)
            })
    }

    /// The index keys whose events the caller sees: its own id; for a practitioner who
    /// answers for the organization (privacy officer or administrator), the organization's
    /// id too. An organization's own key is its id. Works from the ids events are filed
    /// under (`LedgerEvent.subjects`), whatever kinds of event name them.
    static func subjects(of caller: IdentityRecord) -> [[UInt8]] {
        var subjects = [caller.id.hash.bytes]
        if let organization = caller.overseenOrganization, organization != caller.id {
            subjects.append(organization.hash.bytes)
        }
        return subjects
    }

    /// The cursor just past every event of block `height`.
    static func endOf(_ height: Height) -> EventCursor {
        EventCursor(height: height, position: Int(Int32.max), eventIndex: Int(Int32.max))
    }

    /// The `Last-Event-ID` header as a cursor; nil when absent; 400 naming it when malformed.
    static func lastEventID(_ request: Request) throws -> EventCursor? {
        guard let name = HTTPField.Name(lastEventIDHeader) else { return nil }
        let values = request.headers[values: name]
        guard let text = values.first else { return nil }
        guard values.count == 1, let cursor = EventCursor(text.trimmingCharacters(in: .whitespaces)) else {
            throw APIProblem(
                status: .badRequest,
                detail: "\(lastEventIDHeader) must be the id of an event this stream sent (HEIGHT.POSITION.INDEX)",
                field: lastEventIDHeader)
        }
        return cursor
    }
}

/// One open stream: reads the caller's events after a cursor and writes them, then waits for
/// the next block.
struct EventStream: Sendable {
    let node: LedgerNode
    let settings: EventStreamSettings
    let subjects: [[UInt8]]

    func run(after start: EventCursor, writer: inout any ResponseBodyWriter) async throws {
        let stop = StreamStop()
        let deadline = ContinuousClock.now.advanced(by: settings.maximumDuration)
        try await withGracefulShutdownHandler {
            // Tells an EventSource-style client how long to wait before reconnecting.
            try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
            var cursor = start
            while ContinuousClock.now < deadline {
                // The height first: a block committed after this read wakes the wait below.
                let seen = await node.height
                let chunk = try await node.events(subjects: subjects, after: cursor, limit: settings.chunkEvents)
                for event in chunk {
                    try await writer.write(ByteBuffer(bytes: try Self.frame(event)))
                    cursor = event.cursor
                }
                if chunk.count == settings.chunkEvents { continue }
                let wait = min(settings.keepAlive, deadline - ContinuousClock.now)
                guard wait > .zero else { break }
                let feed = node.heights
                guard let grew = await stop.run({ await feed.wait(after: seen, timeout: wait) }) else { break }
                if !grew { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
            }
        } onGracefulShutdown: {
            stop.stop()
        }
        try await writer.finish(nil)
    }

    /// One server-sent event: `id`, `event` (the type) and one `data` line of JSON (the
    /// encoder escapes newlines inside strings, so the JSON is a single line).
    static func frame(_ event: IndexedEvent) throws -> [UInt8] {
        let view = Components.Schemas.IndexedEvent(event)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(view)
        let head = "id: \(event.cursor)\nevent: \(view.event._type.rawValue)\ndata: "
        return Array(head.utf8) + Array(json) + Array("\n\n".utf8)
    }
}
