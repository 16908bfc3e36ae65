/// Plain-English sentences for receipts, rendered at the edge (CLI, API, client, demo),
/// never stored or hashed: rewording anything here changes no byte on the ledger.
///
/// Self-contained on purpose (it needs only Core's value types), so any target that shows
/// a receipt to a person can use it without depending on the contracts.
public enum ReceiptText {
    /// The sentence for a receipt: on success, what its events did; on a refusal, what the
    /// code means, then its facts.
    public static func sentence(for receipt: TransactionReceipt) -> String {
        if receipt.code.isSuccess, !receipt.events.isEmpty {
            return "Accepted: " + receipt.events.map(phrase(of:)).joined(separator: "; ") + "."
        }
        return sentence(code: receipt.code, facts: receipt.facts)
    }

    /// The sentence for a code and its facts (also used for refusals outside a block, such
    /// as the mempool's admission check).
    public static func sentence(code: ResultCode, facts: [ReceiptFact]) -> String {
        let details = phrase(of: facts)
        return details.isEmpty ? summary(of: code) + "." : summary(of: code) + ": " + details + "."
    }

    /// What a code means, as the start of a sentence (no final period). Never empty, also
    /// for codes this build does not know.
    public static func summary(of code: ResultCode) -> String {
        switch code {
        case .ok: "Accepted"
        case .badSignature: "The signature does not verify"
        case .wrongChain: "The transaction was signed for another chain"
        case .staleNonce: "The nonce is not above the signer's last used nonce"
        case .unknownSigner: "The signer is not registered"
        case .signerKeyMismatch: "The transaction is not signed with the signer's current key"
        case .signerSuspended: "The signer is suspended"
        case .nonceGap: "The nonce is too far above the signer's last used nonce"
        case .missingRole: "The signer lacks a role this action needs"
        case .notPatientOrGuardian: "Only the patient or one of their guardians may do this"
        case .wrongOrganization: "The signer belongs to another organization"
        case .noActiveGrant: "No active grant lets the reader read this report for this purpose"
        case .notAdmin: "The signer is not an admin who may do this"
        case .wrongKind: "The signer is not a kind of identity that may do this"
        case .identityExists: "The identity is already registered"
        case .unknownIdentity: "An identity the transaction names is not registered as a kind allowed there"
        case .reportExists: "The report already exists"
        case .unknownReport: "The report does not exist"
        case .unknownVersion: "The report has no such version"
        case .invalidStatusTransition: "The report's status does not allow this action"
        case .grantExists: "The grant already exists"
        case .unknownGrant: "The grant does not exist"
        case .grantNotActive: "The grant is no longer active"
        case .staleVersion: "The version named is not the report's latest"
        case .limitReached: "A limit is reached"
        case .caseExists: "The case already exists"
        case .unknownCase: "The case does not exist"
        case .caseClosed: "The case is already resolved"
        case .invalidField: "A field of the transaction is invalid"
        default: "Refused with result code \(code.rawValue)"
        }
    }

    /// The facts as a list: `field recipients has duplicate entries, identity ab…`.
    /// Consecutive roles or kinds are alternatives and read "role author or approver".
    public static func phrase(of facts: [ReceiptFact]) -> String {
        var parts: [String] = []
        var previous: ReceiptFact?
        for fact in facts {
            defer { previous = fact }
            switch (previous, fact) {
            case (.role?, .role(let role)): parts[parts.count - 1] += " or \(role.name)"
            case (.kind?, .kind(let kind)): parts[parts.count - 1] += " or \(kind.name)"
            case (.field?, .problem(let problem)): parts[parts.count - 1] += " " + phrase(of: problem)
            default: parts.append(phrase(of: fact))
            }
        }
        return parts.joined(separator: ", ")
    }

    /// One fact as words.
    public static func phrase(of fact: ReceiptFact) -> String {
        switch fact {
        case .field(let field): "field \(field.name)"
        case .problem(let problem): "the value " + phrase(of: problem)
        case .identity(let id): "identity \(id.hex)"
        case .organization(let id): "organization \(id.hex)"
        case .kind(let kind): "kind \(kind.name)"
        case .role(let role): "role \(role.name)"
        case .report(let id): "report \(id.hex)"
        case .version(let version): "version \(version)"
        case .latestVersion(let version): "latest version \(version)"
        case .status(let status): "status \(status.name)"
        case .grant(let id): "grant \(id.hex)"
        case .purpose(let purpose): "purpose \(purpose.name)"
        case .nonce(let nonce): "nonce \(nonce)"
        case .lastNonce(let nonce): "last nonce \(nonce)"
        case .limit(let limit): "limit \(limit)"
        case .time(let time): "block time \(time)"
        case .caseID(let id): "case \(id.hex)"
        }
    }

    /// The rule a field broke, as a verb phrase after the field's name.
    public static func phrase(of problem: FieldProblem) -> String {
        switch problem {
        case .duplicate: "has duplicate entries"
        case .outOfRange: "is out of range"
        case .missingEntry: "lacks a required entry"
        case .notSortedSet: "must be non-empty, sorted and without duplicates"
        case .badKeyProof: "does not show the signing key signed both keys"
        case .unchanged: "is the same as the current value"
        case .namesSigner: "names the signer itself"
        case .reserved: "is reserved for distribution grants"
        case .notAfterStart: "is not after validFrom"
        case .past: "is already past"
        case .empty: "is empty"
        case .notPatientsReport: "names a report that is not this patient's"
        case .wrongCount: "has the wrong number of entries"
        case .notCurrent: "is not the current value on the ledger"
        case .changed: "must stay as it is on the ledger"
        case .wrongSuite: "has an envelope sealed in another suite than the recipient's encryption key"
        }
    }

    /// What an event did: `report ab… version 1 submitted, now preliminary`.
    public static func phrase(of event: LedgerEvent) -> String {
        switch event {
        case .identityRegistered(let id, let kind, _):
            return "registered \(kind.name) \(id.hex)"
        case .identityUpdated(let id):
            return "updated identity \(id.hex)"
        case .report(let report, let version, _, let action, let status, _):
            return "report \(report.hex) version \(version) \(action.name), now \(status.name)"
        case .grantChanged(let grant, _, let grantee, let active):
            return "grant \(grant.hex) to \(grantee.hex) is \(active ? "active" : "revoked")"
        case .access(let report, let version, _, let reader, let purpose, let basis, _):
            let how =
                switch basis {
                case .relationship: "allowed by relationship"
                case .grant(let grant): "allowed by grant \(grant.hex)"
                case .denied(let code): "denied (\(code.name))"
                }
            return "read of report \(report.hex) version \(version) by \(reader.hex) for \(purpose.name) \(how)"
        case .caseChanged(let id, _, let organization, let reader, let status):
            return "case \(id.hex) about a read by \(reader.hex) is \(status.name) at organization \(organization.hex)"
        }
    }
}

extension TransactionReceipt {
    /// The receipt as one English sentence (see `ReceiptText`); never stored or hashed.
    public var sentence: String { ReceiptText.sentence(for: self) }
}

/// A fact's value for JSON: a number, or text (hex ids, enum names, ISO 8601 times).
public enum ReceiptFactValue: Hashable, Sendable {
    case number(UInt64)
    case text(String)
}

extension ReceiptFact {
    /// The fact's value as the API shows it (`facts[].value`), next to `name` (`facts[].type`).
    public var value: ReceiptFactValue {
        switch self {
        case .field(let field): .text(field.name)
        case .problem(let problem): .text(problem.name)
        case .identity(let id), .organization(let id): .text(id.hex)
        case .kind(let kind): .text(kind.name)
        case .role(let role): .text(role.name)
        case .report(let id): .text(id.hex)
        case .grant(let id): .text(id.hex)
        case .version(let version), .latestVersion(let version): .number(UInt64(version.rawValue))
        case .status(let status): .text(status.name)
        case .purpose(let purpose): .text(purpose.name)
        case .nonce(let value), .lastNonce(let value): .number(value.rawValue)
        case .limit(let value): .number(value)
        case .time(let time): .text(time.description)
        case .caseID(let id): .text(id.hex)
        }
    }
}
