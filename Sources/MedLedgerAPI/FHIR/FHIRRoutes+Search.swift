import Foundation
import Hummingbird
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR
import MedLedgerNode

extension FHIRRoutes {
    /// `GET /fhir/{type}?…`: every supported parameter applied while the index is read, any
    /// other refused; then one page of `_count` from `_offset`, newest first.
    func search(_ spec: FHIRResourceSpec, request: Request, caller: IdentityID) async throws -> Response {
        let query = try FHIRQuery(
            rawQuery: request.uri.query, supported: spec.parameterNames, includes: Set(spec.includes))
        let matches: FHIRMatches
        switch spec.type {
        case Patient.resourceType, Practitioner.resourceType, Organization.resourceType:
            matches = FHIRMatches(try await searchRegistry(spec, query, request)) { $0 }
        case DiagnosticReport.resourceType, DocumentReference.resourceType:
            matches = try await searchReports(spec, query, request, caller: caller)
        case PractitionerRole.resourceType: matches = try await searchRoles(query, request, caller: caller)
        case Consent.resourceType: matches = try await searchConsents(query, request, caller: caller)
        case AuditEvent.resourceType: matches = try await searchAudit(query, request, caller: caller)
        default: matches = try await searchProvenance(query, request, caller: caller)
        }
        let page = try await matches.page(offset: query.offset, count: query.count)
        let included = try await includes(query.includes, of: page, request)
        return try FHIRResponse.resource(
            searchset(spec.type, matches: matches.total, page: page, included: included, query: query, request))
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

    /// A mapper that knows no identity kinds: enough to test a record against the filters
    /// (status, outcome), which do not depend on the kinds of the identities it references.
    func probe(_ request: Request) -> FHIRMapper { FHIRMapper(baseURL: baseURL(request)) { _ in nil } }

    func searchReports(_ spec: FHIRResourceSpec, _ query: FHIRQuery, _ request: Request, caller: IdentityID)
        async throws -> FHIRMatches
    {
        let patient = try query.patient()
        let speaksFor = await node.speaksFor(patient: patient, caller: caller)
        let isDiagnostic = spec.type == DiagnosticReport.resourceType
        let reports = try await scan(
            advice: "the patient has too many reports to search at once",
            page: { cursor in
                let page = try await node.reports(ofPatient: patient, before: cursor, limit: PageLimits.maxItems)
                return (page.reports, page.next)
            },
            keep: { report in
                let category = FHIRSystem.categoryCoding(report.category)
                guard query.tokenMatches("category", [(category.system, category.code ?? "")]) else { return false }
                // The statuses the mapped resources carry, without mapping every record.
                let status =
                    isDiagnostic
                    ? FHIRMapper.diagnosticReportStatus(report.latest.status)
                    : FHIRMapper.documentReferenceStatus(report.latest, of: report)
                let date = isDiagnostic ? FHIRMapper.issued(report.latest) : report.latest.submittedAt
                guard query.tokenMatches("status", [(nil, status)]), query.dateMatches(date) else { return false }
                if speaksFor { return true }
                return try await node.mayView(report: report.id, caller: caller)
            })
        return FHIRMatches(reports) { page in
            let mapper = await mapper(request, ids: page.flatMap(Self.ids(in:)))
            return page.compactMap { report in
                isDiagnostic
                    ? mapper.diagnosticReport(report).map(AnyResource.diagnosticReport)
                    : mapper.documentReference(report).map(AnyResource.documentReference)
            }
        }
    }

    func searchConsents(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> FHIRMatches {
        let patient = try query.patient()
        let speaksFor = await node.speaksFor(patient: patient, caller: caller)
        let all = await node.grants(ofPatient: patient)
        guard all.count <= FHIRQuery.maxScanned else {
            throw FHIRFailure(.badRequest, "too-costly", "the patient has more than \(FHIRQuery.maxScanned) grants")
        }
        let time = await node.consensusTime
        let probe = probe(request)
        // Newest first, like the other searches; the id breaks ties.
        let grants = all.filter { grant in
            (speaksFor || grant.grantee == caller || grant.grantedBy == caller)
                && query.tokenMatches("status", [(nil, probe.consent(grant, at: time).status)])
                && query.dateMatches(grant.grantedAt)
        }.sorted { ($0.grantedAt, $1.id) > ($1.grantedAt, $0.id) }
        return FHIRMatches(grants) { page in
            let mapper = await mapper(request, ids: page.flatMap { [$0.patient, $0.grantee, $0.grantedBy] })
            return page.map { .consent(mapper.consent($0, at: time)) }
        }
    }

    /// AuditEvents of a patient's trail (`patient`), or of an organization's access log
    /// (`agent=Organization/ID`, optionally with `patient`); each shown only to who may see it.
    func searchAudit(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> FHIRMatches {
        let organization = try query.single("agent").map {
            try FHIRQuery.identity($0, parameter: "agent", type: "Organization")
        }
        let patient = organization == nil || !query.values("patient").isEmpty ? try query.patient() : nil
        guard
            let index = organization.map({ EventIndexKey.accessLog(organization: $0) })
                ?? patient.map({ EventIndexKey.auditTrail(patient: $0) })
        else { throw FHIRFailure.invalid("an AuditEvent search needs patient or agent", parameter: "patient") }
        let probe = probe(request)
        let events = try await scan(
            advice: "narrow the search with date (ge or gt: the log is read newest first)",
            page: { cursor in
                let page = try await node.events(subject: index, before: cursor, limit: PageLimits.maxItems)
                return (page.events, page.next)
            },
            stop: { query.isBeforeEveryDateMatch($0.time) },
            keep: { event in
                guard let audit = probe.auditEvent(event), query.dateMatches(event.time),
                    query.tokenMatches("outcome", [(nil, audit.outcome ?? "")])
                else { return false }
                if let patient, case .access(_, _, let owner, _, _, _, _) = event.event, owner != patient {
                    return false
                }
                return await maySee(access: event, caller: caller)
            })
        return FHIRMatches(events) { page in
            let mapper = await mapper(request, ids: page.flatMap(Self.ids(in:)))
            return page.compactMap { mapper.auditEvent($0).map(AnyResource.auditEvent) }
        }
    }

    /// Provenance of the signed actions on a patient's reports (`patient`) or on one report
    /// (`target`), for the reports whose history the caller may see; newest first.
    func searchProvenance(_ query: FHIRQuery, _ request: Request, caller: IdentityID) async throws -> FHIRMatches {
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
            let patient = try query.patient()
            reports = try await scan(
                advice: "the patient has too many reports: search by target=DiagnosticReport/ID",
                page: { cursor in
                    let page = try await node.reports(ofPatient: patient, before: cursor, limit: PageLimits.maxItems)
                    return (page.reports.map(\.id), page.next)
                }, keep: { _ in true })
        }
        let probe = probe(request)
        var seen = Set<Hash256>()
        var found: [(stored: StoredTransaction, time: ConsensusTime)] = []
        for report in reports where await node.mayViewHistory(report: report, caller: caller) {
            let events = try await scan(
                advice: "search by target=DiagnosticReport/ID",
                page: { cursor in
                    let page = try await node.events(subject: report.bytes, before: cursor, limit: PageLimits.maxItems)
                    return (page.events, page.next)
                }, keep: { _ in true })
            for event in events {
                guard let hash = event.transactionHash, seen.insert(hash).inserted,
                    case .committed(let stored) = try await node.transactionStatus(hash),
                    probe.provenance(stored, time: event.time) != nil
                else { continue }
                found.append((stored, event.time))
            }
            guard found.count <= FHIRQuery.maxScanned else {
                throw FHIRFailure(
                    .badRequest, "too-costly",
                    "more than \(FHIRQuery.maxScanned) transactions match: search by target=DiagnosticReport/ID")
            }
        }
        found.sort { ($0.stored.height, $0.stored.position) > ($1.stored.height, $1.stored.position) }
        return FHIRMatches(found) { page in
            let mapper = await mapper(request, ids: page.map(\.stored.transaction.signer))
            return page.compactMap { mapper.provenance($0.stored, time: $0.time).map(AnyResource.provenance) }
        }
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
