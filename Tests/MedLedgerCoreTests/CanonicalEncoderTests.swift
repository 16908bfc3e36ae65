import Testing
import MedLedgerCore

@Suite struct CanonicalEncoderTests {
    func encode(_ body: (inout CanonicalEncoder) -> Void) -> [UInt8] {
        var encoder = CanonicalEncoder()
        body(&encoder)
        return encoder.bytes
    }

    @Test func integersAreFixedWidthBigEndian() {
        #expect(encode { $0.write(UInt8(0xab)) } == [0xab])
        #expect(encode { $0.write(UInt16(0x0102)) } == [0x01, 0x02])
        #expect(encode { $0.write(UInt32(0x0102_0304)) } == [0x01, 0x02, 0x03, 0x04])
        #expect(encode { $0.write(UInt64(0x0102_0304_0506_0708)) } == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(encode { $0.write(UInt64.max) } == [UInt8](repeating: 0xff, count: 8))
        #expect(encode { $0.write(UInt32(0)) } == [0, 0, 0, 0])
    }

    @Test func booleansAreOneByte() {
        #expect(encode { $0.write(true) } == [1])
        #expect(encode { $0.write(false) } == [0])
    }

    @Test func stringsAndBytesHaveU32LengthPrefix() {
        #expect(encode { $0.write("") } == [0, 0, 0, 0])
        #expect(encode { $0.write("abc") } == [0, 0, 0, 3, 0x61, 0x62, 0x63])
        // Length counts UTF-8 bytes, not characters.
        #expect(encode { $0.write("é") } == [0, 0, 0, 2, 0xc3, 0xa9])
        #expect(encode { $0.write(bytes: [9, 8]) } == [0, 0, 0, 2, 9, 8])
        #expect(encode { $0.write(fixed: [9, 8]) } == [9, 8])
    }

    @Test func arraysHaveU32CountAndKeepOrder() {
        let ids = [T.id(2), T.id(1)]
        #expect(encode { $0.write(array: ids) } == [0, 0, 0, 2] + ids[0].bytes + ids[1].bytes)
        #expect(encode { $0.write(array: [Hash256]()) } == [0, 0, 0, 0])
    }

    @Test func optionalsHaveATagByte() {
        #expect(encode { $0.write(optional: ConsensusTime?.none) } == [0])
        #expect(encode { $0.write(optional: ConsensusTime(milliseconds: 258)) } == [1] + T.be(258, 8))
    }

    @Test func fixedSizeValuesHaveNoPrefix() {
        let hash = T.hash("x")
        #expect(hash.canonicalBytes == hash.bytes)
        #expect(T.id(3).canonicalBytes == [UInt8](repeating: 3, count: 16))
        let keys = T.keys("k")
        #expect(keys.publicSigningKey.canonicalBytes == keys.publicSigningKey.rawBytes)
        #expect(keys.publicEncryptionKey.canonicalBytes.count == 32)
        #expect(keys.identityID.canonicalBytes == keys.identityID.hash.bytes)
        #expect(ConsensusTime(milliseconds: 1).canonicalBytes == T.be(1, 8))
    }

    @Test func taggedEnumsAreTheirTag() {
        #expect(Role.privacyOfficer.canonicalBytes == [6])
        #expect(ReportStatus.enteredInError.canonicalBytes == [8])
        #expect(Purpose.legal.canonicalBytes == [5])
        #expect(IdentityKind.node.canonicalBytes == [4])
        #expect(RevisionKind.correct.canonicalBytes == [2])
        #expect(ChangeReason.other.canonicalBytes == [6])
        #expect(IdentityStatus.suspended.canonicalBytes == [2])
        #expect(ResultCode.noActiveGrant.canonicalBytes == [0, 204])
    }

    @Test func codesAndNamesAreStable() {
        #expect(Role(name: "privacy-officer") == .privacyOfficer)
        #expect(Role(name: "nobody") == nil)
        #expect(Role.allNames == ["author", "approver", "reader", "emergency", "admin", "privacy-officer"])
        #expect(
            ChangeReason.allNames == [
                "clerical-error", "additional-information", "revised-interpretation",
                "wrong-patient", "duplicate", "other",
            ])
        #expect("\(Role.privacyOfficer)" == "privacy-officer")
        #expect(ResultCode.noActiveGrant.description == "204 no-active-grant")
        #expect(ResultCode(rawValue: 999).name == "code-999")
        #expect(ResultCode.ok.isSuccess)
        #expect(!ResultCode.badSignature.isSuccess)
    }

    /// Names are part of JSON and the CLI (and a `name` built from `String(describing: self)`
    /// would recurse through `description` forever).
    @Test
    func everyTaggedEnumHasItsDocumentedName() {
        #expect(IdentityKind.allNames == ["organization", "practitioner", "patient", "node"])
        #expect(IdentityStatus.allNames == ["active", "suspended"])
        #expect(
            ReportStatus.allNames == [
                "registered", "preliminary", "final", "amended", "corrected", "appended",
                "cancelled", "entered-in-error",
            ])
        #expect(Purpose.allNames == ["treatment", "research", "emergency", "payment", "legal"])
        #expect(RevisionKind.allNames == ["amend", "correct"])
        #expect(
            ReportAction.allNames == ["submitted", "approved", "revised", "entered-in-error", "distributed", "rekeyed"])
        #expect(ReportStatus(name: "entered-in-error") == .enteredInError)
        #expect(Purpose(name: "research") == .research)
        #expect("\(ReportStatus.final) \(Purpose.treatment)" == "final treatment")
    }

    @Test func codeValidatesPrintableASCII() {
        #expect(Code("LAB") != nil)
        #expect(Code("") == nil)
        #expect(Code("has space") == nil)
        #expect(Code("é") == nil)
        #expect(Code(String(repeating: "a", count: Limits.codeMaxBytes)) != nil)
        #expect(Code(String(repeating: "a", count: Limits.codeMaxBytes + 1)) == nil)
    }

    @Test func keyEnvelopeLayout() {
        let recipient = T.keys("r").identityID
        let envelope = KeyEnvelope(recipient: recipient, encapsulatedKey: [1, 2], wrappedKey: [3])
        #expect(envelope.canonicalBytes == recipient.hash.bytes + [0, 0, 0, 2, 1, 2] + [0, 0, 0, 1, 3])
    }

    @Test func reportContentLayout() {
        let content = ReportContent(
            contentAddress: T.hash("a"), sizeBytes: 5, commitment: T.hash("c"),
            encryptedMetadata: [0xee], envelopes: [], shareCommitments: [T.hash("s")])
        let head: [UInt8] = T.hash("a").bytes + T.be(5, 8) + T.hash("c").bytes
        let tail: [UInt8] = [0, 0, 0, 1, 0xee] + [0, 0, 0, 0] + [0, 0, 0, 1] + T.hash("s").bytes
        #expect(content.canonicalBytes == head + tail)
    }

    @Test func accessBasisAndEventLayouts() {
        #expect(AccessBasis.relationship.canonicalBytes == [1])
        #expect(AccessBasis.grant(T.grantID(4)).canonicalBytes == [2] + T.id(4).bytes)
        #expect(AccessBasis.denied(.noActiveGrant).canonicalBytes == [3, 0, 204])
        let who = T.keys("who").identityID
        #expect(LedgerEvent.identityUpdated(identity: who).canonicalBytes == [2] + who.hash.bytes)
        #expect(
            LedgerEvent.identityRegistered(identity: who, kind: .patient, organization: nil).canonicalBytes
                == [1] + who.hash.bytes + [3, 0])
        #expect(
            LedgerEvent.identityRegistered(identity: who, kind: .practitioner, organization: who).canonicalBytes
                == [1] + who.hash.bytes + [2, 1] + who.hash.bytes)
    }

    @Test func equalValuesEncodeIdentically() {
        for payload in T.everyPayload {
            #expect(payload.canonicalBytes == payload.canonicalBytes)
        }
        #expect(Set(T.everyPayload.map(\.canonicalBytes)).count == T.everyPayload.count)
    }
}
