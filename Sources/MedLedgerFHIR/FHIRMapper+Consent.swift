import MedLedgerContracts
import MedLedgerCore

extension FHIRMapper {
    /// A purpose of use as a v3-ActReason coding.
    public static func purposeCoding(_ purpose: Purpose) -> Coding {
        switch purpose {
        case .treatment: Coding(system: FHIRSystem.actReason, code: "TREAT", display: "treatment")
        case .research: Coding(system: FHIRSystem.actReason, code: "HRESCH", display: "healthcare research")
        case .emergency: Coding(system: FHIRSystem.actReason, code: "ETREAT", display: "Emergency Treatment")
        case .payment: Coding(system: FHIRSystem.actReason, code: "HPAYMT", display: "healthcare payment")
        case .legal: Coding(system: FHIRSystem.actReason, code: "HLEGAL", display: "legal")
        }
    }

    /// Consent.status for a grant at a block time: active while it is (or will be) in force,
    /// inactive once revoked or expired. Revocation keeps its time in an extension.
    public static func consentStatus(_ status: GrantStatus) -> String {
        switch status {
        case .active, .pending: "active"
        case .revoked, .expired: "inactive"
        }
    }

    /// A grant as a Consent, its status judged at `time` (the latest block's time).
    public func consent(_ grant: GrantRecord, at time: ConsensusTime) -> Consent {
        var consent = Consent(
            id: grant.id.hex, status: Self.consentStatus(grant.status(at: time)),
            scope: CodeableConcept(
                system: FHIRSystem.consentScope, code: "patient-privacy", display: "Privacy Consent"),
            category: [CodeableConcept(system: FHIRSystem.loinc, code: "59284-0", display: "Patient Consent")])
        consent.meta = Meta(
            versionId: grant.revokedAt == nil ? "1" : "2", lastUpdated: Self.time(grant.revokedAt ?? grant.grantedAt))
        var extensions = [Extension(url: FHIRExtensionURL.grantOrigin, valueCode: grant.origin.name)]
        if let revokedAt = grant.revokedAt {
            extensions.append(Extension(url: FHIRExtensionURL.revokedAt, valueDateTime: Self.time(revokedAt)))
        }
        consent.extension = extensions
        consent.identifier = [Identifier(system: FHIRSystem.grant, value: grant.id.hex)]
        consent.patient = Reference(reference: "Patient/\(grant.patient.hex)")
        consent.dateTime = Self.time(grant.grantedAt)
        consent.performer = [reference(grant.grantedBy)]
        consent.policyRule = CodeableConcept(system: FHIRSystem.actCode, code: "OPTIN", display: "opt-in")
        var provision = Consent.Provision()
        provision.type = "permit"
        let end = [grant.validUntil, grant.revokedAt].compactMap { $0 }.min()
        provision.period = Period(start: Self.time(grant.validFrom ?? grant.grantedAt), end: end.map(Self.time))
        provision.actor = [
            Consent.Actor(
                role: CodeableConcept(
                    system: FHIRSystem.participationType, code: "IRCP", display: "information recipient"),
                reference: reference(grant.grantee))
        ]
        provision.action = [
            CodeableConcept(system: "http://terminology.hl7.org/CodeSystem/consentaction", code: "access")
        ]
        provision.purpose = [Self.purposeCoding(grant.purpose)]
        switch grant.scope {
        case .allReports: break
        case .reports(let ids):
            provision.data = ids.map {
                Consent.Data(meaning: "instance", reference: Reference(reference: "DiagnosticReport/\($0.hex)"))
            }
        case .categories(let codes):
            provision.code = codes.map { CodeableConcept(coding: [FHIRSystem.categoryCoding($0)]) }
        }
        consent.provision = provision
        return consent
    }
}
