/// DiagnosticReport (R4). The node fills what the ledger knows (status, category, subject,
/// performer, issued, the ciphertext as `presentedForm`); a gateway fills the rest from the
/// decrypted report.
public struct DiagnosticReport: FHIRResource {
    public static let resourceType: String = "DiagnosticReport"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var text: Narrative?
    public var contained: [AnyResource]?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    public var basedOn: [Reference]?
    /// registered | partial | preliminary | final | amended | corrected | appended | cancelled |
    /// entered-in-error | unknown
    public var status: String
    public var category: [CodeableConcept]?
    public var code: CodeableConcept
    public var subject: Reference?
    public var encounter: Reference?
    public var effectiveDateTime: String?
    public var effectivePeriod: Period?
    public var issued: String?
    public var performer: [Reference]?
    public var resultsInterpreter: [Reference]?
    public var specimen: [Reference]?
    public var result: [Reference]?
    public var conclusion: String?
    public var conclusionCode: [CodeableConcept]?
    public var presentedForm: [Attachment]?
    public init(id: String? = nil, status: String, code: CodeableConcept) {
        self.id = id
        self.status = status
        self.code = code
    }
}

/// DocumentReference (R4): the report's document, pointing at its ciphertext.
public struct DocumentReference: FHIRResource {
    public struct RelatesTo: Codable, Hashable, Sendable {
        /// replaces | transforms | signs | appends
        public var code: String
        public var target: Reference
        public init(code: String, target: Reference) {
            self.code = code
            self.target = target
        }
    }
    public struct Content: Codable, Hashable, Sendable {
        public var attachment: Attachment
        public var format: Coding?
        public init(attachment: Attachment, format: Coding? = nil) {
            self.attachment = attachment
            self.format = format
        }
    }
    public struct Context: Codable, Hashable, Sendable {
        public var encounter: [Reference]?
        public var event: [CodeableConcept]?
        public var period: Period?
        public var facilityType: CodeableConcept?
        public var practiceSetting: CodeableConcept?
        public var sourcePatientInfo: Reference?
        public var related: [Reference]?
        public init() {}
    }

    public static let resourceType: String = "DocumentReference"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var text: Narrative?
    public var contained: [AnyResource]?
    public var `extension`: [Extension]?
    public var masterIdentifier: Identifier?
    public var identifier: [Identifier]?
    /// current | superseded | entered-in-error
    public var status: String
    /// preliminary | final | amended | entered-in-error
    public var docStatus: String?
    public var type: CodeableConcept?
    public var category: [CodeableConcept]?
    public var subject: Reference?
    public var date: String?
    public var author: [Reference]?
    public var authenticator: Reference?
    public var custodian: Reference?
    public var relatesTo: [RelatesTo]?
    public var description: String?
    public var securityLabel: [CodeableConcept]?
    public var content: [Content]
    public var context: Context?
    public init(id: String? = nil, status: String, content: [Content]) {
        self.id = id
        self.status = status
        self.content = content
    }
}

/// Observation (R4), for a gateway's contained or referenced results. The node never has one
/// (results are inside the encrypted report).
public struct Observation: FHIRResource {
    public struct ReferenceRange: Codable, Hashable, Sendable {
        public var low: Quantity?
        public var high: Quantity?
        public var type: CodeableConcept?
        public var text: String?
        public init(low: Quantity? = nil, high: Quantity? = nil, type: CodeableConcept? = nil, text: String? = nil) {
            self.low = low
            self.high = high
            self.type = type
            self.text = text
        }
    }

    public static let resourceType: String = "Observation"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var text: Narrative?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    public var basedOn: [Reference]?
    /// registered | preliminary | final | amended | corrected | cancelled | entered-in-error | unknown
    public var status: String
    public var category: [CodeableConcept]?
    public var code: CodeableConcept
    public var subject: Reference?
    public var encounter: Reference?
    public var effectiveDateTime: String?
    public var effectivePeriod: Period?
    public var issued: String?
    public var performer: [Reference]?
    public var valueQuantity: Quantity?
    public var valueCodeableConcept: CodeableConcept?
    public var valueString: String?
    public var valueBoolean: Bool?
    public var valueInteger: Int?
    public var dataAbsentReason: CodeableConcept?
    public var interpretation: [CodeableConcept]?
    public var note: [Annotation]?
    public var bodySite: CodeableConcept?
    public var method: CodeableConcept?
    public var specimen: Reference?
    public var referenceRange: [ReferenceRange]?
    public var hasMember: [Reference]?
    public var derivedFrom: [Reference]?
    public init(id: String? = nil, status: String, code: CodeableConcept) {
        self.id = id
        self.status = status
        self.code = code
    }
}
