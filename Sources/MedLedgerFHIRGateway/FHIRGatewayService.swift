import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore

/// What a create or update answered: the status (201 new, 200 existing or updated), the
/// resource as stored, its location and version.
public struct WriteResult: Sendable {
    public let status: Int
    public let resource: FHIRValue
    public let location: String
    public let version: UInt32
}

/// The gateway's FHIR operations over one ledger identity (the key file's): what the HTTP
/// routes and `fhir import` call. Every ledger write goes through one lock, since one
/// identity signs them all with one nonce sequence.
public final class FHIRGatewayService: Sendable {
    public let client: LedgerClient
    public let store: GatewayStore
    let locks = KeyedLocks()
    static let writerLock = "ledger-writer"
    /// The node's facade, for searches (nil when the client's gateway is not HTTP: searches
    /// then use the gateway's own index only).
    let facade: NodeFHIRSearch?

    public init(client: LedgerClient, store: GatewayStore) {
        self.client = client
        self.store = store
        facade = (client.gateway as? HTTPGateway).map { NodeFHIRSearch(node: $0.baseURL, identity: client.me) }
    }

    // MARK: Patients (the MRN map)

    /// `POST Patient`: files each of the Patient's identifiers under its ledger pseudonym
    /// (the identifier with system `urn:medledger:identity`, or one already known), in the
    /// gateway's store only. Answers a pseudonymous Patient: the ledger id, no name.
    public func registerPatient(_ resource: FHIRValue, root: String = "Patient") throws -> FHIRValue {
        guard resource.resourceType == "Patient" else {
            throw FHIRProblem(400, .invalid, "expected a Patient", expression: "\(root).resourceType")
        }
        let identifiers = (resource["identifier"]?.array ?? []).enumerated().compactMap {
            (offset, identifier) -> (Int, String, String)? in
            guard let system = identifier["system"]?.string, let value = identifier["value"]?.string else { return nil }
            return (offset, system, value)
        }
        var ledgerID: IdentityID?
        if let hex = resource["id"]?.string, let id = IdentityID(hex: hex) { ledgerID = id }
        for (offset, system, value) in identifiers where system == FHIRSystems.ledgerIdentity {
            guard let id = IdentityID(hex: value) else {
                throw FHIRProblem(
                    422, .value, "\(FHIRSystems.ledgerIdentity) needs a 64-hex ledger id",
                    expression: "\(root).identifier[\(offset)].value")
            }
            ledgerID = id
        }
        if ledgerID == nil {
            for (_, system, value) in identifiers {
                if let known = try store.value(.patientIdentifier, "\(system)|\(value)"),
                    let id = IdentityID(hex: known)
                {
                    ledgerID = id
                    break
                }
            }
        }
        guard let ledgerID else {
            throw FHIRProblem(
                422, .required,
                "the gateway does not know this patient's ledger pseudonym: add an identifier with system \(FHIRSystems.ledgerIdentity) and the patient's ledger id",
                expression: "\(root).identifier")
        }
        for (offset, system, value) in identifiers where system != FHIRSystems.ledgerIdentity {
            if let known = try store.value(.patientIdentifier, "\(system)|\(value)"), known != ledgerID.hex {
                throw FHIRProblem(
                    409, .conflict, "this identifier already stands for another ledger patient in the gateway's store",
                    expression: "\(root).identifier[\(offset)]")
            }
            try store.set(.patientIdentifier, "\(system)|\(value)", ledgerID.hex)
        }
        return Self.pseudonymousPatient(ledgerID)
    }

    /// `GET Patient?identifier=system|value`: the pseudonym an MRN stands for.
    public func findPatient(identifier: String) throws -> IdentityID? {
        try store.value(.patientIdentifier, identifier).flatMap(IdentityID.init(hex:))
    }

    static func pseudonymousPatient(_ id: IdentityID) -> FHIRValue {
        .object([
            "resourceType": .string("Patient"), "id": .string(id.hex),
            "identifier": .array([
                .object(["system": .string(FHIRSystems.ledgerIdentity), "value": .string(id.hex)])
            ]),
        ])
    }

    func resolve(_ reference: PatientReference, path: String) throws -> IdentityID {
        switch reference {
        case .ledger(let id): return id
        case .identifier(let system, let value):
            guard let id = try findPatient(identifier: "\(system)|\(value)") else {
                throw FHIRProblem(
                    422, .notFound,
                    "the gateway's store has no ledger pseudonym for identifier \(system)|\(value): POST the Patient with its \(FHIRSystems.ledgerIdentity) identifier first",
                    expression: "\(path).identifier")
            }
            return id
        }
    }

    // MARK: Create, read, update

    /// `POST DiagnosticReport` / `POST DocumentReference`, with `If-None-Exist` when given:
    /// creates with the same condition wait for each other, so exactly one report is made.
    public func create(_ resource: FHIRValue, ifNoneExist: String? = nil) async throws -> WriteResult {
        let prepared = try ReportIntake.prepare(resource)
        guard let ifNoneExist else { return try await submit(prepared) }
        let condition = try Self.condition(ifNoneExist, type: prepared.resourceType)
        return try await locks.holding("condition \(condition)") {
            if let existing = try store.value(.resourceIdentifier, condition), let summary = try summary(existing) {
                return WriteResult(
                    status: 200, resource: summary.resource, location: summary.location, version: summary.version)
            }
            return try await submit(prepared)
        }
    }

    /// `identifier=system|value`, the one search a conditional create supports.
    static func condition(_ text: String, type: String) throws(FHIRProblem) -> String {
        let query = text.hasPrefix("?") ? String(text.dropFirst()) : text
        let parts = query.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "identifier",
            let value = parts[1].removingPercentEncoding, value.contains("|"), !value.hasSuffix("|")
        else {
            throw FHIRProblem(
                400, .notSupported, "If-None-Exist supports only identifier=system|value, got \(text)",
                expression: "If-None-Exist")
        }
        return "\(type)|\(value)"
    }

    /// Seals, uploads and submits one prepared report; files its identifiers and summary.
    func submit(_ prepared: PreparedReport) async throws -> WriteResult {
        let patient = try resolve(prepared.patient, path: prepared.patientPath)
        let body = prepared.resource.encoded()
        let report = try await locks.holding(Self.writerLock) {
            try await client.submitReport(
                patient: patient, category: prepared.category,
                draft: ReportDraft(title: prepared.title, effectiveDate: prepared.effectiveDate, body: body)
            ).0
        }
        return try await written(prepared, report: report, status: 201)
    }

    /// A report just written: its identifiers and summary filed, and the answer with its
    /// latest version.
    func written(_ prepared: PreparedReport, report: ReportID, status: Int) async throws -> WriteResult {
        let record = try await client.gateway.report(report, caller: client.me)
        try file(prepared, report: record)
        return WriteResult(
            status: status, resource: Self.stored(prepared.resource, record: record, version: record.latest),
            location: "\(prepared.resourceType)/\(report.hex)/_history/\(record.latest.version.rawValue)",
            version: record.latest.version.rawValue)
    }

    /// `GET DiagnosticReport/{id}[/_history/{v}]`: an access on the ledger with `purpose`,
    /// waited to its commit, then the key, the ciphertext and the decrypted resource.
    public func read(type: String, id: String, version: UInt32? = nil, purpose: Purpose) async throws -> WriteResult {
        guard let report = ReportID(hex: id) else {
            throw FHIRProblem(404, .notFound, "\(type)/\(id) is not a report id (32 hex)", expression: "id")
        }
        let result = try await locks.holding(Self.writerLock) {
            try await client.read(report, version: version.map(ReportVersion.init(rawValue:)), purpose: purpose)
        }
        guard let opened = result.report else {
            throw FHIRProblem(
                403, .forbidden, "the ledger denied the read: \(result.receipt.receipt.sentence)",
                expression: "\(type)/\(id)")
        }
        let record = try await client.gateway.report(report, caller: client.me)
        // A report written as plain bytes (by the CLI or the portal, not through a gateway) is
        // answered as a DocumentReference holding them, as `fhir export` does.
        let resource = FHIRExport.resource(opened.plaintext, title: opened.metadata.title, record: record)
        guard resource.resourceType == type else {
            throw FHIRProblem(
                404, .notFound,
                "\(type)/\(id) is not a \(type): read it as \(resource.resourceType ?? "DocumentReference")/\(report.hex)"
            )
        }
        let number = version.map(ReportVersion.init(rawValue:)) ?? record.latest.version
        guard let versionRecord = record.version(number) else {
            throw FHIRProblem(404, .notFound, "\(type)/\(id) has no version \(number.rawValue)")
        }
        var stored = Self.stored(resource, record: record, version: versionRecord)
        stored["id"] = .string(report.hex)
        return WriteResult(
            status: 200, resource: stored, location: "\(type)/\(id)/_history/\(number.rawValue)",
            version: number.rawValue)
    }

    /// `PUT DiagnosticReport/{id}`: a new version (amended, or corrected when the resource's
    /// status says so). With `If-Match`, a version other than the latest is a 412.
    public func update(type: String, id: String, _ resource: FHIRValue, ifMatch: String?) async throws -> WriteResult {
        guard let report = ReportID(hex: id) else {
            throw FHIRProblem(404, .notFound, "\(type)/\(id) is not a report id (32 hex)", expression: "id")
        }
        if let bodyID = resource["id"]?.string, bodyID != id {
            throw FHIRProblem(400, .invalid, "the body's id \(bodyID) is not the URL's \(id)", expression: "\(type).id")
        }
        let prepared = try ReportIntake.prepare(resource)
        guard prepared.resourceType == type else {
            throw FHIRProblem(400, .invalid, "the body is a \(prepared.resourceType), the URL a \(type)")
        }
        return try await locks.holding("report \(id)") {
            let current = try await client.gateway.report(report, caller: client.me)
            if let ifMatch {
                let expected = Self.version(fromETag: ifMatch)
                guard expected == current.latest.version.rawValue else {
                    throw FHIRProblem(
                        412, .conflict,
                        "If-Match \(ifMatch) does not match the latest version \(current.latest.version.rawValue)",
                        expression: "If-Match")
                }
            }
            guard try resolve(prepared.patient, path: prepared.patientPath) == current.patient else {
                throw FHIRProblem(
                    422, .businessRule, "a new version cannot change the report's patient",
                    expression: prepared.patientPath)
            }
            let corrected = resource["status"]?.string == "corrected"
            _ = try await locks.holding(Self.writerLock) {
                try await client.revise(
                    report, kind: corrected ? .correct : .amend,
                    reason: corrected ? .clericalError : .additionalInformation,
                    draft: ReportDraft(
                        title: prepared.title, effectiveDate: prepared.effectiveDate, body: prepared.resource.encoded())
                )
            }
            return try await written(prepared, report: report, status: 200)
        }
    }

    /// `W/"3"`, `"3"` or `3` → 3.
    static func version(fromETag tag: String) -> UInt32? {
        var text = tag.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        return UInt32(text.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }

    /// The resource with the ledger's id, version, time and status.
    static func stored(_ resource: FHIRValue, record: ReportRecord, version: ReportVersionRecord) -> FHIRValue {
        var result = resource
        result["id"] = .string(record.id.hex)
        result["meta"] = .object([
            "versionId": .string(String(version.version.rawValue)),
            "lastUpdated": .string(ISO8601.format(milliseconds: version.submittedAt.milliseconds)),
        ])
        return result
    }
}
