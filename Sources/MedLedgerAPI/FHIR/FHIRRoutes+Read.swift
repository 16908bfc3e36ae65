import Foundation
import Hummingbird
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR
import MedLedgerNode

extension FHIRRoutes {
    /// `GET /fhir/{type}/{id}` and `…/_history/{vid}`. A record the caller may not see
    /// answers 404 like an unknown one, so ids cannot be probed.
    func read(_ spec: FHIRResourceSpec, id: String, version: ReportVersion?, caller: IdentityID, _ request: Request)
        async throws -> Response
    {
        let notFound = FHIRFailure.notFound(spec.type, String(id.prefix(80)))
        switch spec.type {
        case Patient.resourceType, Practitioner.resourceType, Organization.resourceType:
            guard let identityID = IdentityID(hex: id), let record = await node.identity(identityID),
                let resource = await mapper(request, ids: []).resource(for: record), resource.resourceType == spec.type
            else { throw notFound }
            return try FHIRResponse.resource(resource)
        case PractitionerRole.resourceType: return try await readRole(id: id, request)
        case DiagnosticReport.resourceType, DocumentReference.resourceType:
            guard let reportID = ReportID(hex: id), try await node.mayView(report: reportID, caller: caller),
                let report = await node.report(reportID)
            else { throw notFound }
            let mapper = await mapper(request, ids: Self.ids(in: report))
            let resource: AnyResource? =
                spec.type == DiagnosticReport.resourceType
                ? mapper.diagnosticReport(report, version: version).map(AnyResource.diagnosticReport)
                : mapper.documentReference(report, version: version).map(AnyResource.documentReference)
            guard let resource else {
                throw FHIRFailure(.notFound, "not-found", "\(spec.type)/\(id) has no version \(version?.rawValue ?? 0)")
            }
            let versionID = version ?? report.latest.version
            return try FHIRResponse.resource(resource, etag: "W/\"\(versionID.rawValue)\"")
        case Consent.resourceType:
            guard let grantID = GrantID(hex: id), let grant = await node.grant(grantID),
                await maySee(grant: grant, caller: caller)
            else { throw notFound }
            let mapper = await mapper(request, ids: [grant.patient, grant.grantee, grant.grantedBy])
            let consent = mapper.consent(grant, at: await node.consensusTime)
            return try FHIRResponse.resource(consent, etag: "W/\"\(consent.meta?.versionId ?? "1")\"")
        case AuditEvent.resourceType:
            guard let event = try await accessEvent(id), await maySee(access: event, caller: caller),
                let audit = await mapper(request, ids: Self.ids(in: event)).auditEvent(event)
            else { throw notFound }
            return try FHIRResponse.resource(audit, etag: "W/\"1\"")
        default:
            guard let hash = Hash256(hex: id), case .committed(let stored) = try await node.transactionStatus(hash),
                let block = try await node.block(at: stored.height), await maySee(transaction: stored, caller: caller),
                let provenance = await mapper(request, ids: Self.ids(in: stored)).provenance(
                    stored, time: block.header.time)
            else { throw notFound }
            return try FHIRResponse.resource(provenance, etag: "W/\"1\"")
        }
    }

    /// The access event `height-position-eventIndex` names, from its block and receipt.
    func accessEvent(_ id: String) async throws -> IndexedEvent? {
        guard let (height, position, index) = FHIRMapper.parseEventID(id),
            let block = try await node.block(at: height), position >= 0, position < block.transactions.count
        else { return nil }
        let hash = block.transactions[position].hash
        guard case .committed(let stored) = try await node.transactionStatus(hash), index >= 0,
            index < stored.receipt.events.count, case .access = stored.receipt.events[index]
        else { return nil }
        return IndexedEvent(
            height: height, position: position, eventIndex: index, time: block.header.time, transactionHash: hash,
            event: stored.receipt.events[index])
    }

    static func ids(in event: IndexedEvent) -> [IdentityID] {
        guard case .access(_, _, let patient, let reader, _, _, let organization) = event.event else { return [] }
        return [patient, reader] + (organization.map { [$0] } ?? [])
    }

    static func ids(in stored: StoredTransaction) -> [IdentityID] { [stored.transaction.signer] }

    /// A grant is seen by its patient and guardians, its grantee and whoever granted it.
    func maySee(grant: GrantRecord, caller: IdentityID) async -> Bool {
        if caller == grant.grantee || caller == grant.grantedBy { return true }
        return await node.speaksFor(patient: grant.patient, caller: caller)
    }

    /// An access receipt is seen by the patient and guardians, the reader, and those who
    /// oversee the reader's organization (its key, privacy officers, admins).
    func maySee(access event: IndexedEvent, caller: IdentityID) async -> Bool {
        guard case .access(_, _, let patient, let reader, _, _, let organization) = event.event else { return false }
        if caller == reader { return true }
        if await node.speaksFor(patient: patient, caller: caller) { return true }
        if let organization { return await node.mayOverseeOrganization(organization, caller: caller) }
        return false
    }

    /// A transaction's Provenance is seen by whoever may see the history of every report it
    /// touched and every grant it changed.
    func maySee(transaction stored: StoredTransaction, caller: IdentityID) async -> Bool {
        var touched = false
        for event in stored.receipt.events {
            switch event {
            case .report(let report, _, _, _, _, _):
                guard await node.mayViewHistory(report: report, caller: caller) else { return false }
                touched = true
            case .grantChanged(let grantID, _, _, _):
                guard let grant = await node.grant(grantID), await maySee(grant: grant, caller: caller) else {
                    return false
                }
                touched = true
            default: continue
            }
        }
        return touched
    }
}
