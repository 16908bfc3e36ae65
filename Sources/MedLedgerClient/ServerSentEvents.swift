/// One server-sent event as the stream carried it (the `text/event-stream` fields).
public struct ServerSentEvent: Sendable, Equatable {
    public var id: String?
    public var type: String
    public var data: String

    public init(id: String?, type: String, data: String) {
        self.id = id
        self.type = type
        self.data = data
    }
}

/// Splits a `text/event-stream` into events, within bounds: a line longer than
/// `maxLineBytes` or an event's data over `maxEventBytes` is an error, not a buffer that
/// grows with whatever the server sends. Comments (`: keep-alive`) and `retry:` are dropped.
public struct ServerSentEventParser: Sendable {
    public struct Oversized: Error, CustomStringConvertible {
        public let description: String
    }

    public let maxLineBytes: Int
    public let maxEventBytes: Int
    private var line: [UInt8] = []
    private var id: String?
    private var type = ""
    private var data: [UInt8] = []
    private var hasData = false

    public init(maxLineBytes: Int = 256 * 1024, maxEventBytes: Int = 512 * 1024) {
        self.maxLineBytes = maxLineBytes
        self.maxEventBytes = maxEventBytes
    }

    /// Takes the next bytes of the stream; returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if let event = try take(line) { events.append(event) }
                line.removeAll(keepingCapacity: true)
            } else if byte != UInt8(ascii: "\r") {
                guard line.count < maxLineBytes else {
                    throw Oversized(description: "the event stream sent a line over \(maxLineBytes) bytes")
                }
                line.append(byte)
            }
        }
        return events
    }

    /// One line: a field, a comment, or the blank line that ends an event.
    private mutating func take(_ line: [UInt8]) throws -> ServerSentEvent? {
        guard !line.isEmpty else { return dispatch() }
        guard line.first != UInt8(ascii: ":") else { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var value = colon < line.endIndex ? line[(colon + 1)...] : []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch field {
        case "id": id = String(decoding: value, as: UTF8.self)
        case "event": type = String(decoding: value, as: UTF8.self)
        case "data":
            guard data.count + value.count + 1 <= maxEventBytes else {
                throw Oversized(description: "the event stream sent an event over \(maxEventBytes) bytes")
            }
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            type = ""
            data = []
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(
            id: id, type: type.isEmpty ? "message" : type, data: String(decoding: data, as: UTF8.self))
    }
}
