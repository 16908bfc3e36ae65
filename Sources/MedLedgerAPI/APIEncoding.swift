import Foundation
import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore

/// JSON and byte helpers for the hand-routed answers (meta routes, problems) and body reading.
enum APIEncoding {
    static let jsonContentType = "application/json"

    /// Encodes a view as a JSON response (sorted keys, so output is stable).
    static func json<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok,
        contentType: String = jsonContentType
    ) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return bytes(Array(data), status: status, contentType: contentType)
    }

    /// A response with a raw body.
    static func bytes(_ body: [UInt8], status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Reads the whole body, refusing more than `limit` bytes with a 413 problem (checked
    /// against Content-Length first, then while reading).
    static func readBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw tooLarge(limit)
        }
        var bytes = [UInt8]()
        for try await buffer in request.body {
            guard bytes.count + buffer.readableBytes <= limit else { throw tooLarge(limit) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    private static func tooLarge(_ limit: Int) -> APIProblem {
        APIProblem(status: .contentTooLarge, detail: "request body exceeds the limit of \(limit) bytes", field: "body")
    }
}

/// Parsers for path and query parameters, which the document declares as strings with a
/// pattern so that the node checks them here and a bad one is a 400 problem naming it.
enum Parameter {
    static func identity(_ text: String, _ name: String = "id") throws -> IdentityID {
        guard let id = IdentityID(hex: text) else {
            throw APIProblem(status: .badRequest, detail: "expected a 64-character hex identity id", field: name)
        }
        return id
    }

    static func opaque<Kind>(_ text: String, _ name: String = "id") throws -> OpaqueID<Kind> {
        guard let id = OpaqueID<Kind>(hex: text) else {
            throw APIProblem(status: .badRequest, detail: "expected a 32-character hex id", field: name)
        }
        return id
    }

    /// The `version` path parameter: a report version, 1 or more.
    static func version(_ text: String) throws -> ReportVersion {
        ReportVersion(UInt32(try positive(text, "version", maximum: UInt64(UInt32.max))))
    }

    static func hash(_ text: String, _ name: String) throws -> Hash256 {
        guard let hash = Hash256(hex: text) else {
            throw APIProblem(status: .badRequest, detail: "expected a 64-character hex SHA-256", field: name)
        }
        return hash
    }

    /// A closed enum by its name (`treatment`, `open`, …).
    static func named<T: TaggedEnum>(_ type: T.Type, _ text: String, _ name: String) throws -> T {
        guard let value = T(name: text) else {
            throw APIProblem(
                status: .badRequest, detail: "expected one of \(T.allNames.joined(separator: ", "))", field: name)
        }
        return value
    }

    /// A time: ISO 8601 UTC (`2026-01-05T09:30:00Z`, milliseconds optional, or a date) or
    /// milliseconds since 1970.
    static func time(_ text: String, _ name: String) throws -> ConsensusTime {
        if !text.isEmpty, text.utf8.count <= 16, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let milliseconds = UInt64(text)
        {
            return ConsensusTime(milliseconds: milliseconds)
        }
        guard text.utf8.count <= 40, let milliseconds = ISO8601.parse(text) else {
            throw APIProblem(
                status: .badRequest,
                detail: "expected an ISO 8601 UTC time (2026-01-05T09:30:00Z) or milliseconds since 1970", field: name)
        }
        return ConsensusTime(milliseconds: milliseconds)
    }

    /// A decimal integer from 1 to `maximum`.
    static func positive(_ text: String, _ name: String, maximum: UInt64) throws -> UInt64 {
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = UInt64(text), value >= 1, value <= maximum
        else {
            throw APIProblem(status: .badRequest, detail: "expected a positive integer", field: name)
        }
        return value
    }
}

/// `?limit=N&cursor=C` of a list route; a bad one is a 400 problem naming the parameter.
struct PageQuery {
    let limit: Int
    let cursor: String?

    init(limit text: String?, cursor: String?) throws {
        if let text {
            guard text.utf8.count <= 6, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(text),
                (1...PageLimits.maxItems).contains(value)
            else {
                throw APIProblem(
                    status: .badRequest, detail: "limit must be an integer from 1 to \(PageLimits.maxItems)",
                    field: "limit")
            }
            limit = value
        } else {
            limit = PageLimits.defaultItems
        }
        self.cursor = cursor
    }

    /// The cursor of a newest-first event list, if one was sent.
    func eventCursor() throws -> EventCursor? { try Self.eventCursor(cursor, "cursor") }

    /// A newest-first event cursor sent as parameter `name`, if one was sent.
    static func eventCursor(_ text: String?, _ name: String) throws -> EventCursor? {
        guard let text else { return nil }
        guard let parsed = EventCursor(text) else {
            throw APIProblem(
                status: .badRequest, detail: "\(name) must be the next cursor of a previous page", field: name)
        }
        return parsed
    }
}
