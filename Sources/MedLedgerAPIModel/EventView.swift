import MedLedgerCore

/// A ledger event as JSON: `type` names the case, the other members its fields (ids hex).
public struct EventView: Codable, Sendable {
    public let type: String
    public var identity: String?
    public var kind: String?
    public var report: String?
    public var version: UInt32?
    public var patient: String?
    public var action: String?
    public var status: String?
    public var grant: String?
    public var grantee: String?
    public var active: Bool?
    public var reader: String?
    public var purpose: String?
    public var basis: String?
    public var code: UInt16?
    public var codeName: String?

    public init(_ event: LedgerEvent) {
        switch event {
        case .identityRegistered(let identity, let kind):
            self.init(type: "identity-registered", identity: identity.hex, kind: kind.name)
        case .identityUpdated(let identity):
            self.init(type: "identity-updated", identity: identity.hex)
        case .report(let report, let version, let patient, let action, let status):
            self.init(
                type: "report", report: report.hex, version: version.rawValue, patient: patient.hex,
                action: action.name, status: status.name)
        case .grantChanged(let grant, let patient, let grantee, let active):
            self.init(
                type: "grant-changed", patient: patient.hex, grant: grant.hex, grantee: grantee.hex, active: active)
        case .access(let report, let version, let patient, let reader, let purpose, let basis):
            self.init(
                type: "access", report: report.hex, version: version.rawValue, patient: patient.hex,
                reader: reader.hex, purpose: purpose.name)
            applyBasis(basis)
        }
    }

    private init(
        type: String, identity: String? = nil, kind: String? = nil, report: String? = nil,
        version: UInt32? = nil, patient: String? = nil, action: String? = nil, status: String? = nil,
        grant: String? = nil, grantee: String? = nil, active: Bool? = nil, reader: String? = nil,
        purpose: String? = nil
    ) {
        self.type = type
        self.identity = identity
        self.kind = kind
        self.report = report
        self.version = version
        self.patient = patient
        self.action = action
        self.status = status
        self.grant = grant
        self.grantee = grantee
        self.active = active
        self.reader = reader
        self.purpose = purpose
    }

    private mutating func applyBasis(_ basis: AccessBasis) {
        switch basis {
        case .relationship:
            self.basis = "relationship"
        case .grant(let id):
            self.basis = "grant"
            grant = id.hex
        case .denied(let code):
            self.basis = "denied"
            self.code = code.rawValue
            codeName = code.name
        }
    }
}
