import Testing
import MedLedgerCore

@Suite struct TransactionTests {
    let keys = T.keys("signer")
    let chainID = "chain-a"

    func tx(chain: String? = nil, nonce: Nonce = 5, payload: TransactionPayload? = nil) -> Transaction {
        Transaction(
            chainID: chain ?? chainID, signer: keys.identityID, keys: keys, nonce: nonce,
            payload: payload ?? .approveReport(ApproveReport(report: T.id(0xab), version: 2)))
    }

    /// The signing bytes built by hand from the documented layout: domain tag, chain id,
    /// signer id, signer key, nonce (u64 BE), payload tag, payload body.
    @Test func signingBytesFollowTheDocumentedLayout() {
        let expected: [UInt8] =
            T.str("medledger/tx/v1") + T.str("chain-a") + keys.identityID.hash.bytes
            + keys.publicSigningKey.rawBytes + T.be(5, 8)
            + [11] + [UInt8](repeating: 0xab, count: 16) + T.be(2, 4)
        let transaction = tx()
        #expect(transaction.signingBytes == expected)
        #expect(
            Transaction.signingBytes(
                chainID: chainID, signer: keys.identityID, signerKey: keys.publicSigningKey,
                nonce: 5, payload: transaction.payload) == expected)
        #expect(transaction.encoded == expected + transaction.signature.rawBytes)
        #expect(transaction.hash == Hash256.of(transaction.encoded))
    }

    @Test func identityIDIsHashOfFirstSigningKey() {
        #expect(keys.identityID.hash == Hash256.of(keys.publicSigningKey.rawBytes))
        #expect(IdentityID(signingKey: keys.publicSigningKey) == keys.identityID)
    }

    @Test func deterministicKeysAreDeterministic() {
        #expect(T.keys("x").publicSigningKey == T.keys("x").publicSigningKey)
        #expect(T.keys("x").publicEncryptionKey == T.keys("x").publicEncryptionKey)
        #expect(T.keys("x").publicSigningKey != T.keys("y").publicSigningKey)
    }

    @Test func freshSignatureVerifies() {
        #expect(tx().hasValidSignature)
    }

    @Test func flippingAnyByteOfTheSigningBytesBreaksTheSignature() {
        let transaction = tx()
        let body = transaction.signingBytes
        for index in body.indices {
            var tampered = body
            tampered[index] ^= 0x01
            #expect(!keys.publicSigningKey.isValidSignature(transaction.signature, for: tampered), "byte \(index)")
        }
    }

    @Test func flippingAnyByteOfTheSignatureBreaksIt() throws {
        let transaction = tx()
        for index in 0..<64 {
            var raw = transaction.signature.rawBytes
            raw[index] ^= 0x80
            let signature = try #require(Signature(rawBytes: raw))
            #expect(!keys.publicSigningKey.isValidSignature(signature, for: transaction.signingBytes), "byte \(index)")
        }
    }

    @Test func tamperedEncodedTransactionDecodesButDoesNotVerify() throws {
        let transaction = tx()
        // Flip the last byte of the nonce: still well-formed, but no longer what was signed.
        var bytes = transaction.encoded
        let nonceEnd = T.str("medledger/tx/v1").count + T.str("chain-a").count + 32 + 32 + 8
        bytes[nonceEnd - 1] ^= 0x01
        let decoded = try Transaction.decode(bytes)
        #expect(decoded.nonce == 4)
        #expect(!decoded.hasValidSignature)
        // Flip a signature byte.
        var sigBytes = transaction.encoded
        sigBytes[sigBytes.count - 1] ^= 0x01
        #expect(!(try Transaction.decode(sigBytes)).hasValidSignature)
    }

    @Test func signatureByAnotherKeyDoesNotVerify() {
        let transaction = tx()
        let other = T.keys("other")
        #expect(!other.publicSigningKey.isValidSignature(transaction.signature, for: transaction.signingBytes))
    }

    @Test func chainIDIsPartOfTheSigningBytes() {
        let a = tx(chain: "chain-a")
        let b = tx(chain: "chain-b")
        #expect(a.signingBytes != b.signingBytes)
        #expect(a.hash != b.hash)
        // A's signature is not valid for B's bytes: no cross-chain replay.
        #expect(!keys.publicSigningKey.isValidSignature(a.signature, for: b.signingBytes))
    }

    @Test func nonceAndSignerArePartOfTheSigningBytes() {
        #expect(tx(nonce: 1).signingBytes != tx(nonce: 2).signingBytes)
        let other = T.keys("other")
        let payload = TransactionPayload.approveReport(ApproveReport(report: T.id(0xab), version: 2))
        #expect(
            Transaction.signingBytes(
                chainID: chainID, signer: other.identityID, signerKey: keys.publicSigningKey,
                nonce: 5, payload: payload) != tx().signingBytes)
    }

    @Test(arguments: T.everyPayload.indices)
    func everyPayloadRoundTripsThroughTransactionDecode(index: Int) throws {
        let payload = T.everyPayload[index]
        let transaction = tx(payload: payload)
        let decoded = try Transaction.decode(transaction.encoded)
        #expect(decoded == transaction)
        #expect(decoded.payload == payload)
        #expect(decoded.chainID == chainID)
        #expect(decoded.signer == keys.identityID)
        #expect(decoded.signerKey == keys.publicSigningKey)
        #expect(decoded.nonce == 5)
        #expect(decoded.signature == transaction.signature)
        #expect(decoded.hash == transaction.hash)
        #expect(decoded.signingBytes == transaction.signingBytes)
        #expect(decoded.hasValidSignature)
    }

    @Test func decodeRejectsInputOverTheSizeLimit() {
        var bytes = tx().encoded
        bytes += [UInt8](repeating: 0, count: Limits.transactionMaxBytes + 1 - bytes.count)
        #expect(bytes.count == Limits.transactionMaxBytes + 1)
        #expect(throws: CanonicalDecodingError.self) { try Transaction.decode(bytes) }
        do {
            _ = try Transaction.decode(bytes)
        } catch {
            #expect(error.field == "transaction")
        }
    }

    @Test func decodeRejectsWrongDomainTag() {
        var bytes = tx().encoded
        bytes[4] = UInt8(ascii: "X")  // first character of "medledger/tx/v1"
        #expect(throws: CanonicalDecodingError.self) { try Transaction.decode(bytes) }
    }

    @Test func decodeRejectsEveryTruncation() {
        let bytes = tx(payload: T.everyPayload[6]).encoded
        for length in 0..<bytes.count {
            #expect(throws: CanonicalDecodingError.self, "length \(length)") {
                try Transaction.decode(Array(bytes.prefix(length)))
            }
        }
    }

    @Test func decodeRejectsTrailingBytes() {
        #expect(throws: CanonicalDecodingError(field: "(end)", reason: "1 trailing bytes")) {
            try Transaction.decode(tx().encoded + [0])
        }
    }

    @Test func equalityAndHashingFollowTheEncodedBytes() {
        let a = tx()
        let b = tx()
        // Randomized signatures: same content, different bytes, different transactions.
        #expect(a.signingBytes == b.signingBytes)
        #expect(a != b || a.signature == b.signature)
        #expect(Set([a, a]).count == 1)
    }

    @Test(arguments: T.everyPayload.indices)
    func typeNamesAndTagsAreStable(index: Int) {
        let payload = T.everyPayload[index]
        let expected: [String: UInt8] = [
            "register-practitioner": 1, "register-patient": 2, "rotate-keys": 3, "set-identity-status": 4,
            "set-guardian": 5, "submit-report": 10, "approve-report": 11, "revise-report": 12,
            "mark-entered-in-error": 13, "rekey-report": 14, "grant-access": 20, "revoke-grant": 21,
            "access-report": 30,
        ]
        #expect(expected[payload.typeName] == payload.tag)
        #expect(payload.canonicalBytes.first == payload.tag)
    }
}
