import Foundation
import MedLedgerContracts
import MedLedgerCore

extension FHIRMapper {
    /// What a signed action is, for Provenance: its activity coding, the agent's participant
    /// type and the ASTM E1762 signature type.
    static func provenanceTerms(_ action: ReportAction?) -> (activity: [Coding], agent: String, signature: Coding) {
        let author = Coding(
            system: FHIRSystem.signatureType, code: "1.2.840.10065.1.12.1.1", display: "Author's Signature")
        let verification = Coding(
            system: FHIRSystem.signatureType, code: "1.2.840.10065.1.12.1.5", display: "Verification Signature")
        let modification = Coding(
            system: FHIRSystem.signatureType, code: "1.2.840.10065.1.12.1.16", display: "Modification Signature")
        let consent = Coding(
            system: FHIRSystem.signatureType, code: "1.2.840.10065.1.12.1.7", display: "Consent Signature")
        guard let action else {
            return ([Coding(system: FHIRSystem.ledgerAction, code: "grant-change")], "author", consent)
        }
        let own = Coding(system: FHIRSystem.ledgerAction, code: action.name)
        switch action {
        case .submitted:
            return (
                [own, Coding(system: FHIRSystem.dataOperation, code: "CREATE", display: "create")], "author", author
            )
        case .revised:
            return (
                [own, Coding(system: FHIRSystem.dataOperation, code: "UPDATE", display: "revise")], "author",
                modification
            )
        case .enteredInError:
            return (
                [own, Coding(system: FHIRSystem.dataOperation, code: "NULLIFY", display: "nullify")], "author",
                modification
            )
        case .approved, .distributed: return ([own], "attester", verification)
        case .rekeyed: return ([own], "custodian", modification)
        }
    }

    /// A committed transaction that changed reports or grants as a Provenance: who signed it
    /// (with the signature), which report versions or consents it touched, in which block.
    /// nil for a transaction that touched neither (or was refused).
    public func provenance(_ stored: StoredTransaction, time: ConsensusTime) -> Provenance? {
        var targets: [Reference] = []
        var entities: [Provenance.Entity] = []
        var firstAction: ReportAction?
        var touchesReports = false
        for event in stored.receipt.events {
            switch event {
            case .report(let report, let version, _, let action, _, _):
                if !touchesReports { firstAction = action }
                touchesReports = true
                targets.append(Self.versioned(DiagnosticReport.resourceType, report.hex, version))
                if action == .revised, version.rawValue > 1 {
                    entities.append(
                        Provenance.Entity(
                            role: "revision",
                            what: Self.versioned(
                                DiagnosticReport.resourceType, report.hex, ReportVersion(version.rawValue - 1))))
                }
            case .grantChanged(let grant, _, _, _):
                targets.append(Reference(reference: "Consent/\(grant.hex)"))
            default: continue
            }
        }
        var seen = Set<String>()
        targets = targets.filter { seen.insert($0.reference ?? "").inserted }
        guard !targets.isEmpty else { return nil }
        let terms = Self.provenanceTerms(touchesReports ? firstAction : nil)
        let signer = reference(stored.transaction.signer)
        var provenance = Provenance(
            id: stored.transaction.hash.hex, target: targets, recorded: Self.time(time),
            agent: [
                Provenance.Agent(
                    type: CodeableConcept(system: FHIRSystem.provenanceParticipantType, code: terms.agent),
                    who: signer)
            ])
        provenance.meta = Meta(versionId: "1", lastUpdated: Self.time(time))
        provenance.extension = Self.blockExtensions(height: stored.height, transaction: stored.transaction.hash)
        provenance.occurredDateTime = Self.time(time)
        provenance.activity = CodeableConcept(coding: terms.activity)
        provenance.entity = entities.isEmpty ? nil : entities
        provenance.signature = [
            FHIRSignature(
                type: [terms.signature], when: Self.time(time), who: signer, targetFormat: "application/octet-stream",
                data: Data(stored.transaction.signature.rawBytes).base64EncodedString())
        ]
        return provenance
    }
}
