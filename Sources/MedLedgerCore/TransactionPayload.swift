/// Everything a transaction can ask the contracts to do. The tag of each case is part of
/// the signed bytes: never renumber, only add.
public enum TransactionPayload: Hashable, Sendable, CanonicalCodable {
    case registerPractitioner(RegisterPractitioner)
    case registerPatient(RegisterPatient)
    case rotateKeys(RotateKeys)
    case setIdentityStatus(SetIdentityStatus)
    case setGuardian(SetGuardian)
    case submitReport(SubmitReport)
    case approveReport(ApproveReport)
    case reviseReport(ReviseReport)
    case rekeyReport(RekeyReport)
    case markEnteredInError(MarkEnteredInError)
    case grantAccess(GrantAccess)
    case revokeGrant(RevokeGrant)
    case accessReport(AccessReport)
    case attestBlobs(AttestBlobs)
    case openCase(OpenCase)
    case resolveCase(ResolveCase)

    /// The stable name of the transaction type, as shown in JSON and audit trails.
    public var typeName: String {
        switch self {
        case .registerPractitioner: "register-practitioner"
        case .registerPatient: "register-patient"
        case .rotateKeys: "rotate-keys"
        case .setIdentityStatus: "set-identity-status"
        case .setGuardian: "set-guardian"
        case .submitReport: "submit-report"
        case .approveReport: "approve-report"
        case .reviseReport: "revise-report"
        case .rekeyReport: "rekey-report"
        case .markEnteredInError: "mark-entered-in-error"
        case .grantAccess: "grant-access"
        case .revokeGrant: "revoke-grant"
        case .accessReport: "access-report"
        case .attestBlobs: "attest-blobs"
        case .openCase: "open-case"
        case .resolveCase: "resolve-case"
        }
    }

    public var tag: UInt8 {
        switch self {
        case .registerPractitioner: 1
        case .registerPatient: 2
        case .rotateKeys: 3
        case .setIdentityStatus: 4
        case .setGuardian: 5
        case .submitReport: 10
        case .approveReport: 11
        case .reviseReport: 12
        case .rekeyReport: 14
        case .markEnteredInError: 13
        case .grantAccess: 20
        case .revokeGrant: 21
        case .accessReport: 30
        case .attestBlobs: 40
        case .openCase: 50
        case .resolveCase: 51
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(tag)
        switch self {
        case .registerPractitioner(let body): encoder.write(body)
        case .registerPatient(let body): encoder.write(body)
        case .rotateKeys(let body): encoder.write(body)
        case .setIdentityStatus(let body): encoder.write(body)
        case .setGuardian(let body): encoder.write(body)
        case .submitReport(let body): encoder.write(body)
        case .approveReport(let body): encoder.write(body)
        case .reviseReport(let body): encoder.write(body)
        case .rekeyReport(let body): encoder.write(body)
        case .markEnteredInError(let body): encoder.write(body)
        case .grantAccess(let body): encoder.write(body)
        case .revokeGrant(let body): encoder.write(body)
        case .accessReport(let body): encoder.write(body)
        case .attestBlobs(let body): encoder.write(body)
        case .openCase(let body): encoder.write(body)
        case .resolveCase(let body): encoder.write(body)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        switch try decoder.readUInt8("type") {
        case 1: self = .registerPractitioner(try decoder.read(RegisterPractitioner.self))
        case 2: self = .registerPatient(try decoder.read(RegisterPatient.self))
        case 3: self = .rotateKeys(try decoder.read(RotateKeys.self))
        case 4: self = .setIdentityStatus(try decoder.read(SetIdentityStatus.self))
        case 5: self = .setGuardian(try decoder.read(SetGuardian.self))
        case 10: self = .submitReport(try decoder.read(SubmitReport.self))
        case 11: self = .approveReport(try decoder.read(ApproveReport.self))
        case 12: self = .reviseReport(try decoder.read(ReviseReport.self))
        case 14: self = .rekeyReport(try decoder.read(RekeyReport.self))
        case 13: self = .markEnteredInError(try decoder.read(MarkEnteredInError.self))
        case 20: self = .grantAccess(try decoder.read(GrantAccess.self))
        case 21: self = .revokeGrant(try decoder.read(RevokeGrant.self))
        case 30: self = .accessReport(try decoder.read(AccessReport.self))
        case 40: self = .attestBlobs(try decoder.read(AttestBlobs.self))
        case 50: self = .openCase(try decoder.read(OpenCase.self))
        case 51: self = .resolveCase(try decoder.read(ResolveCase.self))
        case let tag: throw CanonicalDecodingError(field: "type", reason: "unknown transaction type \(tag)")
        }
    }
}
