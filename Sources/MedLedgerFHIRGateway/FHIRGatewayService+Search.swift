import Foundation
import MedLedgerCore

/// Searches over the gateway's index (the reports this gateway wrote), with strict handling:
/// a parameter this gateway does not support is refused with an OperationOutcome instead of
/// ignored, so a search never returns everything by mistake.
extension FHIRGatewayService {
    public static let searchParameters: Set<String> = [
        "patient", "subject", "patient.identifier", "identifier", "category", "status", "_id", "_count", "_offset",
    ]
    /// What the node's facade takes for reports (docs/fhir.md), plus `patient.identifier`,
    /// which the gateway turns into `patient`.
    public static let facadeParameters: Set<String> = [
        "patient", "subject", "patient.identifier", "category", "status", "date", "_count", "_offset", "_format",
        "_include",
    ]
    public static let searchCountDefault = 50
    public static let searchCountMax = 100

    /// `GET DiagnosticReport?…` / `GET DocumentReference?…`: passed through to the node's
    /// facade (which sees the whole ledger, as far as this identity may), with
    /// `patient.identifier` (an MRN) turned into `patient=<ledger id>` here, so no MRN leaves
    /// the gateway. Searches by `identifier` or `_id` (which the ledger cannot answer: business
    /// identifiers are inside the encrypted reports) use the gateway's own index, as do all
    /// searches when the client does not talk HTTP. `base` is the absolute URL of the type.
    public func search(type: String, query: [(String, String)], base: String) async throws -> FHIRValue {
        let local = query.contains { $0.0 == "identifier" || $0.0 == "_id" }
        guard let facade, !local else { return try searchIndex(type: type, query: query, base: base) }
        // Checked here too, so a refusal never depends on whether an MRN is known.
        for (name, _) in query where !Self.facadeParameters.contains(name) {
            throw FHIRProblem(
                400, .notSupported,
                "search parameter \(name) is not supported for \(type); supported: \(Self.facadeParameters.union(["identifier", "_id"]).sorted().joined(separator: ", "))",
                expression: name)
        }
        var forwarded: [(String, String)] = []
        for (name, value) in query {
            guard name == "patient.identifier" else {
                forwarded.append((name, value))
                continue
            }
            guard let patient = try findPatient(identifier: value) else {
                return .object([
                    "resourceType": .string("Bundle"), "type": .string("searchset"), "total": .integer(0),
                    "link": .array([.object(["relation": .string("self"), "url": .string(base)])]),
                ])
            }
            forwarded.append(("patient", patient.hex))
        }
        let gatewayFHIR = base.hasSuffix("/\(type)") ? String(base.dropLast(type.count + 1)) : base
        let answer = try await facade.search(type: type, query: forwarded, gatewayFHIR: gatewayFHIR)
        guard (200..<300).contains(answer.status) else { throw answer }
        return answer.body
    }

    /// The gateway's own index: the reports it wrote.
    func searchIndex(type: String, query: [(String, String)], base: String) throws -> FHIRValue {
        var count = Self.searchCountDefault
        var offset = 0
        var filters: [(Summary) -> Bool] = []
        for (name, value) in query {
            guard Self.searchParameters.contains(name) else {
                throw FHIRProblem(
                    400, .notSupported,
                    "search parameter \(name) is not supported for \(type); supported: \(Self.searchParameters.sorted().joined(separator: ", "))",
                    expression: name)
            }
            switch name {
            case "_count":
                guard let number = Int(value), (1...Self.searchCountMax).contains(number) else {
                    throw FHIRProblem(400, .value, "_count must be 1-\(Self.searchCountMax)", expression: name)
                }
                count = number
            case "_offset":
                guard let number = Int(value), number >= 0 else {
                    throw FHIRProblem(400, .value, "_offset must be a whole number ≥ 0", expression: name)
                }
                offset = number
            case "patient", "subject":
                let hex = value.hasPrefix("Patient/") ? String(value.dropFirst(8)) : value
                guard IdentityID(hex: hex) != nil else {
                    throw FHIRProblem(400, .value, "\(name) must be Patient/<64-hex ledger id>", expression: name)
                }
                filters.append { $0.patient == hex }
            case "patient.identifier":
                let patient = try findPatient(identifier: value)?.hex
                filters.append { $0.patient == patient }
            case "identifier":
                filters.append { $0.identifiers.contains(value) }
            case "category":
                let code = value.split(separator: "|").last.map(String.init) ?? value
                filters.append { $0.category == code }
            case "status":
                let accepted = Set(value.split(separator: ",").map(String.init))
                filters.append { accepted.contains($0.status) }
            default:  // _id
                let ids = Set(value.split(separator: ",").map(String.init))
                filters.append { ids.contains(String($0.location.split(separator: "/")[1])) }
            }
        }
        // By identifier, the one report filed under it (a keyed lookup, not a scan of the index).
        let candidates: [Summary]
        if let identifier = query.first(where: { $0.0 == "identifier" })?.1 {
            candidates =
                try store.value(.resourceIdentifier, "\(type)|\(identifier)").flatMap(summary).map { [$0] } ?? []
        } else {
            candidates = try summaries()
        }
        let matches =
            candidates
            .filter { summary in summary.resource.resourceType == type && filters.allSatisfy { $0(summary) } }
            .sorted { ($0.lastUpdated, $0.location) > ($1.lastUpdated, $1.location) }
        let page = matches.dropFirst(offset).prefix(count)
        let kept = query.filter { $0.0 != "_offset" }
        func link(_ relation: String, _ start: Int) -> FHIRValue {
            var items = kept.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }
            if start > 0 { items.append("_offset=\(start)") }
            let url = items.isEmpty ? base : "\(base)?\(items.joined(separator: "&"))"
            return .object(["relation": .string(relation), "url": .string(url)])
        }
        var links = [link("self", offset)]
        if offset + page.count < matches.count { links.append(link("next", offset + page.count)) }
        let root = base.hasSuffix("/\(type)") ? String(base.dropLast(type.count)) : base + "/"
        let entries: [FHIRValue] = page.map { summary in
            let url: String = root + summary.location.components(separatedBy: "/_history")[0]
            let fields: [String: FHIRValue] = [
                "fullUrl": .string(url), "resource": summary.resource, "search": .object(["mode": .string("match")]),
            ]
            return FHIRValue.object(fields)
        }
        let bundle: [String: FHIRValue] = [
            "resourceType": .string("Bundle"), "type": .string("searchset"),
            "total": .integer(Int64(matches.count)), "link": .array(links), "entry": .array(entries),
        ]
        return .object(bundle)
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+|")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
