import Foundation
import Hummingbird
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR
import MedLedgerNode

extension FHIRRoutes {
    /// `GET /fhir/{type}?…`: every supported parameter applied, any other refused; matches
    /// collected (at most `FHIRQuery.maxMatches`), then one page of `_count` from `_offset`.
    func search(_ spec: FHIRResourceSpec, request: Request, caller: IdentityID) async throws -> Response {
        let query = try FHIRQuery(
            rawQuery: request.uri.query, supported: spec.parameterNames, includes: Set(spec.includes))
        let matches: [AnyResource]
        switch spec.type {
        case Patient.resourceType, Practitioner.resourceType, Organization.resourceType:
            matches = try await searchRegistry(spec, query, request)
        case DiagnosticReport.resourceType, DocumentReference.resourceType:
            matches = try await searchReports(spec, query, request, caller: caller)
        case Consent.resourceType: matches = try await searchConsents(query, request, caller: caller)
        case AuditEvent.resourceType: matches = try await searchAudit(query, request, caller: caller)
        default: matches = try await searchProvenance(query, request, caller: caller)
        }
        let page = Array(matches.dropFirst(query.offset).prefix(query.count))
        let included = try await includes(query.includes, of: page, request)
        return try FHIRResponse.resource(
            searchset(spec.type, matches: matches.count, page: page, included: included, query: query, request))
    }

    func searchset(
        _ type: String, matches total: Int, page: [AnyResource], included: [AnyResource], query: FHIRQuery,
        _ request: Request
    ) -> MedLedgerFHIR.Bundle {
        let base = baseURL(request) + "/fhir"
        func url(offset: Int?) -> String {
            var items = query.parameters.filter { $0.name != "_offset" }
            if let offset { items.append(("_offset", "\(offset)")) }
            let encoded = items.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
            return "\(base)/\(type)" + (encoded.isEmpty ? "" : "?\(encoded)")
        }
        var bundle = MedLedgerFHIR.Bundle(type: "searchset")
        bundle.total = total
        var links = [
            MedLedgerFHIR.Bundle.Link(relation: "self", url: url(offset: query.offset == 0 ? nil : query.offset))
        ]
        if query.offset + query.count < total {
            links.append(.init(relation: "next", url: url(offset: query.offset + query.count)))
        }
        if query.offset > 0 {
            links.append(.init(relation: "previous", url: url(offset: max(0, query.offset - query.count))))
        }
        bundle.link = links
        func entry(_ resource: AnyResource, _ mode: String) -> MedLedgerFHIR.Bundle.Entry {
            .init(
                fullUrl: "\(base)/\(resource.resourceType)/\(resource.id ?? "")", resource: resource,
                search: .init(mode: mode))
        }
        bundle.entry = page.map { entry($0, "match") } + included.map { entry($0, "include") }
        return bundle
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Patient, Practitioner, Organization by `_id` or `identifier` (one is required: the
    /// registry is not listed whole).
    func searchRegistry(_ spec: FHIRResourceSpec, _ query: FHIRQuery, _ request: Request) async throws
        -> [AnyResource]
    {
        var wanted: [String] = query.values("_id").flatMap { $0.split(separator: ",").map(String.init) }
        for value in query.values("identifier") {
            for alternative in value.split(separator: ",") {
                let parts = alternative.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0] != FHIRSystem.identity { continue }
                wanted.append(String(parts.last ?? ""))
            }
        }
        guard !query.values("_id").isEmpty || !query.values("identifier").isEmpty else {
            throw FHIRFailure.invalid("a \(spec.type) search needs _id or identifier", parameter: "_id")
        }
        let mapper = await mapper(request, ids: [])
        var result: [AnyResource] = []
        for text in Set(wanted).sorted().prefix(FHIRQuery.maxCount) {
            guard let id = IdentityID(hex: text), let record = await node.identity(id),
                let resource = mapper.resource(for: record), resource.resourceType == spec.type
            else { continue }
            result.append(resource)
        }
        return result
    }

    /// The patient's reports (at most `maxMatches`), newest first.
    func reports(of patient: IdentityID) async throws -> [ReportRecord] {
        var result: [ReportRecord] = []
        var cursor: EventCursor?
        repeat {
            let page = try await node.reports(ofPatient: patient, before: cursor, limit: PageLimits.maxItems)
            result += page.reports
            cursor = page.next
            if result.count > FHIRQuery.maxMatches {
                throw FHIRFailure(
                    .badRequest, "too-costly", "the patient has more than \(FHIRQuery.maxMatches) reports")
            }
        } while cursor != nil
        return result
    }

    func searchReports(_ spec: FHIRResourceSpec, _ query: FHIRQuery, _ request: Request, caller: IdentityID)
        async throws -> [AnyResource]
    {
        let patient = try query.patient()
        let speaksFor = await node.speaksFor(patient: patient, caller: caller)
        var visible: [ReportRecord] = []
        for report in try await reports(of: patient) {
            if speaksFor {
                visible.append(report)
            } else if try await node.mayView(report: report.id, caller: caller) {
                visible.append(report)
            }
        }
        let mapper = await mapper(request, ids: visible.flatMap(Self.ids(in:)))
        var result: [AnyResource] = []
        for report in visible {
            let category = FHIRSystem.categoryCoding(report.category)
            guard query.tokenMatches("category", [(category.system, category.code ?? "")]) else { continue }
            if spec.type == DiagnosticReport.resourceType {
                guard let resource = mapper.diagnosticReport(report),
                    query.tokenMatches("status", [(nil, resource.status)]),
                    try query.dateMatches("date", FHIRMapper.issued(report.latest))
                else { continue }
                result.append(.diagnosticReport(resource))
            } else {
                guard let resource = mapper.documentReference(report),
                    query.tokenMatches("status", [(nil, resource.status)]),
                    try query.dateMatches("date", report.latest.submittedAt)
                else { continue }
                result.append(.documentReference(resource))
            }
        }
        return result
    }

    func searchConsents(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> [AnyResource] {
        let patient = try query.patient()
        let speaksFor = await node.speaksFor(patient: patient, caller: caller)
        let grants = await node.grants(ofPatient: patient).filter {
            speaksFor || $0.grantee == caller || $0.grantedBy == caller
        }
        guard grants.count <= FHIRQuery.maxMatches else {
            throw FHIRFailure(.badRequest, "too-costly", "the patient has more than \(FHIRQuery.maxMatches) grants")
        }
        let time = await node.consensusTime
        let mapper = await mapper(request, ids: grants.flatMap { [$0.patient, $0.grantee, $0.grantedBy] })
        var result: [AnyResource] = []
        // Newest first, like the other searches; the id breaks ties.
        for grant in grants.sorted(by: { ($0.grantedAt, $1.id) > ($1.grantedAt, $0.id) }) {
            let consent = mapper.consent(grant, at: time)
            guard query.tokenMatches("status", [(nil, consent.status)]),
                try query.dateMatches("date", grant.grantedAt)
            else { continue }
            result.append(.consent(consent))
        }
        return result
    }

    func searchAudit(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> [AnyResource] {
        let patient = try query.patient()
        var events: [IndexedEvent] = []
        var cursor: EventCursor?
        repeat {
            let page = try await node.accessTrail(ofPatient: patient, before: cursor, limit: PageLimits.maxItems)
            for event in page.events where await maySee(access: event, caller: caller) { events.append(event) }
            cursor = page.next
            if events.count > FHIRQuery.maxMatches {
                throw FHIRFailure(
                    .badRequest, "too-costly",
                    "more than \(FHIRQuery.maxMatches) access events match: narrow the search with date")
            }
        } while cursor != nil
        let mapper = await mapper(request, ids: events.flatMap(Self.ids(in:)))
        var result: [AnyResource] = []
        for event in events {
            guard let audit = mapper.auditEvent(event), try query.dateMatches("date", event.time),
                query.tokenMatches("outcome", [(nil, audit.outcome ?? "")])
            else { continue }
            result.append(.auditEvent(audit))
        }
        return result
    }

    /// Provenance of the signed actions on a patient's reports (`patient`) or on one report
    /// (`target`), for the reports whose history the caller may see; newest first.
    func searchProvenance(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> [AnyResource] {
        var reports: [ReportID] = []
        if let target = try query.single("target") {
            guard query.values("patient").isEmpty else {
                throw FHIRFailure.invalid("give patient or target, not both", parameter: "target")
            }
            var text = Substring(target)
            if let range = text.range(of: "DiagnosticReport/", options: .backwards) { text = text[range.upperBound...] }
            if let range = text.range(of: "/_history/") { text = text[..<range.lowerBound] }
            guard let id = ReportID(hex: String(text)) else {
                throw FHIRFailure.invalid("target must be DiagnosticReport/ID", parameter: "target")
            }
            reports = [id]
        } else {
            reports = try await self.reports(of: try query.patient()).map(\.id)
        }
        var seen = Set<Hash256>()
        var found: [(stored: StoredTransaction, time: ConsensusTime)] = []
        for report in reports where await node.mayViewHistory(report: report, caller: caller) {
            var cursor: EventCursor?
            repeat {
                let page = try await node.events(subject: report.bytes, before: cursor, limit: PageLimits.maxItems)
                for event in page.events {
                    guard let hash = event.transactionHash, seen.insert(hash).inserted,
                        case .committed(let stored) = try await node.transactionStatus(hash)
                    else { continue }
                    found.append((stored, event.time))
                }
                cursor = page.next
                if found.count > FHIRQuery.maxMatches {
                    throw FHIRFailure(
                        .badRequest, "too-costly", "more than \(FHIRQuery.maxMatches) transactions match")
                }
            } while cursor != nil
        }
        found.sort { ($0.stored.height, $0.stored.position) > ($1.stored.height, $1.stored.position) }
        let mapper = await mapper(request, ids: found.map(\.stored.transaction.signer))
        return found.compactMap { item in mapper.provenance(item.stored, time: item.time).map(AnyResource.provenance) }
    }

    /// The resources `_include` asks for, for the page's matches only (so paging counts
    /// matches, never included resources), each once.
    func includes(_ wanted: Set<String>, of page: [AnyResource], _ request: Request) async throws -> [AnyResource] {
        guard !wanted.isEmpty else { return [] }
        var references: [String?] = []
        for resource in page {
            switch resource {
            case .diagnosticReport(let report):
                if wanted.contains("DiagnosticReport:subject") { references += [report.subject?.reference] }
                if wanted.contains("DiagnosticReport:performer") {
                    references += (report.performer ?? []).map(\.reference)
                }
            case .documentReference(let document):
                if wanted.contains("DocumentReference:subject") { references += [document.subject?.reference] }
                if wanted.contains("DocumentReference:author") {
                    references += (document.author ?? []).map(\.reference)
                }
            default: continue
            }
        }
        var seen = Set<String>()
        let mapper = await mapper(request, ids: [])
        var result: [AnyResource] = []
        for reference in references.compactMap({ $0 }) where seen.insert(reference).inserted {
            guard let slash = reference.lastIndex(of: "/"),
                let id = IdentityID(hex: String(reference[reference.index(after: slash)...])),
                let record = await node.identity(id), let resource = mapper.resource(for: record)
            else { continue }
            result.append(resource)
        }
        return result
    }
}
