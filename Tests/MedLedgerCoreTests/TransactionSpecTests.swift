import Crypto
import MedLedgerSpecSupport
import Testing
import MedLedgerCore

/// The worked examples of `docs/spec/transactions.md`: an outside implementer's bytes must
/// match these. Every hex string here is copied from the document; change both together.
///
/// The keys are public test vectors (RFC 8032 §7.1 TEST 1 and TEST 2, RFC 7748 §6.1 Alice).
/// Signatures are pinned by verifying the document's bytes with the public key, and compared
/// byte for byte only where this platform signs deterministically (RFC 8032): swift-crypto's
/// Ed25519 is randomized on some platforms, and a transaction id covers its signature.
@Suite struct TransactionSpecTests {
    static let chainID = "medledger-spec"
    static let patient = IdentityKeys(
        signing: try! .init(
            rawRepresentation: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!),
        encryption: try! .init(
            rawRepresentation: Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")!))
    /// RFC 8032 TEST 2's public key: the grantee's signing key (its private key is not needed).
    static let granteeSigningKey = PublicSigningKey(
        rawBytes: Hex.decode("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")!)!

    // MARK: Example 1, self-registration (copied from the document)

    static let patientID = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
    static let keyProofMessage =
        "000000166d65646c65646765722f6b65792d70726f6f662f7631"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    static let keyProof =
        "7ae6ab494935357bc6acf370ac74ca7742a74e797dc62f0e9b29495e057a1e05"
        + "6f75ea137d71f5be458dea09d995fa07728a1b93c37f1c5f1f78de710cb8c604"
    static let registrationSigningBytes =
        "0000000f6d65646c65646765722f74782f7631"
        + "0000000e6d65646c65646765722d73706563"
        + "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        + "0000000000000001"
        + "02"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        + "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
        + "01" + keyProof
    static let registrationSignature =
        "c0015c9a145e871dc37edfd1c21d3f0acad1f8a3b86ac805126d5bbb9ea4a7d4"
        + "d0becdf2b84b1ea0366641fd5d95e3aae6571f3d122dae1cd7639f8b6c8cec0e"
    static let registrationID = "89e35dd66dc65693d745302eb3979792170b6e75bf351be8b7a79abc42d6eb64"

    // MARK: Example 2, grant-access (copied from the document)

    static let granteeID = "39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f"
    static let grantSigningBytes =
        "0000000f6d65646c65646765722f74782f7631"
        + "0000000e6d65646c65646765722d73706563"
        + "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
        + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        + "0000000000000002"
        + "14"
        + "000102030405060708090a0b0c0d0e0f"
        + "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
        + "39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f"
        + "03" + "00000001" + "00000003" + "4c4142"
        + "01"
        + "00"
        + "01" + "0000019c167fcc00"
    static let grantSignature =
        "e896bf87e56cd7d88f78918b04c173c405a3474dbf8dc0bf7367c48e43324e93"
        + "5c205ebd41b110fb33fbacb7fd68145619f2cc41d4d1f8fa10324e14598cee0f"
    static let grantTransactionID = "87b2fad4b4315d778bee4a266811df7003d03c6023267fea4bbc76dd3b54c90e"

    /// Built with the documented key proof: where signing is randomized, a fresh proof would
    /// change the signing bytes (the deterministic case is checked in `checkExample`).
    static var registration: TransactionPayload {
        .registerPatient(
            RegisterPatient(
                signingKey: patient.publicSigningKey, encryptionKey: patient.publicEncryptionKey,
                keyProof: Signature(rawBytes: Hex.decode(keyProof)!)!))
    }

    static var grant: TransactionPayload {
        .grantAccess(
            GrantAccess(
                grant: GrantID(bytes: Array(0...15))!, patient: patient.identityID,
                grantee: IdentityID(signingKey: granteeSigningKey),
                scope: .categories([Code("LAB")!]), purpose: .treatment, validFrom: nil,
                validUntil: ConsensusTime(milliseconds: 1_769_904_000_000)))  // 2026-02-01T00:00:00Z
    }

    /// True when this platform's Ed25519 signs deterministically (RFC 8032), checked with
    /// RFC 8032 TEST 1's signature of the empty message.
    static var signsDeterministically: Bool {
        Hex.encode(patient.sign([]).rawBytes)
            == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    }

    @Test func keysAreTheRFCVectors() {
        #expect(Self.patient.publicSigningKey.hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        #expect(
            Self.patient.publicEncryptionKey.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
    }

    @Test func identityIDsAreTheHashOfTheSigningKey() {
        #expect(Self.patient.identityID.hex == Self.patientID)
        #expect(IdentityID(signingKey: Self.granteeSigningKey).hex == Self.granteeID)
    }

    @Test func keyProofMatchesTheSpec() throws {
        let message = KeyProof.message(
            signingKey: Self.patient.publicSigningKey,
            encryptionKey: Self.patient.publicEncryptionKey)
        #expect(Hex.encode(message) == Self.keyProofMessage)
        let raw = try #require(Hex.decode(Self.keyProof))
        let documented = try #require(Signature(rawBytes: raw))
        #expect(
            KeyProof.verifies(
                documented, signingKey: Self.patient.publicSigningKey,
                encryptionKey: Self.patient.publicEncryptionKey))
    }

    @Test func selfRegistrationMatchesTheSpec() throws {
        try checkExample(
            payload: Self.registration, nonce: 1, signingBytes: Self.registrationSigningBytes,
            signature: Self.registrationSignature, id: Self.registrationID)
    }

    @Test func grantMatchesTheSpec() throws {
        try checkExample(
            payload: Self.grant, nonce: 2, signingBytes: Self.grantSigningBytes,
            signature: Self.grantSignature, id: Self.grantTransactionID)
    }

    /// The documented signing bytes are what the code signs; the documented transaction
    /// (signing bytes, then signature) decodes to the same payload, verifies, and has the
    /// documented id; where signing is deterministic, the code makes exactly those bytes.
    private func checkExample(
        payload: TransactionPayload, nonce: Nonce, signingBytes: String,
        signature: String, id: String
    ) throws {
        let built = Transaction(
            chainID: Self.chainID, signer: Self.patient.identityID, keys: Self.patient,
            nonce: nonce, payload: payload)
        #expect(Hex.encode(built.signingBytes) == signingBytes)
        #expect(built.hasValidSignature)

        let encoded = try #require(Hex.decode(signingBytes + signature))
        let documented = try Transaction.decode(encoded)
        #expect(documented.payload == payload)
        #expect(documented.nonce == nonce)
        #expect(documented.signer == Self.patient.identityID)
        #expect(documented.hasValidSignature)
        #expect(documented.hash.hex == id)
        #expect(Hash256.of(encoded).hex == id)

        if Self.signsDeterministically {
            #expect(Hex.encode(built.signature.rawBytes) == signature)
            #expect(built.hash.hex == id)
            #expect(Hex.encode(KeyProof.make(Self.patient).rawBytes) == Self.keyProof)
        }
    }
}

@Suite struct TransactionSpecDocumentTests {
    @Test func documentPrintsThePinnedBytes() throws {
        let document = try SpecDocument.hex("docs/spec/transactions.md")
        let T = TransactionSpecTests.self
        for pinned in [
            T.keyProofMessage, T.keyProof, T.registrationSigningBytes, T.registrationSignature,
            T.registrationID, T.grantSigningBytes, T.grantSignature, T.grantTransactionID,
        ] {
            #expect(document.contains(pinned), "docs/spec/transactions.md does not show \(pinned)")
        }
    }
}
