import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import Foundation
import MedLedgerCore

struct PatientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Register as a patient and name guardians.",
        subcommands: [Register.self, Guardian.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the identity in --key as a patient (signed with that key; no personal data is sent).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await runClient {
                let client = try options.client()
                try await client.registerSelfAsPatient()
                print("Registered patient \(client.me.id.hex)")
            }
        }
    }

    struct Guardian: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Name (or with --remove, remove) a guardian who may grant and revoke for you.")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The guardian's identity id.") var guardian: String
        @Flag(name: .long, help: "Remove instead of adding.") var remove = false

        func run() async throws {
            let id = try Parse.identity(guardian, "--guardian")
            try await runClient {
                try await options.client().setGuardian(id, active: !remove)
                print(remove ? "Removed guardian \(id.hex)" : "Named guardian \(id.hex)")
            }
        }
    }
}

struct PractitionerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "practitioner", abstract: "Register practitioners (organization admins only).",
        subcommands: [Register.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the practitioner whose key file is --practitioner-key, with roles.",
            discussion: "Sign with an organization admin key (--key). Roles: \(Role.allNames.joined(separator: ", ")).")
        @OptionGroup var options: ClientOptions
        @Option(name: .long, help: "The practitioner's key file (make it with `keys new`).") var practitionerKey: String
        @Option(name: .long, help: "Comma-separated roles, e.g. author,approver.") var roles: String
        @Option(name: .long, help: "The organization's identity id (default: the signer's own organization).")
        var organization: String?

        func run() async throws {
            let parsedRoles = try roles.split(separator: ",").map {
                try Parse.tagged(String($0), "--roles", as: Role.self)
            }
            let practitioner = try KeyFile.load(URL(fileURLWithPath: practitionerKey)).keys()
            try await runClient {
                let client = try options.client()
                let org: IdentityID
                if let organization {
                    org = try Parse.identity(organization, "--organization")
                } else {
                    guard let me = try await client.gateway.identity(client.me.id) else {
                        throw CLIError("the signer \(client.me.id.hex) is not registered")
                    }
                    org = me.kind == .organization ? me.id : (me.organization ?? me.id)
                }
                let id = try await client.registerPractitioner(practitioner, organization: org, roles: parsedRoles)
                print("Registered practitioner \(id.hex) with roles \(parsedRoles.map(\.name).joined(separator: ","))")
            }
        }
    }
}
