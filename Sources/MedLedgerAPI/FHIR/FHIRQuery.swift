import Foundation
import MedLedgerCore

/// A search's query string, parsed strictly: every parameter must be one the resource type
/// supports (see `FHIRCapabilities`), so an unsupported one is refused rather than ignored
/// and a search never returns more than was asked for.
struct FHIRQuery {
    static let maxQueryBytes = 2_048
    static let maxParameters = 20
    static let defaultCount = 20
    static let maxCount = 100
    /// The most index entries a search reads; a search that would read more gets a
    /// `too-costly` refusal naming how to narrow it, never a silently cut list.
    static let maxScanned = 10_000
    /// Parameters every search accepts.
    static let common: Set<String> = ["_count", "_offset", "_format"]

    /// (name, value) in request order.
    let parameters: [(name: String, value: String)]
    let count: Int
    let offset: Int
    /// The `date` values, parsed once rather than for every record a search compares.
    let dates: [DateBound]

    init(rawQuery: String?, supported: Set<String>, includes: Set<String>) throws {
        let raw = rawQuery ?? ""
        guard raw.utf8.count <= Self.maxQueryBytes else {
            throw FHIRFailure(.badRequest, "too-long", "the query is longer than \(Self.maxQueryBytes) bytes")
        }
        var parameters: [(String, String)] = []
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = parts.count == 2 ? Self.decode(parts[1]) : "" else {
                throw FHIRFailure.invalid("the query is not valid percent-encoding", parameter: String(parts[0]))
            }
            guard Self.common.contains(name) || supported.contains(name) || (name == "_include" && !includes.isEmpty)
            else {
                let list = (supported.sorted() + (includes.isEmpty ? [] : ["_include"]) + Self.common.sorted())
                throw FHIRFailure(
                    .badRequest, "not-supported",
                    "search parameter \(name) is not supported here (supported: \(list.joined(separator: ", ")))",
                    expression: name)
            }
            guard !value.isEmpty else { throw FHIRFailure.invalid("\(name) has no value", parameter: name) }
            if name == "_include", !includes.contains(value) {
                throw FHIRFailure(
                    .badRequest, "not-supported",
                    "_include=\(value) is not supported (supported: \(includes.sorted().joined(separator: ", ")))",
                    expression: "_include")
            }
            if name == "_format", !["json", "application/json", "application/fhir+json"].contains(value) {
                throw FHIRFailure(.notAcceptable, "not-supported", "only JSON is served", expression: "_format")
            }
            parameters.append((name, value))
        }
        guard parameters.count <= Self.maxParameters else {
            throw FHIRFailure(.badRequest, "too-long", "more than \(Self.maxParameters) parameters")
        }
        self.parameters = parameters
        count = try Self.integer(parameters, "_count", in: 1...Self.maxCount) ?? Self.defaultCount
        offset = try Self.integer(parameters, "_offset", in: 0...Self.maxScanned) ?? 0
        dates = try Self.dateBounds(parameters, "date")
    }

    static func integer(_ parameters: [(name: String, value: String)], _ name: String, in range: ClosedRange<Int>)
        throws -> Int?
    {
        let values = parameters.filter { $0.name == name }.map(\.value)
        guard values.count <= 1 else { throw FHIRFailure.invalid("\(name) is given more than once", parameter: name) }
        guard let text = values.first else { return nil }
        guard text.count <= 7, let value = Int(text), range.contains(value) else {
            throw FHIRFailure.invalid(
                "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)", parameter: name)
        }
        return value
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    func values(_ name: String) -> [String] { parameters.filter { $0.name == name }.map(\.value) }

    /// The one value of `name`, or nil; given twice is refused.
    func single(_ name: String) throws -> String? {
        let values = values(name)
        guard values.count <= 1 else { throw FHIRFailure.invalid("\(name) is given more than once", parameter: name) }
        return values.first
    }

    var includes: Set<String> { Set(values("_include")) }

    /// The identity a `patient` / `subject` reference names: `ID`, `Patient/ID` or an
    /// absolute URL ending in `Patient/ID`.
    static func identity(_ value: String, parameter: String, type: String = "Patient") throws -> IdentityID {
        var text = Substring(value)
        if let range = text.range(of: "\(type)/", options: .backwards) { text = text[range.upperBound...] }
        guard let id = IdentityID(hex: String(text)) else {
            throw FHIRFailure.invalid(
                "\(parameter) must be a \(type) id (64 hex digits) or \(type)/id", parameter: parameter)
        }
        return id
    }

    /// The patient a search is about (`patient`, or `subject` where supported); required.
    func patient() throws -> IdentityID {
        let given = values("patient") + values("subject")
        guard given.count == 1 else {
            throw FHIRFailure.invalid(
                given.isEmpty
                    ? "this search needs a patient (patient=Patient/ID): a search never lists every patient's records"
                    : "give one patient", parameter: "patient")
        }
        let name = values("patient").isEmpty ? "subject" : "patient"
        return try Self.identity(given[0], parameter: name)
    }

    /// Token search (`code` or `system|code`, comma-separated alternatives) against codings.
    func tokenMatches(_ name: String, _ codings: [(system: String?, code: String)]) -> Bool {
        values(name).allSatisfy { value in
            value.split(separator: ",").contains { alternative in
                let parts = alternative.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 {
                    return codings.contains { ($0.system ?? "") == parts[0] && $0.code == parts[1] }
                }
                return codings.contains { $0.code == alternative }
            }
        }
    }

    /// One `date` value: its prefix and the milliseconds it covers (a day covers the whole
    /// day; an instant, its millisecond).
    struct DateBound {
        let prefix: String
        let start: UInt64
        let end: UInt64

        func holds(_ at: UInt64) -> Bool {
            switch prefix {
            case "eq": at >= start && at < end
            case "ne": at < start || at >= end
            case "lt": at < start
            case "le": at < end
            case "gt": at >= end
            default: at >= start
            }
        }

        /// Nothing before it can match: `eq` and `ge` start at `start`, `gt` after the value.
        var lowerBound: UInt64? {
            switch prefix {
            case "eq", "ge": start
            case "gt": end
            default: nil
            }
        }
    }

    /// Every `name` value parsed (prefix eq, ne, lt, gt, le, ge; a day or an instant), once,
    /// when the query is read: a malformed one is refused even when nothing would match.
    static func dateBounds(_ parameters: [(name: String, value: String)], _ name: String) throws -> [DateBound] {
        try parameters.filter { $0.name == name }.map { parameter in
            var text = Substring(parameter.value)
            var prefix = "eq"
            if let first = text.first, first.isLetter {
                prefix = String(text.prefix(2))
                text = text.dropFirst(2)
            }
            guard ["eq", "ne", "lt", "gt", "le", "ge"].contains(prefix), let start = ISO8601.parse(String(text)) else {
                throw FHIRFailure.invalid(
                    "\(name) must be [eq|ne|lt|gt|le|ge]YYYY-MM-DD or an instant YYYY-MM-DDTHH:MM:SS[.mmm]Z",
                    parameter: name)
            }
            return DateBound(prefix: prefix, start: start, end: text.count == 10 ? start + 86_400_000 : start + 1)
        }
    }

    /// Date search: every `date` value must hold for `time`.
    func dateMatches(_ time: ConsensusTime) -> Bool { dates.allSatisfy { $0.holds(time.milliseconds) } }

    /// Whether `time` is before the lower bound of some `date` value (`eq`, `gt`, `ge`): on
    /// an index read newest first, nothing older can match, so the scan may stop there.
    func isBeforeEveryDateMatch(_ time: ConsensusTime) -> Bool {
        dates.contains { bound in bound.lowerBound.map { time.milliseconds < $0 } ?? false }
    }
}
