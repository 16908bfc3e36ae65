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
            "xwing (ML-KEM-768 + X25519) protects key shares against a future quantum computer; x25519, the default, lets browser clients (no SHA3 in WebCrypto) seal reports to the custodians (ADR 11)."
    )
}
