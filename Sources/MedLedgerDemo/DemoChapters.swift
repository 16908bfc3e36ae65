import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore
import MedLedgerNode
import MedLedgerContracts
import MedLedgerStorage
import Synchronization

/// The steps of the demo story, each printed in plain words.
struct Chapters {
    let node: LedgerNode
    var blobMirrors: [LedgerNode] = []
    let cast: DemoConsortium
    let say: @Sendable (String) -> Void
    /// Stops validator K's services (consensus, peer links) and marks it down for clients.
    var stopValidator: @Sendable (Int) async -> Void = { _ in }
    /// Which validators are down.
    let down = DownValidators()

    struct Result {
        let report: ReportID
        let patient: IdentityID
        let deniedReadCode: ResultCode
        /// Where the key of the last read (after a validator was stopped) came from.
        let lastReadCustody: CustodyOutcome?
    }

    /// A client of node 0 that asks the other validators for their key shares.
    func client(_ identity: ClientIdentity) -> LedgerClient {
        let down = down
        return LedgerClient(
            gateway: LocalGateway(node: node, blobMirrors: blobMirrors), me: identity,
            otherCustodians: blobMirrors.enumerated().map { index, other in
                LocalGateway(node: other, isUp: { !down.contains(index + 1) })
            })
    }

    func tell() async throws -> Result {
        try await registerPeople()
        let report = try await submitAndApprove()
        try await hospitalReads(report)
        let grant = try await shareWithClinic(report)
        try await showAuditTrail()
        try await revoke(grant)
        let denied = try await deniedRead(report)
        let custody = try await amend(report)
        try await showAuditTrail(step: 12)
        return Result(report: report, patient: cast.patient.id, deniedReadCode: denied, lastReadCustody: custody)
    }

    func registerPeople() async throws {
        say("")
        say(
            "Step 1. The founding organizations are in the genesis: St. Mary's Hospital, Northside Laboratory, Riverside Clinic."
        )
        say("   Each organization's admin registers its practitioners on the ledger:")
        let staff: [(DemoConsortium.Member, ClientIdentity, [Role])] = [
            (.lab, cast.labTechnician, [.author]), (.lab, cast.pathologist, [.approver, .reader]),
            (.hospital, cast.orderingPhysician, [.reader]), (.clinic, cast.clinicPhysician, [.reader]),
            (.hospital, cast.privacyOfficer, [.privacyOfficer]),
        ]
        for (org, person, roles) in staff {
            let admin = cast.organization(org)
            _ = try await client(admin).registerPractitioner(person.keys, organization: admin.id, roles: roles)
            say(
                "   - \(admin.label) registered \(person.label) as \(roles.map(\.name).joined(separator: ", ")) (id \(short(person.id)))."
            )
        }
        try await client(cast.patient).registerSelfAsPatient()
        say(
            "   - \(DemoCast.patientName) registered herself as a patient. The ledger knows her only as \(short(cast.patient.id));"
        )
        say("     her name and birth date (\(DemoCast.patientBirthDate)) stay off the chain.")
    }

    func submitAndApprove() async throws -> ReportID {
        say("")
        say("Step 2. \(cast.labTechnician.label) submits a blood count report for the patient.")
        let draft = ReportDraft(
            title: DemoCast.reportTitle, effectiveDate: "2026-11-21", body: Array(DemoCast.reportBody.utf8))
        let (report, submitted) = try await client(cast.labTechnician).submitReport(
            patient: cast.patient.id, category: DemoCast.category, draft: draft, recipients: [cast.orderingPhysician.id]
        )
        let custody = node.custody
        say(
            "   The report was encrypted on the technician's side (AES-256-GCM), its key wrapped to the patient and the author,"
        )
        say(
            "   and split \(custody.threshold)-of-\(custody.custodians.count) across the custodian nodes (Shamir): no single node can read it."
        )
        say(
            "   Only the ciphertext's hash went on the ledger. Report \(short(report)) is preliminary (block \(submitted.height))."
        )
        say("")
        say("Step 3. \(cast.pathologist.label) approves it.")
        let approved = try await client(cast.pathologist).approve(report, version: 1)
        say("   Version 1 is now final (block \(approved.height)).")
        say("")
        say("Step 4. Distribution: the ordering physician named at submission, \(cast.orderingPhysician.label),")
        let grants = approved.receipt.events.filter { if case .grantChanged = $0 { true } else { false } }
        say("   was granted access automatically (\(grants.count) distribution grant).")
        return report
    }

    func hospitalReads(_ report: ReportID) async throws {
        say("")
        say("Step 5. \(cast.orderingPhysician.label) reads the report.")
        let result = try await client(cast.orderingPhysician).read(report, purpose: .treatment)
        guard let opened = result.report else { throw ClientError.rejected(result.receipt.receipt) }
        say(
            "   The read was committed first as an access receipt (block \(result.receipt.height)); only then did the custodians"
        )
        say("   release their key shares. \(custodyLine(result.custody))")
        say("   Decrypted \(opened.plaintext.count) bytes, \"\(opened.metadata.title)\"; content commitment checked.")
    }

    func shareWithClinic(_ report: ReportID) async throws -> GrantID {
        say("")
        say(
            "Step 6. The patient shares her hematology reports with \(cast.clinicPhysician.label) for treatment, for 30 days."
        )
        let now = await node.consensusTime
        let grant = try await client(cast.patient).grant(
            patient: cast.patient.id, to: cast.clinicPhysician.id, scope: .categories([DemoCast.category]),
            purpose: .treatment, validUntil: now.adding(milliseconds: 30 * 24 * 3_600_000))
        say("   Grant \(short(grant)) is on the ledger; it expires by block time, not by anyone's clock.")
        say("")
        say("Step 7. \(cast.clinicPhysician.label) reads the report under that grant.")
        let result = try await client(cast.clinicPhysician).read(report, purpose: .treatment)
        guard let opened = result.report else { throw ClientError.rejected(result.receipt.receipt) }
        say(
            "   Granted (receipt in block \(result.receipt.height)); the custodians sealed their key shares to the clinic physician."
        )
        say(
            "   First line of the report: \(String(decoding: opened.plaintext, as: UTF8.self).split(separator: "\n").first ?? "")"
        )
        return grant
    }

    func showAuditTrail(step: Int = 8) async throws {
        say("")
        say("Step \(step). The patient looks at who accessed her reports:")
        let trail = try await client(cast.patient).gateway.accessTrail(
            ofPatient: cast.patient.id, caller: cast.patient,
            page: PageRequest())
        // The API lists newest first; the story reads better in the order things happened.
        for entry in trail.items.reversed() {
            guard case .access(_, let version, _, let reader, let purpose, let basis, _) = entry.event else { continue }
            let outcome =
                switch basis {
                case .relationship: "allowed (care relationship)"
                case .grant(let id): "allowed under grant \(short(id))"
                case .denied(let code): "DENIED (\(code.name))"
                }
            say(
                "   - \(entry.time): \(cast.label(of: reader)) read version \(version) for \(purpose): \(outcome), block \(entry.height)"
            )
        }
    }

    func revoke(_ grant: GrantID) async throws {
        say("")
        say("Step 9. The patient revokes the clinic's grant, and re-keys the reports it covered.")
        let rekeyed = try await client(cast.patient).revokeAndRekey(grant, patient: cast.patient.id)
        say("   Grant \(short(grant)) is revoked as of the next block: custodians release no more key shares for it.")
        say(
            "   \(rekeyed.count) report(s) re-encrypted under a fresh key (same text, same commitment); every node deleted the old"
        )
        say("   ciphertext, so a key the clinic physician kept opens nothing the network still holds.")
    }

    func deniedRead(_ report: ReportID) async throws -> ResultCode {
        say("")
        say("Step 10. \(cast.clinicPhysician.label) tries to read again.")
        let result = try await client(cast.clinicPhysician).read(report, purpose: .treatment)
        guard result.report == nil else { throw ClientError.integrity("a revoked grant still allowed a read") }
        say("   Denied (code \(result.receipt.receipt.code)). \(result.receipt.receipt.sentence)")
        say("   The denied attempt is itself on the ledger (block \(result.receipt.height)), and no key was released.")
        return result.receipt.receipt.code
    }

    func amend(_ report: ReportID) async throws -> CustodyOutcome? {
        say("")
        if !blobMirrors.isEmpty {
            let last = blobMirrors.count
            await stopValidator(last)
            down.insert(last)
            say("Step 11. Validator node\(last) goes down (its consensus and peer links stop). The others carry on.")
            say(
                "   Meanwhile the lab adds a ferritin result: \(cast.labTechnician.label) amends the report (version 2),"
            )
        } else {
            say(
                "Step 11. Meanwhile the lab adds a ferritin result: \(cast.labTechnician.label) amends the report (version 2),"
            )
        }
        let draft = ReportDraft(
            title: DemoCast.reportTitle, effectiveDate: "2026-11-21", body: Array(DemoCast.amendedBody.utf8))
        try await client(cast.labTechnician).revise(report, kind: .amend, reason: .additionalInformation, draft: draft)
        try await client(cast.pathologist).approve(report, version: 2)
        say("   and \(cast.pathologist.label) approves it: version 2 is amended, linked to version 1.")
        let result = try await client(cast.orderingPhysician).read(report, purpose: .treatment)
        guard let opened = result.report else { throw ClientError.rejected(result.receipt.receipt) }
        say(
            "   \(cast.orderingPhysician.label) reads version 2 (\(opened.plaintext.count) bytes) under the same distribution grant."
        )
        say("   \(custodyLine(result.custody))")
        return result.custody
    }

    /// Which custodians' shares rebuilt a read's key, and who could not help.
    func custodyLine(_ custody: CustodyOutcome?) -> String {
        guard let custody else { return "The reader's own envelope held the key." }
        let total = blobMirrors.count + 1
        var line =
            "\(custody.goodShares) of \(total) custodians sent good key shares; the key was rebuilt from \(custody.threshold)"
            + " (x = \(custody.sharesUsed.map(String.init).joined(separator: ", "))). No node ever held the whole key."
        if !custody.failures.isEmpty {
            line += " Could not help: \(custody.failures.map(\.description).joined(separator: "; "))."
        }
        return line
    }

    func short(_ id: IdentityID) -> String { String(id.hex.prefix(12)) }
    func short<Kind>(_ id: OpaqueID<Kind>) -> String { String(id.hex.prefix(12)) }
}

extension DemoConsortium {
    enum Member { case hospital, lab, clinic }

    func organization(_ member: Member) -> ClientIdentity {
        switch member {
        case .hospital: hospital
        case .lab: lab
        case .clinic: clinic
        }
    }

    func label(of id: IdentityID) -> String {
        [
            hospital, lab, clinic, labTechnician, pathologist, orderingPhysician, clinicPhysician, privacyOfficer,
            patient,
        ]
        .first { $0.id == id }?.label ?? String(id.hex.prefix(12))
    }
}

/// The validators the demo has stopped, for the gateways that stand for them.
final class DownValidators: Sendable {
    private let indices = Mutex<Set<Int>>([])
    func insert(_ index: Int) { indices.withLock { _ = $0.insert(index) } }
    func contains(_ index: Int) -> Bool { indices.withLock { $0.contains(index) } }
}
