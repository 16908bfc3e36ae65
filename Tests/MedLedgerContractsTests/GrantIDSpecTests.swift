import Testing
import MedLedgerCore
import MedLedgerContracts

/// The id rules of `docs/spec/transactions.md` ("Identities and ids"), with its example.
@Suite struct GrantIDSpecTests {
    /// SHA-256(TEST 2 public key of RFC 8032): the grantee of the document's examples.
    let recipient = IdentityID(hex: "39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f")!

    @Test func distributionGrantIDMatchesTheSpec() {
        // SHA-256("medledger/distribution-grant/v1" ‖ report ‖ recipient) starts 577f831a…;
        // setting the first bit makes it d77f831a….
        let report = ReportID(bytes: Array(0x10...0x1f))!
        #expect(
            ContractEngine.distributionGrantID(report: report, recipient: recipient).hex
                == "d77f831a97a459babe3d30c1a53a38d8")
        let other = ReportID(bytes: Array(0x00...0x0f))!
        #expect(
            ContractEngine.distributionGrantID(report: other, recipient: recipient).hex
                == "ca52ace7064089f9ba564b220b9ead15")
    }

    @Test func theFirstBitSplitsTheGrantIDSpace() {
        #expect(!ContractEngine.isDistributionGrantID(GrantID(bytes: [0x7f] + Array(repeating: 0xff, count: 15))!))
        #expect(ContractEngine.isDistributionGrantID(GrantID(bytes: [0x80] + Array(repeating: 0x00, count: 15))!))
        for _ in 0..<64 { #expect(!ContractEngine.isDistributionGrantID(OpaqueID.randomConsentGrantID())) }
    }
}
