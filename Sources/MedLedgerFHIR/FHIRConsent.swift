/// Consent (R4): a ledger grant.
public struct Consent: FHIRResource {
    public struct Policy: Codable, Hashable, Sendable {
        public var authority: String?
        public var uri: String?
        public init(authority: String? = nil, uri: String? = nil) {
            self.authority = authority
            self.uri = uri
        }
    }
    public struct Actor: Codable, Hashable, Sendable {
        public var role: CodeableConcept
        public var reference: Reference
        public init(role: CodeableConcept, reference: Reference) {
            self.role = role
            self.reference = reference
        }
    }
    public struct Data: Codable, Hashable, Sendable {
        /// instance | related | dependents | authoredby
        public var meaning: String
        public var reference: Reference
        public init(meaning: String, reference: Reference) {
            self.meaning = meaning
            self.reference = reference
        }
    }
    public struct Provision: Codable, Hashable, Sendable {
        /// deny | permit
        public var type: String?
        public var period: Period?
        public var actor: [Actor]?
        public var action: [CodeableConcept]?
        public var purpose: [Coding]?
        public var code: [CodeableConcept]?
        public var data: [Data]?
        public init() {}
    }

    public static let resourceType: String = "Consent"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    /// draft | proposed | active | rejected | inactive | entered-in-error
    public var status: String
    public var scope: CodeableConcept
    public var category: [CodeableConcept]
    public var patient: Reference?
    public var dateTime: String?
    public var performer: [Reference]?
    public var organization: [Reference]?
    public var policy: [Policy]?
    public var policyRule: CodeableConcept?
    public var provision: Provision?
    public init(id: String? = nil, status: String, scope: CodeableConcept, category: [CodeableConcept]) {
        self.id = id
        self.status = status
        self.scope = scope
        self.category = category
    }
}

/// AuditEvent (R4): one access receipt, allowed or denied.
public struct AuditEvent: FHIRResource {
    public struct Agent: Codable, Hashable, Sendable {
        public var type: CodeableConcept?
        public var role: [CodeableConcept]?
        public var who: Reference?
        public var requestor: Bool
        public var purposeOfUse: [CodeableConcept]?
        public init(
            type: CodeableConcept? = nil, role: [CodeableConcept]? = nil, who: Reference? = nil, requestor: Bool,
            purposeOfUse: [CodeableConcept]? = nil
        ) {
            self.type = type
            self.role = role
            self.who = who
            self.requestor = requestor
            self.purposeOfUse = purposeOfUse
        }
    }
    public struct Source: Codable, Hashable, Sendable {
        public var site: String?
        public var observer: Reference
        public var type: [Coding]?
        public init(site: String? = nil, observer: Reference, type: [Coding]? = nil) {
            self.site = site
            self.observer = observer
            self.type = type
        }
    }
    public struct Detail: Codable, Hashable, Sendable {
        public var type: String
        public var valueString: String?
        public init(type: String, valueString: String?) {
            self.type = type
            self.valueString = valueString
        }
    }
    public struct Entity: Codable, Hashable, Sendable {
        public var what: Reference?
        public var type: Coding?
        public var role: Coding?
        public var description: String?
        public var detail: [Detail]?
        public init(
            what: Reference? = nil, type: Coding? = nil, role: Coding? = nil, description: String? = nil,
            detail: [Detail]? = nil
        ) {
            self.what = what
            self.type = type
            self.role = role
            self.description = description
            self.detail = detail
        }
    }

    public static let resourceType: String = "AuditEvent"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var type: Coding
    public var subtype: [Coding]?
    /// C | R | U | D | E
    public var action: String?
    public var period: Period?
    public var recorded: String
    /// 0 (success) | 4 (minor failure) | 8 (serious failure) | 12 (major failure)
    public var outcome: String?
    public var outcomeDesc: String?
    public var purposeOfEvent: [CodeableConcept]?
    public var agent: [Agent]
    public var source: Source
    public var entity: [Entity]?
    public init(id: String? = nil, type: Coding, recorded: String, agent: [Agent], source: Source) {
        self.id = id
        self.type = type
        self.recorded = recorded
        self.agent = agent
        self.source = source
    }
}

/// Provenance (R4): who signed which ledger transaction, in which block.
public struct Provenance: FHIRResource {
    public struct Agent: Codable, Hashable, Sendable {
        public var type: CodeableConcept?
        public var role: [CodeableConcept]?
        public var who: Reference
        public var onBehalfOf: Reference?
        public init(
            type: CodeableConcept? = nil, role: [CodeableConcept]? = nil, who: Reference, onBehalfOf: Reference? = nil
        ) {
            self.type = type
            self.role = role
            self.who = who
            self.onBehalfOf = onBehalfOf
        }
    }
    public struct Entity: Codable, Hashable, Sendable {
        /// derivation | revision | quotation | source | removal
        public var role: String
        public var what: Reference
        public init(role: String, what: Reference) {
            self.role = role
            self.what = what
        }
    }

    public static let resourceType: String = "Provenance"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var target: [Reference]
    public var occurredDateTime: String?
    public var recorded: String
    public var policy: [String]?
    public var reason: [CodeableConcept]?
    public var activity: CodeableConcept?
    public var agent: [Agent]
    public var entity: [Entity]?
    public var signature: [FHIRSignature]?
    public init(id: String? = nil, target: [Reference], recorded: String, agent: [Agent]) {
        self.id = id
        self.target = target
        self.recorded = recorded
        self.agent = agent
    }
}
