import Foundation
import MedLedgerFHIR

/// A refusal the gateway answers as an OperationOutcome with an HTTP status: the issue
/// `code` from the FHIR IssueType value set, `diagnostics` for people, and `expression`
/// naming the FHIRPath of the element at fault when there is one.
public struct FHIRProblem: Error, Sendable, CustomStringConvertible {
    public enum IssueType: String, Sendable {
        case invalid, required, value, structure, processing, conflict, duplicate
        case notFound = "not-found"
        case notSupported = "not-supported"
        case forbidden, security, login, exception, transient
        case tooCostly = "too-costly"
        case businessRule = "business-rule"
        case informational
    }

    public let status: Int
    public let code: IssueType
    public let diagnostics: String
    public let expression: String?

    public init(_ status: Int, _ code: IssueType, _ diagnostics: String, expression: String? = nil) {
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression
    }

    public var description: String {
        "\(status) \(code.rawValue)\(expression.map { " at \($0)" } ?? ""): \(diagnostics)"
    }

    /// The OperationOutcome resource (severity error, or information for status < 400).
    public var outcome: FHIRValue {
        FHIRValue(
            model: OperationOutcome(issue: [
                OperationOutcome.Issue(
                    severity: status < 400 ? "information" : "error", code: code.rawValue, diagnostics: diagnostics,
                    expression: expression.map { [$0] })
            ]))
    }

    /// Reads the first issue of an OperationOutcome (what `fhir import` prints for a file).
    public static func describe(outcome: FHIRValue, status: Int) -> String {
        guard let issue = outcome["issue"]?[0] else { return "HTTP \(status)" }
        let path = issue["expression"]?[0]?.string.map { " at \($0)" } ?? ""
        return "HTTP \(status) \(issue["code"]?.string ?? "error")\(path): \(issue["diagnostics"]?.string ?? "")"
    }
}
