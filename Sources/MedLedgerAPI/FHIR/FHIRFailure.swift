import Foundation
import HTTPTypes
import Hummingbird
import MedLedgerFHIR

/// A refusal the facade answers as an OperationOutcome with its HTTP status.
struct FHIRFailure: Error {
    let status: HTTPResponse.Status
    /// An R4 IssueType code: invalid, not-supported, not-found, forbidden, login, too-costly, ...
    let code: String
    let diagnostics: String
    /// The parameter or element the refusal is about.
    let expression: String?

    init(_ status: HTTPResponse.Status, _ code: String, _ diagnostics: String, expression: String? = nil) {
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression
    }

    static func invalid(_ diagnostics: String, parameter: String) -> FHIRFailure {
        FHIRFailure(.badRequest, "invalid", diagnostics, expression: parameter)
    }

    static func notFound(_ type: String, _ id: String) -> FHIRFailure {
        FHIRFailure(.notFound, "not-found", "\(type)/\(id) is not known, or not visible to this client")
    }
}

/// FHIR responses: `application/fhir+json`, sorted keys, no nulls.
enum FHIRResponse {
    static func resource(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, etag: String? = nil, lastModified: String? = nil
    ) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = FHIRJSON.contentType
        if let etag { headers[.eTag] = etag }
        let data = try FHIRJSON.encode(value)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func outcome(_ failure: FHIRFailure) -> Response {
        let outcome = OperationOutcome(
            code: failure.code, diagnostics: failure.diagnostics, expression: failure.expression)
        var response = (try? resource(outcome, status: failure.status)) ?? Response(status: failure.status)
        if failure.status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer realm=\"fhir\""
        }
        return response
    }

    /// Runs a handler, answering every refusal or unexpected error as an OperationOutcome.
    static func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let failure as FHIRFailure {
            return outcome(failure)
        } catch {
            return outcome(FHIRFailure(.internalServerError, "exception", "the request failed: \(error)"))
        }
    }
}
