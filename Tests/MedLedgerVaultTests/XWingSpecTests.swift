import Crypto
import Foundation
import Testing

@testable import MedLedgerCore
@testable import MedLedgerVault

/// The X-Wing vectors of `docs/spec/vault.md` (ADR 11). HPKE encapsulation is randomized, so
/// what is pinned is the key (the draft's own test-vector seed and public key), the key's
/// extended form, the envelope's layout, and one recorded envelope that must keep opening.
@Suite struct XWingSpecTests {
    /// draft-connolly-cfrg-xwing-kem-06, test vector 1 (also swift-crypto's
    /// Tests/CryptoTests/KEM/test-vectors.json): seed, and the public key's SHA-256 and ends.
    static let seed = "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26"
    static let publicKeySHA256 = "2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb"
    static let publicKeyFirst32 = "e2236b35a8c24b39b10aa1323a96a919a2ced88400633a7b07131713fc14b2b5"
    static let publicKeyLast32 = "859edb06eff389b27dce59844570216223593d4ba32d9abac8cd049040ef6534"

    let report = ReportID(bytes: Array(0...15))!
    let dataKey = SymmetricKey(data: Array(0x00...0x1f) as [UInt8])
    /// The patient of transactions.md (RFC 8032 TEST 1 signing key), with the draft's X-Wing key.
    let patient = IdentityKeys(
        signing: try! .init(
            rawRepresentation: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!),
        encryption: try! PrivateEncryptionKey(suite: .xwing, rawRepresentation: Hex.decode(seed)!))

    @Test func theDraftsSeedGivesTheDraftsPublicKey() {
        let key = patient.publicEncryptionKey
        #expect(key.suite == .xwing)
        #expect(key.rawBytes.count == 1_216)
        #expect(Hash256.of(key.rawBytes).hex == Self.publicKeySHA256)
        #expect(Hex.encode(key.rawBytes.prefix(32)) == Self.publicKeyFirst32)
        #expect(Hex.encode(key.rawBytes.suffix(32)) == Self.publicKeyLast32)
        #expect(patient.encryption.rawRepresentation == Hex.decode(Self.seed)!)
    }

    /// The extended form: 32 zero bytes, 02, the key: 1,249 bytes.
    @Test func theKeysCanonicalFormIsTheExtendedForm() {
        let bytes = patient.publicEncryptionKey.canonicalBytes
        #expect(bytes.count == 1_249)
        #expect(Hex.encode(bytes.prefix(34)) == String(repeating: "00", count: 32) + "02e2")
        #expect(Hash256.of(bytes).hex == Self.extendedFormSHA256)
    }
    static let extendedFormSHA256 = "3298bbe000202147b01de57ac57e33ba618513c1b1ba4f5917b3d1a5d70a0093"

    /// Recorded once with `MEDLEDGER_PRINT_XWING_ENVELOPE=1`: the data key 000102…1f sealed
    /// to the patient above, for report 000102…0f version 1, under the usual key-wrap info.
    @Test func theRecordedEnvelopeOpens() throws {
        let bytes = try #require(Hex.decode(Self.envelope))
        #expect(bytes.count == 1_208)
        #expect(Hash256.of(bytes).hex == "b58be555a178385f8f07b95f989ced6ae906e121fd202f8a655020eac7cacfd1")
        let envelope = try KeyEnvelope.decode(canonical: bytes)
        #expect(envelope.suite == .xwing)
        #expect(envelope.recipient == patient.identityID)
        #expect(envelope.encapsulatedKey.count == 1_120)
        #expect(envelope.wrappedKey.count == 48)
        #expect(try ReportCrypto.unwrap(envelope, using: patient, report: report, version: 1) == dataKey)
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: patient, report: report, version: 2)
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["MEDLEDGER_PRINT_XWING_ENVELOPE"] == "1"))
    func printAFreshEnvelope() throws {
        let envelope = try ReportCrypto.wrap(
            dataKey: dataKey, for: patient.identityID, key: patient.publicEncryptionKey, report: report, version: 1)
        print("XWING-ENVELOPE \(Hex.encode(envelope.canonicalBytes))")
        print("XWING-EXTENDED-SHA256 \(Hash256.of(patient.publicEncryptionKey.canonicalBytes).hex)")
    }

    static let envelope = String(
        """
        21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b900000460d51e806e2534c9214702a751
        eab42021fc92250bd2d3be66beb441a657f3a9fc106c7690a9f651481e175d55a1865a7bd010e61c14cb572ab16595df
        559b104ebe9f646b3f97b67b341c4219d5e4dbdee158c62aa5965f6b3a4c97e0891d4fd826e747ce811ebc9aaed7c13f
        7304e83c59947b668324f9359fe5901b66bd4c8b94641f7d27536b1a3954712fed9519641d87ea51a212dae69496b1d4
        b44cd4cc0eff2ceb026c8e21ecb4da191c58d6f643e35458abd48633abd5d8af41a9d97106b816353f65bdd0f6a6f62c
        9036d9de2c21201a52e81c83a6df6e83d3c3fb5e4f4974271de862bb47706fded721b1f565cbb370080b48fa6c5e05c8
        f8a4e7b15ab26a36d20e6400ce422773b4a4529dbb9ba1554686a5b230bf8cb29cc653f04503be4391e48d8e9e7569f5
        1554f7252e9863e64653094d30eda87c9468155bc3f6745624e75e6aace3426474eefb7d412383c4ce4245f1c639949f
        90c4a1932ab1ca6aab840c0becf3860a43bccbddc468b8dd6f388e99cb33039e9943542ffe495f755ad8e916e4473edd
        e847fbba717495c53a3277f93c805b3c16c8a1df62be4caa76ce94a046d16839fd6276985732da343a208e6cc5c32f6f
        e5c9a11edba4c0d124a076487605bc7893b03037876276d44ec49ccd004b011807cdeb718b225cfae2998ac06f6b10ec
        6ec09150df58058fbd409defa8d1390a98163be9bafafed5a7d1be5b6579bb7f5be2fe26fc44e784345e325b75bf9835
        e22b17ddab394a88dbe863a5187e09d04aa7b25291d0b194dd09dd88a3597593a31efa7200c734de58eaf72aa749a182
        2bf34a7082aae6914bd08a9997abcd0f54a3f9ed5da3d4b1676c390c35107d145a2f31106a94d1ed50e85fd9e8415e74
        263c89275e1ef5e2dbbdac093f3adc80e02a41e5047ad937a702ac017a3a0fd5cd75118fb5bb6213c6cdf20cc3f2c27c
        c82ac8ee4d14773211a852a7e90f90dff38b6da622f5abe04515226bbefa51154bf077f48a68c82868b1a84288a88010
        499b984f0e372da6defba41694e0d2c0774ef3a479ab48c62176bade403fc33880ac06a65eb5ab0c522b07e307dfacfa
        b4b9989383c281c3d057b3e9c332b27ba8e2a44c2471988750703186bac5cace9d0383f56d0eddbf88b3acaef84a69c3
        c906c8888a5c1dc469cb2b383685cf329f19835fd536f1758d79c33122c8889f6dc046e239e47868788ca8acbe3213e3
        b8abfa71c74554717df4406984846f0632ac43714c2fb8a35b23da2e782a2a204ab0cf27fb34bd10d3d09cd3d895fd4c
        1e1ca9a6f485e8b35a51d57b102f565f94783684902fc901c02e377681078a41ca561bb5194f8eada2b7b78b65d6016d
        4f726e11ccb9ad53ebd83855b4c6c069b01743d51cb42d8a8d9099cffa8cf7ee677d6eab7e4254fd813887647fa638e4
        421f1630552a8075893d713da14e49400514e2284003f5facca6693f72764e22903b5ba5428edeef0206d7973d6ad168
        38339ca215e3c0f6a8187f03d26d8ec294b839f8a68de66163ab57d683c3acb609956a77d385ad7a125e860f8d93cd35
        a343a64e0000003021374d159d64bac1e8f03a6e6c1e25158e2cdbdb7ee73f2ecef9950d786f582ad9d8f87377c4c293
        9d1214a3ad7d245c
        """.filter { !$0.isWhitespace })
}
