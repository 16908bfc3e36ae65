// FHIR R4 (4.0.1) data types, only the elements MedLedger reads or writes. Every element is
// optional unless R4 requires it; `FHIRJSON` encodes with sorted keys and omits absent
// elements, so the same resource always has the same bytes and never carries `null`.

/// `Meta`: version and last update of a resource as this server holds it.
public struct Meta: Codable, Hashable, Sendable {
    public var versionId: String?
    public var lastUpdated: String?
    public var source: String?
    public var profile: [String]?
    public var tag: [Coding]?
    public init(
        versionId: String? = nil, lastUpdated: String? = nil, source: String? = nil, profile: [String]? = nil,
        tag: [Coding]? = nil
    ) {
        self.versionId = versionId
        self.lastUpdated = lastUpdated
        self.source = source
        self.profile = profile
        self.tag = tag
    }
}

public struct Coding: Codable, Hashable, Sendable {
    public var system: String?
    public var version: String?
    public var code: String?
    public var display: String?
    public init(system: String? = nil, version: String? = nil, code: String? = nil, display: String? = nil) {
        self.system = system
        self.version = version
        self.code = code
        self.display = display
    }
}

public struct CodeableConcept: Codable, Hashable, Sendable {
    public var coding: [Coding]?
    public var text: String?
    public init(coding: [Coding]? = nil, text: String? = nil) {
        self.coding = coding
        self.text = text
    }
    /// One coding, the common case.
    public init(system: String, code: String, display: String? = nil, text: String? = nil) {
        self.init(coding: [Coding(system: system, code: code, display: display)], text: text)
    }
}

public struct Period: Codable, Hashable, Sendable {
    public var start: String?
    public var end: String?
    public init(start: String? = nil, end: String? = nil) {
        self.start = start
        self.end = end
    }
}

public struct Identifier: Codable, Hashable, Sendable {
    public var use: String?
    public var type: CodeableConcept?
    public var system: String?
    public var value: String?
    public var period: Period?
    public var assigner: Reference?
    public init(
        use: String? = nil, type: CodeableConcept? = nil, system: String? = nil, value: String? = nil,
        period: Period? = nil, assigner: Reference? = nil
    ) {
        self.use = use
        self.type = type
        self.system = system
        self.value = value
        self.period = period
        self.assigner = assigner
    }
}

/// `Reference`; a class-free struct, so `Identifier.assigner` makes it recursive through an
/// optional box.
public struct Reference: Codable, Hashable, Sendable {
    public var reference: String?
    public var type: String?
    public var identifier: Identifier? {
        get { identifierBox?.value }
        set { identifierBox = newValue.map(Box.init) }
    }
    public var display: String?
    private var identifierBox: Box<Identifier>?

    public init(reference: String? = nil, type: String? = nil, identifier: Identifier? = nil, display: String? = nil) {
        self.reference = reference
        self.type = type
        self.identifierBox = identifier.map(Box.init)
        self.display = display
    }

    private enum CodingKeys: String, CodingKey { case reference, type, identifier, display }
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reference = try container.decodeIfPresent(String.self, forKey: .reference)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        identifierBox = try container.decodeIfPresent(Identifier.self, forKey: .identifier).map(Box.init)
        display = try container.decodeIfPresent(String.self, forKey: .display)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(reference, forKey: .reference)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encodeIfPresent(identifier, forKey: .identifier)
        try container.encodeIfPresent(display, forKey: .display)
    }
}

/// A value held on the heap, to break a recursion between value types.
final class Box<Value: Hashable & Sendable>: Hashable, Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
    static func == (lhs: Box, rhs: Box) -> Bool { lhs.value == rhs.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// `Extension` with the value types MedLedger uses.
public struct Extension: Codable, Hashable, Sendable {
    public var url: String
    public var valueString: String?
    public var valueCode: String?
    public var valueUri: String?
    public var valueDateTime: String?
    public var valueUnsignedInt: Int?
    public var valueBoolean: Bool?
    public var valueReference: Reference?
    public var valueIdentifier: Identifier?
    public init(
        url: String, valueString: String? = nil, valueCode: String? = nil, valueUri: String? = nil,
        valueDateTime: String? = nil, valueUnsignedInt: Int? = nil, valueBoolean: Bool? = nil,
        valueReference: Reference? = nil, valueIdentifier: Identifier? = nil
    ) {
        self.url = url
        self.valueString = valueString
        self.valueCode = valueCode
        self.valueUri = valueUri
        self.valueDateTime = valueDateTime
        self.valueUnsignedInt = valueUnsignedInt
        self.valueBoolean = valueBoolean
        self.valueReference = valueReference
        self.valueIdentifier = valueIdentifier
    }
}

/// `Attachment`. R4 defines `hash` as SHA-1 (base64); MedLedger's content addresses are
/// SHA-256, so they travel in the `FHIRExtensionURL.contentSHA256` extension instead.
public struct Attachment: Codable, Hashable, Sendable {
    public var `extension`: [Extension]?
    public var contentType: String?
    public var language: String?
    /// base64 content; never set by the node (it holds no plaintext).
    public var data: String?
    public var url: String?
    public var size: Int?
    public var hash: String?
    public var title: String?
    public var creation: String?
    public init(
        extension: [Extension]? = nil, contentType: String? = nil, language: String? = nil, data: String? = nil,
        url: String? = nil, size: Int? = nil, hash: String? = nil, title: String? = nil, creation: String? = nil
    ) {
        self.extension = `extension`
        self.contentType = contentType
        self.language = language
        self.data = data
        self.url = url
        self.size = size
        self.hash = hash
        self.title = title
        self.creation = creation
    }
}

public struct HumanName: Codable, Hashable, Sendable {
    public var use: String?
    public var text: String?
    public var family: String?
    public var given: [String]?
    public var prefix: [String]?
    public var suffix: [String]?
    public init(
        use: String? = nil, text: String? = nil, family: String? = nil, given: [String]? = nil,
        prefix: [String]? = nil, suffix: [String]? = nil
    ) {
        self.use = use
        self.text = text
        self.family = family
        self.given = given
        self.prefix = prefix
        self.suffix = suffix
    }
}

public struct Quantity: Codable, Hashable, Sendable {
    public var value: Double?
    public var comparator: String?
    public var unit: String?
    public var system: String?
    public var code: String?
    public init(
        value: Double? = nil, comparator: String? = nil, unit: String? = nil, system: String? = nil,
        code: String? = nil
    ) {
        self.value = value
        self.comparator = comparator
        self.unit = unit
        self.system = system
        self.code = code
    }
}

public struct Annotation: Codable, Hashable, Sendable {
    public var authorString: String?
    public var authorReference: Reference?
    public var time: String?
    public var text: String
    public init(authorString: String? = nil, authorReference: Reference? = nil, time: String? = nil, text: String) {
        self.authorString = authorString
        self.authorReference = authorReference
        self.time = time
        self.text = text
    }
}

/// `Narrative`: the human-readable XHTML summary (`div`).
public struct Narrative: Codable, Hashable, Sendable {
    public var status: String
    public var div: String
    public init(status: String, div: String) {
        self.status = status
        self.div = div
    }
}

/// `Signature` (Provenance.signature); prefixed, as MedLedgerCore has its own `Signature`.
public struct FHIRSignature: Codable, Hashable, Sendable {
    public var type: [Coding]
    public var when: String
    public var who: Reference
    public var targetFormat: String?
    public var sigFormat: String?
    public var data: String?
    public init(
        type: [Coding], when: String, who: Reference, targetFormat: String? = nil, sigFormat: String? = nil,
        data: String? = nil
    ) {
        self.type = type
        self.when = when
        self.who = who
        self.targetFormat = targetFormat
        self.sigFormat = sigFormat
        self.data = data
    }
}
