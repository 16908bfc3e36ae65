import Foundation
import MedLedgerCore

/// An RFC 9457 problem document: every error the API returns, including unknown routes,
/// malformed JSON and oversized bodies, is one of these (`application/problem+json`).
///
/// Besides the standard members it carries `field` (the part of the request at fault) and
/// `code`/`codeName` (a ledger `ResultCode`) when they are known.
public struct APIProblem: Error, Sendable, Codable, Equatable {
    /// The media type of problem documents.
    public static let contentType = "application/problem+json"

    /// A URI naming the kind of problem, `urn:medledger:problem:<slug>`.
    public let type: String
    /// The HTTP reason phrase of `status`.
    public let title: String
    /// The HTTP status code.
    public let status: Int
    /// What went wrong, for a person (never protected health information).
    public let detail: String
    /// The part of the request at fault (a JSON field, path parameter or header), when known.
    public let field: String?
    /// The ledger result code (`ResultCode.rawValue`), when the node gave one.
    public let code: UInt16?
    /// The result code's stable name, e.g. `bad-signature`.
    public let codeName: String?

    /// A problem with a type URI derived from `status` (`urn:medledger:problem:<slug>`).
    public init(status: Int, title: String, detail: String, field: String? = nil, code: ResultCode? = nil) {
        let slug = Self.slug(status)
        self.type = "urn:medledger:problem:\(slug)"
        self.title = title.isEmpty ? slug : title
        self.status = status
        self.detail = detail
        self.field = field
        self.code = code?.rawValue
        self.codeName = code?.name
    }

    public static func slug(_ status: Int) -> String {
        switch status {
        case 400: "invalid-request"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 409: "conflict"
        case 413: "content-too-large"
        case 429: "too-many-requests"
        case 503: "unavailable"
        case 500: "internal-failure"
        default: "http-\(status)"
        }
    }
}
