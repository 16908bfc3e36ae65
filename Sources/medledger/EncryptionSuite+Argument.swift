import ArgumentParser
import MedLedgerCore

/// `--suite x25519|xwing`, parsed once for every command that makes keys.
extension EncryptionSuite: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allNames }
}

extension EncryptionSuite {
    /// Help for the suite of node (custodian) and organization keys.
    static let nodeKeysHelp = ArgumentHelp(
        "Encryption suite of the node (custodian) and organization keys: x25519 or xwing.",
        discussion:
            "xwing, the default (ML-KEM-768 + X25519), protects key shares against a future quantum computer; the web portal seals to it too (SHA3 in JavaScript, ML-KEM-768 in WebCrypto). x25519 is for consortia whose other clients lack X-Wing (ADR 11)."
    )
}
