import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import Foundation
import MedLedgerCore

extension ReportCommand {
    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a report: record the access on the ledger, get the key, decrypt to a file.",
            discussion: """
                The read is a transaction: it is committed (allowed or denied) before any key is released.
                The decrypted file is checked against the content address and the salted commitment.
                """)
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The report id.") var report: String
        @Option(name: .long, help: "The version (default: the latest you can see).") var version: UInt32?
        @Option(name: .long, help: "Why: \(Purpose.allNames.joined(separator: ", ")).") var purpose: String =
            "treatment"
        @Option(name: .long, help: "Where to write the decrypted report.") var out: String

        func run() async throws {
            let id: ReportID = try Parse.opaque(report, "--report")
            let why = try Parse.tagged(purpose, "--purpose", as: Purpose.self)
            try await runClient {
                let result = try await options.client().read(
                    id, version: version.map { ReportVersion($0) }, purpose: why)
                guard let opened = result.report else {
                    print("Denied and recorded in block \(result.receipt.height): \(result.receipt.receipt.sentence)")
                    throw ExitCode(1)
                }
                try Data(opened.plaintext).write(to: URL(fileURLWithPath: out))
                print(
                    "Access recorded in block \(result.receipt.height). Wrote \(opened.plaintext.count) bytes to \(out)"
                )
                print("Title: \(opened.metadata.title). Content address and commitment verified.")
                if let custody = result.custody {
                    print(
                        "Key rebuilt from \(custody.threshold) custodians' key shares (x = \(custody.sharesUsed.map(String.init).joined(separator: ", ")))."
                    )
                    for failure in custody.failures { print("Custodian could not help: \(failure)") }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a patient's reports (patient or guardian only).")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The patient's identity id (default: you).") var patient: String?
        @OptionGroup var page: PageOptions

        func run() async throws {
            try await runClient {
                let client = try options.client()
                let id = try patient.map { try Parse.identity($0, "--patient") } ?? client.me.id
                let reports = try await client.gateway.reports(ofPatient: id, caller: client.me, page: page.request)
                print("\(reports.items.count) report(s) of patient \(id.hex), newest first:")
                defer { PageOptions.printMore(reports.nextCursor) }
                for report in reports.items {
                    print(
                        "  \(report.id.hex)  \(report.category)  v\(report.latest.version) \(report.latest.status)  submitted \(report.versions[0].submittedAt)"
                    )
                }
            }
        }
    }
}
