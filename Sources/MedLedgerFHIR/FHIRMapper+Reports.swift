import MedLedgerContracts
import MedLedgerCore

extension FHIRMapper {
    /// DiagnosticReport.status for a ledger status (the ledger's statuses are R4's).
    public static func diagnosticReportStatus(_ status: ReportStatus) -> String {
        switch status {
        case .registered: "registered"
        case .preliminary: "preliminary"
        case .final: "final"
        case .amended: "amended"
        case .corrected: "corrected"
        case .appended: "appended"
        case .cancelled: "cancelled"
        case .enteredInError: "entered-in-error"
        }
    }

    /// DocumentReference.docStatus (preliminary | final | amended | entered-in-error); nil for
    /// cancelled, which R4's value set does not have.
    public static func documentStatus(_ status: ReportStatus) -> String? {
        switch status {
        case .registered, .preliminary: "preliminary"
        case .final: "final"
        case .amended, .corrected, .appended: "amended"
        case .enteredInError: "entered-in-error"
        case .cancelled: nil
        }
    }

    /// DocumentReference.status of a version: current (the latest), superseded (older), or
    /// entered-in-error.
    public static func documentReferenceStatus(_ version: ReportVersionRecord, of report: ReportRecord) -> String {
        version.status == .enteredInError
            ? "entered-in-error" : version.version == report.latest.version ? "current" : "superseded"
    }

    /// When a version was made available: the block time of its first approval, else of its
    /// submission.
    public static func issued(_ version: ReportVersionRecord) -> ConsensusTime {
        version.approvals.first?.time ?? version.submittedAt
    }

    /// The last block time the version changed at (its submission or latest approval).
    public static func lastUpdated(_ version: ReportVersionRecord) -> ConsensusTime {
        version.approvals.map(\.time).max().map { max($0, version.submittedAt) } ?? version.submittedAt
    }

    /// The URL of a version's ciphertext on this node (`GET /v1/reports/{id}/blobs/{address}`,
    /// a signed request, readable by whoever may view the report).
    public func ciphertextURL(report: ReportID, address: Hash256) -> String {
        "\(baseURL)/v1/reports/\(report.hex)/blobs/\(address.hex)"
    }

    /// The version's encrypted content as an Attachment: the ciphertext's URL, size and
    /// SHA-256 (in an extension: R4's `hash` is SHA-1). Never the plaintext.
    public func attachment(report: ReportRecord, version: ReportVersionRecord) -> Attachment {
        Attachment(
            extension: [
                Extension(url: FHIRExtensionURL.contentSHA256, valueString: version.content.contentAddress.hex),
                Extension(url: FHIRExtensionURL.contentCommitment, valueString: version.content.commitment.hex),
            ],
            contentType: "application/octet-stream",
            url: ciphertextURL(report: report.id, address: version.content.contentAddress),
            size: Int(clamping: version.content.sizeBytes),
            title: "Encrypted report \(report.id.hex), version \(version.version.rawValue)",
            creation: Self.time(version.submittedAt))
    }

    /// Extensions linking a version to the one it replaces and saying why.
    func versionExtensions(type: String, report: ReportRecord, version: ReportVersionRecord) -> [Extension]? {
        var extensions: [Extension] = []
        if version.version.rawValue > 1 {
            let previous = ReportVersion(version.version.rawValue - 1)
            extensions.append(
                Extension(
                    url: FHIRExtensionURL.replaces, valueReference: Self.versioned(type, report.id.hex, previous)))
        }
        if let reason = version.withdrawal ?? version.revision?.reason {
            extensions.append(Extension(url: FHIRExtensionURL.changeReason, valueCode: reason.name))
        }
        return extensions.isEmpty ? nil : extensions
    }

    /// The numbered version, or the latest when `number` is nil; nil when there is no such version.
    static func version(of report: ReportRecord, _ number: ReportVersion?) -> ReportVersionRecord? {
        guard let number else { return report.latest }
        return report.version(number)
    }

    func categoryConcept(_ report: ReportRecord) -> CodeableConcept {
        CodeableConcept(coding: [FHIRSystem.categoryCoding(report.category)])
    }

    func meta(_ version: ReportVersionRecord) -> Meta {
        Meta(versionId: "\(version.version.rawValue)", lastUpdated: Self.time(Self.lastUpdated(version)))
    }

    /// A report version (the latest when `version` is nil) as a DiagnosticReport: what the
    /// ledger knows of it. Its title and results are encrypted, so `code` is the category.
    public func diagnosticReport(_ report: ReportRecord, version number: ReportVersion? = nil) -> DiagnosticReport? {
        guard let version = Self.version(of: report, number) else { return nil }
        var resource = DiagnosticReport(
            id: report.id.hex, status: Self.diagnosticReportStatus(version.status),
            code: CodeableConcept(
                coding: [FHIRSystem.categoryCoding(report.category)],
                text: "Encrypted report: its title and results are readable by its key holders only"))
        resource.meta = meta(version)
        resource.extension = versionExtensions(type: DiagnosticReport.resourceType, report: report, version: version)
        resource.identifier = [Identifier(system: FHIRSystem.report, value: report.id.hex)]
        resource.category = [categoryConcept(report)]
        resource.subject = Reference(reference: "Patient/\(report.patient.hex)")
        resource.performer = distinct([report.organization, version.author]).map(reference)
        let approvers = distinct(version.approvals.map(\.approver))
        resource.resultsInterpreter = approvers.isEmpty ? nil : approvers.map(reference)
        resource.issued = Self.time(Self.issued(version))
        resource.presentedForm = [attachment(report: report, version: version)]
        return resource
    }

    /// A report version (the latest when `version` is nil) as a DocumentReference.
    public func documentReference(_ report: ReportRecord, version number: ReportVersion? = nil) -> DocumentReference? {
        guard let version = Self.version(of: report, number) else { return nil }
        var resource = DocumentReference(
            id: report.id.hex, status: Self.documentReferenceStatus(version, of: report),
            content: [DocumentReference.Content(attachment: attachment(report: report, version: version))])
        resource.meta = meta(version)
        resource.extension = versionExtensions(type: DocumentReference.resourceType, report: report, version: version)
        resource.masterIdentifier = Identifier(
            system: FHIRSystem.report, value: "\(report.id.hex)/_history/\(version.version.rawValue)")
        resource.identifier = [Identifier(system: FHIRSystem.report, value: report.id.hex)]
        resource.docStatus = Self.documentStatus(version.status)
        resource.type = categoryConcept(report)
        resource.category = [categoryConcept(report)]
        resource.subject = Reference(reference: "Patient/\(report.patient.hex)")
        resource.date = Self.time(version.submittedAt)
        resource.author = distinct([version.author, report.organization]).map(reference)
        resource.authenticator = version.approvals.first.map { reference($0.approver) }
        resource.custodian = reference(report.organization)
        if version.version.rawValue > 1 {
            let previous = ReportVersion(version.version.rawValue - 1)
            resource.relatesTo = [
                DocumentReference.RelatesTo(
                    code: "replaces",
                    target: Self.versioned(DocumentReference.resourceType, report.id.hex, previous))
            ]
        }
        var context = DocumentReference.Context()
        context.related = [Reference(reference: "DiagnosticReport/\(report.id.hex)")]
        resource.context = context
        return resource
    }
}

/// The ids in first-seen order, each once.
func distinct(_ ids: [IdentityID]) -> [IdentityID] {
    var seen = Set<IdentityID>()
    return ids.filter { seen.insert($0).inserted }
}
