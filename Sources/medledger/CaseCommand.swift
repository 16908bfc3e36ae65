import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore

struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Report a read to the reader's privacy officer, resolve such cases, list them.",
        subcommands: [Open.self, Resolve.self, List.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report one read of your report (patient or guardian).",
            discussion:
                "Take --access, --report and --reader from `medledger audit`. The case goes to the privacy officers of the reader's organization."
        )
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The access-report transaction hash (from the audit trail).") var access: String
        @Option(name: .long, help: "The report that was read.") var report: String
        @Option(name: .long, help: "Who read it: a practitioner id.") var reader: String
        @Option(name: .long, help: "Why: \(CaseConcern.allNames.joined(separator: ", ")).") var concern: String

        func run() async throws {
            guard let accessHash = Hash256(hex: access) else {
                throw ValidationError("--access must be a 64-character hex transaction hash, got \(access)")
            }
            let reportID: ReportID = try Parse.opaque(report, "--report")
            let readerID = try Parse.identity(reader, "--reader")
            let why = try Parse.tagged(concern, "--concern", as: CaseConcern.self)
            try await runClient {
                let client = try options.client()
                let id = try await client.openCase(
                    accessTransaction: accessHash, report: reportID, reader: readerID, concern: why)
                print("Opened case \(id.hex) about the read by \(readerID.hex) (\(why))")
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the outcome of a case (privacy officer of the case's organization).")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The case id.") var `case`: String
        @Option(name: .long, help: "Outcome: \(CaseResolution.allNames.joined(separator: ", ")).") var resolution:
            String

        func run() async throws {
            let id: CaseID = try Parse.opaque(`case`, "--case")
            let outcome = try Parse.tagged(resolution, "--resolution", as: CaseResolution.self)
            try await runClient {
                let client = try options.client()
                try await client.resolveCase(id, resolution: outcome)
                print("Resolved case \(id.hex): \(outcome)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases: your own as a patient, or an organization's (--organization) as its privacy officer."
        )
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "An organization id: list its cases instead of your own.") var organization: String?
        @Option(name: .long, help: "Only open or only resolved cases (with --organization).") var status: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            let orgID = try organization.map { try Parse.identity($0, "--organization") }
            let onlyStatus = try status.map { try Parse.tagged($0, "--status", as: CaseStatus.self) }
            if onlyStatus != nil, orgID == nil { throw ValidationError("--status needs --organization") }
            try await runClient {
                let client = try options.client()
                guard let http = client.gateway as? HTTPGateway else {
                    throw ValidationError("case list needs a node over HTTP")
                }
                let cases =
                    if let orgID {
                        try await http.cases(
                            ofOrganization: orgID, status: onlyStatus, caller: client.me, page: page.request)
                    } else {
                        try await http.cases(ofPatient: client.me.id, caller: client.me, page: page.request)
                    }
                print("\(cases.items.count) case(s), newest first:")
                for record in cases.items {
                    let outcome = record.resolution.map { " \($0)" } ?? ""
                    print(
                        "  \(record.id.hex)  \(record.openedAt)  \(record.status)\(outcome)  \(record.concern)  reader \(record.reader.hex.prefix(12))  report \(record.report.hex)"
                    )
                }
                PageOptions.printMore(cases.nextCursor)
            }
        }
    }
}
