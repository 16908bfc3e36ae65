/// Bundle (R4): searchset, collection, transaction and transaction-response.
public struct Bundle: FHIRResource {
    public struct Link: Codable, Hashable, Sendable {
        /// self | next | previous | first | last
        public var relation: String
        public var url: String
        public init(relation: String, url: String) {
            self.relation = relation
            self.url = url
        }
    }
    public struct Search: Codable, Hashable, Sendable {
        /// match | include | outcome
        public var mode: String?
        public init(mode: String?) { self.mode = mode }
    }
    public struct Request: Codable, Hashable, Sendable {
        /// GET | HEAD | POST | PUT | DELETE | PATCH
        public var method: String
        public var url: String
        public var ifNoneMatch: String?
        public var ifModifiedSince: String?
        public var ifMatch: String?
        public var ifNoneExist: String?
        public init(
            method: String, url: String, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil,
            ifMatch: String? = nil, ifNoneExist: String? = nil
        ) {
            self.method = method
            self.url = url
            self.ifNoneMatch = ifNoneMatch
            self.ifModifiedSince = ifModifiedSince
            self.ifMatch = ifMatch
            self.ifNoneExist = ifNoneExist
        }
    }
    public struct Response: Codable, Hashable, Sendable {
        /// An HTTP status line, e.g. "201 Created".
        public var status: String
        public var location: String?
        public var etag: String?
        public var lastModified: String?
        public var outcome: AnyResource?
        public init(
            status: String, location: String? = nil, etag: String? = nil, lastModified: String? = nil,
            outcome: AnyResource? = nil
        ) {
            self.status = status
            self.location = location
            self.etag = etag
            self.lastModified = lastModified
            self.outcome = outcome
        }
    }
    public struct Entry: Codable, Hashable, Sendable {
        public var link: [Link]?
        public var fullUrl: String?
        public var resource: AnyResource?
        public var search: Search?
        public var request: Request?
        public var response: Response?
        public init(
            fullUrl: String? = nil, resource: AnyResource? = nil, search: Search? = nil, request: Request? = nil,
            response: Response? = nil
        ) {
            self.fullUrl = fullUrl
            self.resource = resource
            self.search = search
            self.request = request
            self.response = response
        }
    }

    public static let resourceType: String = "Bundle"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var identifier: Identifier?
    /// document | message | transaction | transaction-response | batch | batch-response |
    /// history | searchset | collection
    public var type: String
    public var timestamp: String?
    public var total: Int?
    public var link: [Link]?
    public var entry: [Entry]?
    public init(id: String? = nil, type: String) {
        self.id = id
        self.type = type
    }
}

/// OperationOutcome (R4): every error the facade and the gateway answer.
public struct OperationOutcome: FHIRResource {
    public struct Issue: Codable, Hashable, Sendable {
        /// fatal | error | warning | information
        public var severity: String
        /// An IssueType code: invalid, not-found, forbidden, security, not-supported, ...
        public var code: String
        public var details: CodeableConcept?
        public var diagnostics: String?
        public var expression: [String]?
        public init(
            severity: String, code: String, details: CodeableConcept? = nil, diagnostics: String? = nil,
            expression: [String]? = nil
        ) {
            self.severity = severity
            self.code = code
            self.details = details
            self.diagnostics = diagnostics
            self.expression = expression
        }
    }

    public static let resourceType: String = "OperationOutcome"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var issue: [Issue]
    public init(issue: [Issue]) { self.issue = issue }
    /// One error issue.
    public init(code: String, diagnostics: String, expression: String? = nil) {
        self.init(
            issue: [Issue(severity: "error", code: code, diagnostics: diagnostics, expression: expression.map { [$0] })]
        )
    }
}
