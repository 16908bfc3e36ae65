/// CapabilityStatement (R4): what a server supports, exactly.
public struct CapabilityStatement: FHIRResource {
    public struct Software: Codable, Hashable, Sendable {
        public var name: String
        public var version: String?
        public init(name: String, version: String? = nil) {
            self.name = name
            self.version = version
        }
    }
    public struct Implementation: Codable, Hashable, Sendable {
        public var description: String
        public var url: String?
        public init(description: String, url: String? = nil) {
            self.description = description
            self.url = url
        }
    }
    public struct Security: Codable, Hashable, Sendable {
        public var `extension`: [Extension]?
        public var cors: Bool?
        public var service: [CodeableConcept]?
        public var description: String?
        public init(
            extension: [Extension]? = nil, cors: Bool? = nil, service: [CodeableConcept]? = nil,
            description: String? = nil
        ) {
            self.extension = `extension`
            self.cors = cors
            self.service = service
            self.description = description
        }
    }
    public struct Interaction: Codable, Hashable, Sendable {
        /// read | vread | update | patch | delete | history-instance | history-type | create |
        /// search-type (resource level); transaction | batch | search-system | history-system
        public var code: String
        public var documentation: String?
        public init(code: String, documentation: String? = nil) {
            self.code = code
            self.documentation = documentation
        }
    }
    public struct SearchParam: Codable, Hashable, Sendable {
        public var name: String
        public var definition: String?
        /// number | date | string | token | reference | composite | quantity | uri | special
        public var type: String
        public var documentation: String?
        public init(name: String, definition: String? = nil, type: String, documentation: String? = nil) {
            self.name = name
            self.definition = definition
            self.type = type
            self.documentation = documentation
        }
    }
    public struct Resource: Codable, Hashable, Sendable {
        public var type: String
        public var profile: String?
        public var documentation: String?
        public var interaction: [Interaction]?
        /// no-version | versioned | versioned-update
        public var versioning: String?
        public var readHistory: Bool?
        public var updateCreate: Bool?
        public var conditionalCreate: Bool?
        public var conditionalUpdate: Bool?
        public var conditionalDelete: String?
        public var searchInclude: [String]?
        public var searchParam: [SearchParam]?
        public init(type: String) { self.type = type }
    }
    public struct Rest: Codable, Hashable, Sendable {
        /// client | server
        public var mode: String
        public var documentation: String?
        public var security: Security?
        public var resource: [Resource]?
        public var interaction: [Interaction]?
        public init(mode: String) { self.mode = mode }
    }

    public static let resourceType: String = "CapabilityStatement"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var url: String?
    public var name: String?
    public var title: String?
    /// draft | active | retired | unknown
    public var status: String
    public var date: String
    public var publisher: String?
    public var description: String?
    /// instance | capability | requirements
    public var kind: String
    public var software: Software?
    public var implementation: Implementation?
    public var fhirVersion: String
    public var format: [String]
    public var rest: [Rest]?
    public init(status: String, date: String, kind: String, fhirVersion: String, format: [String]) {
        self.status = status
        self.date = date
        self.kind = kind
        self.fhirVersion = fhirVersion
        self.format = format
    }
}
