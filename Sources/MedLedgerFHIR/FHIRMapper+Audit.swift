import Foundation
import MedLedgerContracts
import MedLedgerCore

extension FHIRMapper {
    /// The id of the resource made from an indexed event: `height-position-eventIndex`, unique
    /// on the chain and a valid FHIR id.
    public static func eventID(_ event: IndexedEvent) -> String {
        "\(event.height.rawValue)-\(event.position)-\(event.eventIndex)"
    }

    /// Parses an `eventID`; nil when it is not one.
    public static func parseEventID(_ id: String) -> (height: Height, position: Int, eventIndex: Int)? {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 19 && $0.allSatisfy(\.isASCII) }),
            let height = UInt64(parts[0]), let position = Int(parts[1]), let index = Int(parts[2])
        else { return nil }
        return (Height(height), position, index)
    }

    static func blockExtensions(height: Height, transaction: Hash256?) -> [Extension] {
        [Extension(url: FHIRExtensionURL.blockHeight, valueString: "\(height.rawValue)")]
            + (transaction.map { [Extension(url: FHIRExtensionURL.transaction, valueString: $0.hex)] } ?? [])
    }

    /// An access receipt, allowed or denied, as an AuditEvent (a FHIR `read` by the reader);
    /// nil for any other event.
    public func auditEvent(_ indexed: IndexedEvent) -> AuditEvent? {
        guard
            case .access(let report, let version, let patient, let reader, let purpose, let basis, let organization) =
                indexed.event
        else { return nil }
        let purposeConcept = CodeableConcept(coding: [Self.purposeCoding(purpose)])
        var agents = [AuditEvent.Agent(who: reference(reader), requestor: true, purposeOfUse: [purposeConcept])]
        if let organization {
            agents.append(
                AuditEvent.Agent(
                    type: CodeableConcept(
                        system: FHIRSystem.participationType, code: "PROV", display: "healthcare provider"),
                    who: reference(organization), requestor: false))
        }
        let basisText: String
        var entities = [
            AuditEvent.Entity(
                what: Self.versioned(DiagnosticReport.resourceType, report.hex, version),
                type: Coding(system: FHIRSystem.auditEntityType, code: "2", display: "System Object"),
                role: Coding(system: FHIRSystem.objectRole, code: "4", display: "Domain Resource")),
            AuditEvent.Entity(
                what: Reference(reference: "Patient/\(patient.hex)"),
                type: Coding(system: FHIRSystem.auditEntityType, code: "1", display: "Person"),
                role: Coding(system: FHIRSystem.objectRole, code: "1", display: "Patient")),
        ]
        switch basis {
        case .relationship: basisText = "allowed: patient, guardian or authoring organization"
        case .grant(let grant):
            basisText = "allowed: grant \(grant.hex)"
            entities.append(
                AuditEvent.Entity(
                    what: Reference(reference: "Consent/\(grant.hex)"),
                    type: Coding(system: FHIRSystem.auditEntityType, code: "2", display: "System Object"),
                    role: Coding(system: FHIRSystem.objectRole, code: "13", display: "Security Resource")))
        case .denied(let code): basisText = "denied: \(code.name)"
        }
        entities[0].detail = [AuditEvent.Detail(type: "basis", valueString: basisText)]
        var event = AuditEvent(
            id: Self.eventID(indexed),
            type: Coding(system: FHIRSystem.auditEventType, code: "rest", display: "RESTful Operation"),
            recorded: Self.time(indexed.time), agent: agents,
            source: AuditEvent.Source(
                site: "MedLedger", observer: Reference(display: "MedLedger ledger, block \(indexed.height.rawValue)")))
        event.meta = Meta(versionId: "1", lastUpdated: Self.time(indexed.time))
        event.extension = Self.blockExtensions(height: indexed.height, transaction: indexed.transactionHash)
        event.subtype = [Coding(system: FHIRSystem.restfulInteraction, code: "read", display: "read")]
        event.action = "R"
        event.period = Period(start: Self.time(indexed.time), end: Self.time(indexed.time))
        event.outcome = basis.isGranted ? "0" : "4"
        event.outcomeDesc = basisText
        event.purposeOfEvent = [purposeConcept]
        event.entity = entities
        return event
    }
}
