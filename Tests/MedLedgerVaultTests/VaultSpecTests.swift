import Testing
import MedLedgerCore
@testable import MedLedgerVault

/// The worked example of `docs/spec/vault.md`: an outside implementer's bytes must match these.
@Suite struct VaultSpecTests {
    let report = OpaqueID(bytes: Array(0...15))!
    let recipient = IdentityID(hash: Hash256(bytes: Array(repeating: 0xab, count: 32))!)

    @Test func contentAssociatedDataMatchesTheSpec() {
        #expect(Hex.encode(ReportCrypto.contentAAD(report: report, version: 1)) == "0000001b6d65646c65646765722f7265706f72742d636f6e74656e742f7631000102030405060708090a0b0c0d0e0f00000001")
    }

    @Test func keyWrapInfoMatchesTheSpec() {
        #expect(Hex.encode(ReportCrypto.keyWrapInfo(report: report, version: 1, recipient: recipient)) == "000000156d65646c65646765722f6b65792d777261702f7631000102030405060708090a0b0c0d0e0f00000001abababababababababababababababababababababababababababababababab")
    }
}
