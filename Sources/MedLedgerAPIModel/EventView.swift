import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Event {
    /// A ledger event as JSON: `type` names the case, the other members its fields (ids hex).
    public init(_ event: LedgerEvent) {
        switch event {
        case .identityRegistered(let identity, let kind, let organization):
            self.init(
                _type: .identityRegistered, identity: identity.hex, kind: kind.name, organization: organization?.hex)
        case .identityUpdated(let identity):
            self.init(_type: .identityUpdated, identity: identity.hex)
        case .report(let report, let version, let patient, let action, let status, let organization):
            self.init(
                _type: .report, report: report.hex, version: Int(version.rawValue), patient: patient.hex,
                action: action.name, status: status.name, organization: organization.hex)
        case .grantChanged(let grant, let patient, let grantee, let active):
            self.init(
                _type: .grantChanged, patient: patient.hex, grant: grant.hex, grantee: grantee.hex, active: active)
        case .access(let report, let version, let patient, let reader, let purpose, let basis, let organization):
            self.init(
                _type: .access, report: report.hex, version: Int(version.rawValue), patient: patient.hex,
                reader: reader.hex, purpose: purpose.name, organization: organization?.hex)
            switch basis {
            case .relationship:
                self.basis = .relationship
            case .grant(let id):
                self.basis = .grant
                grant = id.hex
            case .denied(let code):
                self.basis = .denied
                self.code = Int(code.rawValue)
                codeName = code.name
            }
        case .caseChanged(let id, let patient, let organization, let reader, let status):
            self.init(
                _type: .caseChanged, patient: patient.hex, status: status.name, reader: reader.hex,
                organization: organization.hex, _case: id.hex)
        }
    }
}
