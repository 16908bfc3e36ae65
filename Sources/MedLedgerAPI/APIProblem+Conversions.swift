import Foundation
import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode
import OpenAPIRuntime

extension APIProblem {
    /// A problem with a type URI derived from the status (`urn:medledger:problem:<slug>`).
    public init(status: HTTPResponse.Status, detail: String, field: String? = nil, code: ResultCode? = nil) {
        self.init(status: status.code, title: status.reasonPhrase, detail: detail, field: field, code: code)
    }

    /// The problem as an HTTP response.
    public func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{\"status\":\(status)}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIProblem {
    /// The HTTP status for each kind of node error.
    static func status(for kind: NodeError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        case .internalFailure: .internalServerError
        }
    }

    /// A node error as a problem, keeping its field and result code.
    init(_ error: NodeError) {
        self.init(status: Self.status(for: error.kind), detail: error.message, field: error.field, code: error.code)
    }

    /// A JSON body that did not decode, naming the field from the decoding error's path.
    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self.init(
                status: .badRequest, detail: "missing required field",
                field: Self.fieldName(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            self.init(
                status: .badRequest, detail: "expected \(Self.jsonType(type))",
                field: Self.fieldName(context.codingPath))
        case .valueNotFound(let type, let context):
            self.init(
                status: .badRequest, detail: "expected \(Self.jsonType(type)), found null",
                field: Self.fieldName(context.codingPath))
        case .dataCorrupted(let context):
            let detail = context.codingPath.isEmpty ? "body is not valid JSON" : context.debugDescription
            self.init(status: .badRequest, detail: detail, field: Self.fieldName(context.codingPath))
        @unknown default:
            self.init(status: .badRequest, detail: "body does not decode", field: "body")
        }
    }

    /// Any error a handler threw, as a problem. Unknown errors become a 500 without details.
    static func from(_ error: any Error) -> APIProblem {
        switch error {
        case let problem as APIProblem: return problem
        case let nodeError as NodeError: return APIProblem(nodeError)
        case let decoding as DecodingError: return APIProblem(decoding)
        case let generated as ServerError: return from(generated)
        case let http as HTTPError:
            let status = http.status
            let detail = http.body ?? (status == .notFound ? "no such route" : status.reasonPhrase)
            return APIProblem(status: status, detail: detail)
        case let responseError as any HTTPResponseError:
            return APIProblem(status: responseError.status, detail: responseError.status.reasonPhrase)
        default:
            return APIProblem(status: .internalServerError, detail: "the node could not complete the request")
        }
    }

    /// An error from the generated server: what a handler threw, a JSON body that did not
    /// decode (naming the field), or the runtime's own refusal (a wrong content type, say)
    /// with its status and description.
    private static func from(_ error: ServerError) -> APIProblem {
        switch error.underlyingError {
        case is APIProblem, is NodeError, is DecodingError: return from(error.underlyingError)
        default:
            guard error.httpStatus.code < 500 else { return from(error.underlyingError) }
            return APIProblem(status: error.httpStatus, detail: error.causeDescription)
        }
    }

    /// `a.b[2].c` from a coding path; "body" for the whole document.
    static func fieldName(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "body" }
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return name
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is UInt64.Type, is UInt32.Type, is Double.Type: "a number"
        default: "\(type)"
        }
    }
}
