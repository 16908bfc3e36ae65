/// A transaction Bundle taken apart: its Patient entries (which name ledger pseudonyms), its
/// report entries with every other resource they reference (`urn:uuid:` full URLs) moved
/// into their `contained`, so each report's plaintext is whole. Pure: no store, no network.
struct TransactionPlan {
    struct Entry {
        let index: Int
        let fullUrl: String?
        var resource: FHIRValue
        let ifNoneExist: String?
        var path: String { "Bundle.entry[\(index)].resource" }
    }

    static let entriesMax = 200

    var patients: [Entry] = []
    var reports: [Entry] = []
    /// Entry index of each contained resource → the entry index of the report holding it.
    var containedIn: [Int: Int] = [:]
    let count: Int

    init(_ bundle: FHIRValue) throws(FHIRProblem) {
        guard bundle.resourceType == "Bundle" else {
            throw FHIRProblem(400, .invalid, "expected a Bundle", expression: "resourceType")
        }
        guard bundle["type"]?.string == "transaction" else {
            throw FHIRProblem(
                422, .notSupported,
                "only Bundle.type transaction is accepted here, not \(bundle["type"]?.string ?? "none")",
                expression: "Bundle.type")
        }
        let entries = bundle["entry"]?.array ?? []
        guard !entries.isEmpty, entries.count <= Self.entriesMax else {
            throw FHIRProblem(
                422, .tooCostly, "a transaction holds 1-\(Self.entriesMax) entries, this one \(entries.count)",
                expression: "Bundle.entry")
        }
        count = entries.count
        var others: [Entry] = []
        for (index, raw) in entries.enumerated() {
            guard let resource = raw["resource"], let type = resource.resourceType else {
                throw FHIRProblem(
                    400, .required, "each entry needs a resource with a resourceType",
                    expression: "Bundle.entry[\(index)].resource")
            }
            let method = raw["request"]?["method"]?.string
            guard method == "POST" || method == "PUT" else {
                throw FHIRProblem(
                    422, .notSupported,
                    "entries are created with POST (or PUT for a Patient), not \(method ?? "nothing")",
                    expression: "Bundle.entry[\(index)].request.method")
            }
            let entry = Entry(
                index: index, fullUrl: raw["fullUrl"]?.string, resource: resource,
                ifNoneExist: raw["request"]?["ifNoneExist"]?.string)
            if type == "Patient" {
                patients.append(entry)
            } else if ReportIntake.reportTypes.contains(type) {
                reports.append(entry)
            } else {
                others.append(entry)
            }
        }
        try contain(others)
    }

    /// Moves each non-report, non-Patient entry into the report that references it.
    private mutating func contain(_ others: [Entry]) throws(FHIRProblem) {
        for other in others {
            guard let url = other.fullUrl else {
                throw FHIRProblem(
                    422, .required,
                    "a \(other.resource.resourceType ?? "resource") entry needs a fullUrl for a report to reference it",
                    expression: "Bundle.entry[\(other.index)].fullUrl")
            }
            let containedID = url.hasPrefix("urn:uuid:") ? String(url.dropFirst(9)) : "entry\(other.index)"
            var holder: Int?
            for position in reports.indices where reports[position].resource.references(url) {
                reports[position].resource = reports[position].resource.mapStrings {
                    $0 == url ? "#\(containedID)" : $0
                }
                var resource = other.resource
                resource["id"] = .string(containedID)
                resource["meta"] = nil
                var contained = reports[position].resource["contained"]?.array ?? []
                contained.append(resource)
                reports[position].resource["contained"] = .array(contained)
                holder = holder ?? reports[position].index
            }
            guard let holder else {
                throw FHIRProblem(
                    422, .notSupported,
                    "\(other.resource.resourceType ?? "this entry") is referenced by no DiagnosticReport or DocumentReference in the bundle; the gateway stores reports (with what they reference contained in them)",
                    expression: "Bundle.entry[\(other.index)]")
            }
            containedIn[other.index] = holder
        }
    }
}

extension FHIRValue {
    /// True when some string value equals `url`.
    func references(_ url: String) -> Bool {
        switch self {
        case .string(let value): value == url
        case .array(let items): items.contains { $0.references(url) }
        case .object(let fields): fields.values.contains { $0.references(url) }
        default: false
        }
    }

    /// The first string value that starts with `prefix`.
    func firstString(withPrefix prefix: String) -> String? {
        switch self {
        case .string(let value): value.hasPrefix(prefix) ? value : nil
        case .array(let items): items.lazy.compactMap { $0.firstString(withPrefix: prefix) }.first
        case .object(let fields):
            fields.keys.sorted().lazy.compactMap { fields[$0]?.firstString(withPrefix: prefix) }.first
        default: nil
        }
    }
}
