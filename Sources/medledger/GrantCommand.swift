import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import Foundation
import MedLedgerCore

struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant", abstract: "Give, list and revoke access to a patient's reports.",
        subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant a practitioner or organization access (patient or guardian only).",
            discussion: "Scope: --report (repeatable), --category (repeatable), or --all. Expiry is by block time.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The patient (default: you).") var patient: String?
        @Option(name: .long, help: "Who gets access: a practitioner or organization id.") var grantee: String
        @Option(name: .long, help: "Purpose: \(Purpose.allNames.joined(separator: ", ")).") var purpose: String =
            "treatment"
        @Option(name: .long, help: "A report id in scope; repeatable.") var report: [String] = []
        @Option(name: .long, help: "A category code in scope; repeatable.") var category: [String] = []
        @Flag(name: .long, help: "All of the patient's reports.") var all = false
        @Option(name: .long, help: "Days until the grant expires (default: no expiry).") var days: UInt32?

        func validate() throws {
            let scopes = [all, !report.isEmpty, !category.isEmpty].filter { $0 }.count
            guard scopes == 1 else { throw ValidationError("give exactly one scope: --report, --category or --all") }
            if let days, days == 0 { throw ValidationError("--days must be at least 1") }
        }

        func run() async throws {
            let granteeID = try Parse.identity(grantee, "--grantee")
            let why = try Parse.tagged(purpose, "--purpose", as: Purpose.self)
            let scope: GrantScope =
                all
                ? .allReports
                : !report.isEmpty
                    ? .reports(try report.map { try Parse.opaque($0, "--report") })
                    : .categories(try category.map { try Parse.code($0, "--category") })
            try await runClient {
                let client = try options.client()
                let patientID = try patient.map { try Parse.identity($0, "--patient") } ?? client.me.id
                // The expiry is stated in consensus time; the wall clock only proposes the figure.
                let until = days.map {
                    ConsensusTime(wallClock: SystemClock.now()).adding(milliseconds: UInt64($0) * 86_400_000)
                }
                let id = try await client.grant(
                    patient: patientID, to: granteeID, scope: scope, purpose: why, validUntil: until)
                print("Granted \(id.hex) to \(granteeID.hex) for \(why)\(until.map { " until \($0)" } ?? "")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a grant (patient or guardian only).",
            discussion:
                "Custodians stop releasing key shares at once. With --rekey (the patient, with --genesis) every report the grant covered is also re-encrypted under a fresh key and the old ciphertext deleted, so keys the grantee kept open nothing the nodes hold."
        )
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The grant id.") var grant: String
        @Flag(name: .long, help: "Also re-key every report the grant covered.") var rekey = false

        func run() async throws {
            let id: GrantID = try Parse.opaque(grant, "--grant")
            try await runClient {
                let client = try options.client()
                guard rekey else {
                    try await client.revoke(id)
                    print("Revoked grant \(id.hex)")
                    return
                }
                let rekeyed = try await client.revokeAndRekey(id, patient: client.me.id)
                print("Revoked grant \(id.hex) and re-keyed \(rekeyed.count) report(s):")
                for report in rekeyed { print("  \(report.hex)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a patient's grants with their status now.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The patient (default: you).") var patient: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await runClient {
                let client = try options.client()
                let id = try patient.map { try Parse.identity($0, "--patient") } ?? client.me.id
                let grants = try await client.gateway.grants(ofPatient: id, caller: client.me, page: page.request)
                // Status as this machine's clock sees it; the ledger decides by its latest block time.
                let now = ConsensusTime(wallClock: SystemClock.now())
                print("\(grants.items.count) grant(s) of patient \(id.hex):")
                for grant in grants.items {
                    print(
                        "  \(grant.id.hex)  to \(grant.grantee.hex.prefix(12))  \(grant.purpose)  \(grant.origin)  \(grant.status(at: now).rawValue)"
                    )
                }
                PageOptions.printMore(grants.nextCursor)
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Print every access (allowed or denied) to a patient's reports.")
    @OptionGroup var options: ClientOptions
    @Option(name: .long, help: "The patient (default: you).") var patient: String?
    @OptionGroup var page: PageOptions
    @Option(
        name: .long,
        help: "Write the whole trail instead, as one checked export (canonical records, docs/spec/api.md) to this file."
    )
    var export: String?

    func run() async throws {
        try await runClient {
            let client = try options.client()
            let id = try patient.map { try Parse.identity($0, "--patient") } ?? client.me.id
            if let export {
                return try await writeExport(of: id, to: export, me: client.me)
            }
            let trail = try await client.gateway.accessTrail(ofPatient: id, caller: client.me, page: page.request)
            print("\(trail.items.count) access(es) to reports of patient \(id.hex), newest first:")
            defer { PageOptions.printMore(trail.nextCursor) }
            for entry in trail.items {
                guard case .access(let report, let version, _, let reader, let purpose, let basis, _) = entry.event
                else {
                    continue
                }
                let outcome =
                    switch basis {
                    case .relationship: "allowed (care relationship)"
                    case .grant(let grant): "allowed (grant \(grant.hex))"
                    case .denied(let code): "DENIED (\(code.name))"
                    }
                print(
                    "  \(entry.time)  block \(entry.height)  \(reader.hex.prefix(12)) read \(report.hex) v\(version) for \(purpose): \(outcome)"
                )
                // What `medledger case open` needs to report this read.
                print("      reader \(reader.hex)  tx \(entry.transactionHash?.hex ?? "-")")
            }
        }
    }
}
