import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import Foundation
import MedLedgerCore

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create and inspect identity key files.",
        subcommands: [New.self, Show.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new identity key file (Ed25519 signing + X-Wing or X25519 encryption keys).",
            discussion: """
                The file holds private keys: keep it to yourself (it is written with mode 0600).
                The encryption suite defaults to xwing (ML-KEM-768 + X25519, post-quantum hybrid): \
                report keys sealed to it stay closed even to someone who records the ledger now and \
                has a quantum computer later. The web portal opens and seals both suites \
                (docs/adr/0011-post-quantum-envelopes.md).
                """)

        @Option(name: .long, help: "Where to write the key file.")
        var out: String
        @Option(name: .long, help: "A label for your own reference (never sent to the ledger).")
        var label: String = "me"
        @Option(name: .long, help: "Encryption key suite: x25519 or xwing.") var suite: EncryptionSuite = .xwing

        func validate() throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw ValidationError("--out \(out) already exists; refusing to overwrite a key")
            }
        }

        func run() throws {
            let keys = IdentityKeys.generate(suite: suite)
            try KeyFile(label: label, keys: keys).write(to: URL(fileURLWithPath: out))
            print("Wrote \(out)")
            print("identity: \(keys.identityID.hex)")
            print("encryption suite: \(suite)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the identity id and public keys of a key file.")
        @Option(name: .long, help: "The key file.")
        var key: String

        func run() throws {
            let file = try KeyFile.load(URL(fileURLWithPath: key))
            let keys = try file.keys()
            print("label:          \(file.label)")
            print("identity:       \(try file.identityID().hex)")
            print("signing key:    \(keys.publicSigningKey.hex)")
            print("encryption:     \(keys.encryption.suite)")
            print("encryption key: \(keys.publicEncryptionKey.hex)")
        }
    }
}
