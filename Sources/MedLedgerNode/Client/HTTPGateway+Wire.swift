import MedLedgerCore

/// The parts of the API's JSON answers that `HTTPGateway` reads. Records come from their
/// `canonical` base64 fields, so the client gets them byte for byte.
enum Wire {
    struct Problem: Decodable {
        let status: Int
        let detail: String
        let field: String?
        let code: UInt16?
    }
    struct Status: Decodable {
        struct ValidatorEntry: Decodable {
            let name: String
            let power: UInt64
            let signingKey: String
            let encryptionKey: String
        }
        let chainId: String
        let validators: [ValidatorEntry]
    }
    struct Submitted: Decodable {
        let hash: String
        let status: String
    }
    struct TransactionState: Decodable {
        let hash: String
        let status: String
        let height: UInt64?
        let position: Int?
        let code: UInt16?
        let receipt: String?
    }
    struct Identity: Decodable {
        let id: String
        let kind: String
        let organization: String?
        let roles: [String]
        let status: String
        let signingKey: String
        let encryptionKey: String
        let lastNonce: UInt64
        let registeredAt: UInt64
    }
    struct Nonce: Decodable { let nextNonce: UInt64 }
    struct ProvenEntry: Decodable { let height: UInt64; let header: String; let certificate: String; let record: String; let proof: String }
    struct ProvenVersion: Decodable { let record: String; let proof: String }
    struct ProvenReport: Decodable {
        let height: UInt64; let header: String; let certificate: String; let record: String; let proof: String
        let versions: [ProvenVersion]
    }
    struct Address: Decodable { let address: String }
    struct Canonical: Decodable { let canonical: String }
    struct Reports: Decodable { let reports: [Canonical]; let nextCursor: String? }
    struct Grants: Decodable { let grants: [Canonical]; let nextCursor: String? }
    struct AuditEntry: Decodable {
        let height: UInt64
        let position: Int
        let eventIndex: Int
        let timeMs: UInt64
        let transaction: String?
        let canonical: String
    }
    struct Audit: Decodable { let entries: [AuditEntry]; let nextCursor: String? }
}
