import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import Foundation
import MedLedgerCore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Submit, approve, amend, withdraw, read and list reports.",
        subcommands: [Submit.self, Approve.self, Amend.self, Withdraw.self, Read.self, List.self])

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encrypt a report file on this machine, upload the ciphertext and submit version 1.",
            discussion: "Needs the author role. With the approver role too, the report is final at once.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The patient's identity id.") var patient: String
        @Option(name: .long, help: "Category code, e.g. a LOINC document class such as LP7789-9.") var category: String
        @Option(name: .long, help: "The report file (any format; it is encrypted).") var file: String
        @Option(name: .long, help: "Title (encrypted; never on the ledger in clear).") var title: String
        @Option(name: .long, help: "A recipient (ordering practitioner, care team); repeatable.") var recipient:
            [String] = []

        func run() async throws {
            let patientID = try Parse.identity(patient, "--patient")
            let code = try Parse.code(category, "--category")
            let recipients = try recipient.map { try Parse.identity($0, "--recipient") }
            let body = try readFile(file, option: "--file")
            try await runClient {
                let (id, committed) = try await options.client().submitReport(
                    patient: patientID, category: code, draft: ReportDraft(title: title, body: body),
                    recipients: recipients)
                print("Submitted report \(id.hex) in block \(committed.height): \(committed.receipt.sentence)")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve the latest (preliminary) version; it becomes final.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The report id.") var report: String
        @Option(name: .long, help: "The version to approve (the latest).") var version: UInt32

        func run() async throws {
            let id: ReportID = try Parse.opaque(report, "--report")
            try await runClient {
                let committed = try await options.client().approve(id, version: ReportVersion(version))
                print("Block \(committed.height): \(committed.receipt.sentence)")
            }
        }
    }

    struct Amend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new version that amends (or with --correct, corrects) the latest one.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The report id.") var report: String
        @Option(name: .long, help: "The new report file.") var file: String
        @Option(name: .long, help: "Title of the new version.") var title: String
        @Option(name: .long, help: "Reason: \(ChangeReason.allNames.joined(separator: ", ")).") var reason: String
        @Flag(name: .long, help: "A correction of an error rather than an amendment.") var correct = false

        func run() async throws {
            let id: ReportID = try Parse.opaque(report, "--report")
            let why = try Parse.tagged(reason, "--reason", as: ChangeReason.self)
            let body = try readFile(file, option: "--file")
            try await runClient {
                let committed = try await options.client().revise(
                    id, kind: correct ? .correct : .amend, reason: why,
                    draft: ReportDraft(title: title, body: body))
                print("Block \(committed.height): \(committed.receipt.sentence)")
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark the report entered-in-error.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The report id.") var report: String
        @Option(name: .long, help: "Reason: \(ChangeReason.allNames.joined(separator: ", ")).") var reason: String

        func run() async throws {
            let id: ReportID = try Parse.opaque(report, "--report")
            let why = try Parse.tagged(reason, "--reason", as: ChangeReason.self)
            try await runClient {
                let committed = try await options.client().markEnteredInError(id, reason: why)
                print("Block \(committed.height): \(committed.receipt.sentence)")
            }
        }
    }
}

func readFile(_ path: String, option: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("\(option) \(path) cannot be read")
    }
    guard !data.isEmpty else { throw ValidationError("\(option) \(path) is empty") }
    return Array(data)
}
