/// One structured detail of a receipt: what a refusal was about, as a fixed-size id, an
/// integer or a closed enum. Receipts hold facts instead of sentences, so rewording an
/// explanation never changes a results root, and no free text (which could carry protected
/// health information) can reach the ledger through a receipt. Sentences are rendered at
/// the edge by `ReceiptText`.
///
/// Order matters and is part of the receipt: `.field` names the input (or the record's
/// list) that the facts after it are about; consecutive `.role` or `.kind` facts are
/// alternatives (any one would have done). Tags are part of the wire format: never renumber
/// a case, only add new ones.
public enum ReceiptFact: Hashable, Sendable, CanonicalCodable {
    /// The transaction field, or the record's list, that the following facts are about.
    case field(ReceiptField)
    /// The rule that field broke.
    case problem(FieldProblem)
    /// An identity the refusal is about (the signer, the target, the reader, a named party).
    case identity(IdentityID)
    /// The organization whose admin or role holder the action needed.
    case organization(IdentityID)
    /// An identity kind the action would have accepted.
    case kind(IdentityKind)
    /// A role that would have been enough.
    case role(Role)
    case report(ReportID)
    /// The report version the transaction named.
    case version(ReportVersion)
    /// The report's latest version.
    case latestVersion(ReportVersion)
    /// The status of the report's latest version.
    case status(ReportStatus)
    case grant(GrantID)
    case purpose(Purpose)
    /// The transaction's nonce.
    case nonce(Nonce)
    /// The signer's last used nonce.
    case lastNonce(Nonce)
    /// The limit that was exceeded or not met.
    case limit(UInt64)
    /// The block's consensus time.
    case time(ConsensusTime)
    /// A privacy case the transaction named.
    case caseID(CaseID)

    /// The fact's one-byte tag on the wire.
    public var tag: UInt8 {
        switch self {
        case .field: 1
        case .problem: 2
        case .identity: 3
        case .organization: 4
        case .kind: 5
        case .role: 6
        case .report: 7
        case .version: 8
        case .latestVersion: 9
        case .status: 10
        case .grant: 11
        case .purpose: 12
        case .nonce: 13
        case .lastNonce: 14
        case .limit: 15
        case .time: 16
        case .caseID: 17
        }
    }

    /// The fact's name in JSON (`facts[].type`).
    public var name: String {
        switch self {
        case .field: "field"
        case .problem: "problem"
        case .identity: "identity"
        case .organization: "organization"
        case .kind: "kind"
        case .role: "role"
        case .report: "report"
        case .version: "version"
        case .latestVersion: "latestVersion"
        case .status: "status"
        case .grant: "grant"
        case .purpose: "purpose"
        case .nonce: "nonce"
        case .lastNonce: "lastNonce"
        case .limit: "limit"
        case .time: "time"
        case .caseID: "case"
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(tag)
        switch self {
        case .field(let field): encoder.write(field)
        case .problem(let problem): encoder.write(problem)
        case .identity(let id), .organization(let id): encoder.write(id)
        case .kind(let kind): encoder.write(kind)
        case .role(let role): encoder.write(role)
        case .report(let id): encoder.write(id)
        case .grant(let id): encoder.write(id)
        case .version(let version), .latestVersion(let version): encoder.write(version)
        case .status(let status): encoder.write(status)
        case .purpose(let purpose): encoder.write(purpose)
        case .nonce(let value), .lastNonce(let value): encoder.write(value)
        case .limit(let value): encoder.write(value)
        case .time(let time): encoder.write(time)
        case .caseID(let id): encoder.write(id)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        switch try decoder.readUInt8("fact") {
        case 1: self = .field(try decoder.read(ReceiptField.self))
        case 2: self = .problem(try decoder.read(FieldProblem.self))
        case 3: self = .identity(try decoder.read(IdentityID.self))
        case 4: self = .organization(try decoder.read(IdentityID.self))
        case 5: self = .kind(try decoder.read(IdentityKind.self))
        case 6: self = .role(try decoder.read(Role.self))
        case 7: self = .report(try decoder.read(ReportID.self))
        case 8: self = .version(try decoder.read(ReportVersion.self))
        case 9: self = .latestVersion(try decoder.read(ReportVersion.self))
        case 10: self = .status(try decoder.read(ReportStatus.self))
        case 11: self = .grant(try decoder.read(GrantID.self))
        case 12: self = .purpose(try decoder.read(Purpose.self))
        case 13: self = .nonce(try decoder.read(Nonce.self))
        case 14: self = .lastNonce(try decoder.read(Nonce.self))
        case 15: self = .limit(try decoder.readUInt64("limit"))
        case 16: self = .time(try decoder.read(ConsensusTime.self))
        case 17: self = .caseID(try decoder.read(CaseID.self))
        case let tag: throw CanonicalDecodingError(field: "fact", reason: "unknown tag \(tag)")
        }
    }
}

/// The input a refusal is about: a transaction field, or a list on the record it would
/// change. Names are the JSON names of the fields (`content.sizeBytes`).
public enum ReceiptField: UInt8, TaggedEnum {
    case patient = 1
    case organization = 2
    case grantee = 3
    case guardian = 4
    case target = 5
    case recipients = 6
    case roles = 7
    case keyProof = 8
    case signingKey = 9
    case newSigningKey = 10
    case contentSizeBytes = 11
    case contentEnvelopes = 12
    case version = 13
    case previousVersion = 14
    case grant = 15
    case validUntil = 16
    case scopeCategories = 17
    case scopeReports = 18
    /// The report's list of versions.
    case versions = 19
    /// The patient's list of guardians.
    case guardians = 20
    /// The commitments to the custodians' key shares.
    case contentShareCommitments = 21
    /// An attestation's list of held report versions.
    case holdings = 22
    /// The blob a re-keying replaces.
    case previousContentAddress = 23
    /// The plaintext commitment (which a re-keying must keep).
    case contentCommitment = 24
    /// The address of a version's blob.
    case contentAddress = 25
    /// A case id (`open-case`, `resolve-case`).
    case caseID = 26
    /// The reader a case is about.
    case reader = 27

    public var tag: UInt8 { rawValue }
    public var name: String {
        switch self {
        case .patient: "patient"
        case .organization: "organization"
        case .grantee: "grantee"
        case .guardian: "guardian"
        case .target: "target"
        case .recipients: "recipients"
        case .roles: "roles"
        case .keyProof: "keyProof"
        case .signingKey: "signingKey"
        case .newSigningKey: "newSigningKey"
        case .contentSizeBytes: "content.sizeBytes"
        case .contentEnvelopes: "content.envelopes"
        case .version: "version"
        case .previousVersion: "previousVersion"
        case .grant: "grant"
        case .validUntil: "validUntil"
        case .scopeCategories: "scope.categories"
        case .scopeReports: "scope.reports"
        case .versions: "versions"
        case .guardians: "guardians"
        case .contentShareCommitments: "content.shareCommitments"
        case .holdings: "holdings"
        case .previousContentAddress: "previousContentAddress"
        case .contentCommitment: "content.commitment"
        case .contentAddress: "content.contentAddress"
        case .caseID: "case"
        case .reader: "reader"
        }
    }
    public static let fieldName = "receiptField"
}

/// The rule a field broke (with code 401 invalid-field).
public enum FieldProblem: UInt8, TaggedEnum {
    /// The list names the same entry twice.
    case duplicate = 1
    /// The value is outside its allowed range (a `.limit` fact gives the bound).
    case outOfRange = 2
    /// The list lacks an entry for the identity named by the next `.identity` fact.
    case missingEntry = 3
    /// The list must be non-empty, sorted and without duplicates.
    case notSortedSet = 4
    /// The key proof does not show the signing key signed both keys.
    case badKeyProof = 5
    /// The value is the same as the current one.
    case unchanged = 6
    /// The value names the signer itself.
    case namesSigner = 7
    /// The id is in the half of the id space reserved for distribution grants.
    case reserved = 8
    /// The end of a validity window is not after its start.
    case notAfterStart = 9
    /// The time is already past at the block's time (a `.time` fact gives it).
    case past = 10
    /// The list is empty.
    case empty = 11
    /// The report named by the next `.report` fact is not this patient's.
    case notPatientsReport = 12
    /// The list must have exactly as many entries as the `.limit` fact says.
    case wrongCount = 13
    /// The value is not the current one on the ledger.
    case notCurrent = 14
    /// The value must stay as it is on the ledger.
    case changed = 15
    /// The envelope to the identity named by the next `.identity` fact is sealed in another
    /// suite (X25519 or X-Wing) than that identity's encryption key. 20, not 14: room for
    /// problems added on other branches.
    case wrongSuite = 20

    public var tag: UInt8 { rawValue }
    public var name: String {
        switch self {
        case .duplicate: "duplicate"
        case .outOfRange: "out-of-range"
        case .missingEntry: "missing-entry"
        case .notSortedSet: "not-sorted-set"
        case .badKeyProof: "bad-key-proof"
        case .unchanged: "unchanged"
        case .namesSigner: "names-signer"
        case .reserved: "reserved"
        case .notAfterStart: "not-after-start"
        case .past: "past"
        case .empty: "empty"
        case .notPatientsReport: "not-patients-report"
        case .wrongCount: "wrong-count"
        case .notCurrent: "not-current"
        case .changed: "changed"
        case .wrongSuite: "wrong-suite"
        }
    }
    public static let fieldName = "problem"
}
