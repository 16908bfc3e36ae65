import Testing
import MedLedgerCore

@Suite struct CanonicalDecoderTests {
    @Test func readsWhatTheEncoderWrote() throws {
        var encoder = CanonicalEncoder()
        encoder.write(UInt8(1))
        encoder.write(UInt16(2))
        encoder.write(UInt32(3))
        encoder.write(UInt64(4))
        encoder.write(true)
        encoder.write("héllo")
        encoder.write(bytes: [5, 6])
        encoder.write(fixed: [7, 8])
        encoder.write(array: [T.id(1), T.id(2)])
        encoder.write(optional: ConsensusTime?.none)
        encoder.write(optional: ConsensusTime(milliseconds: 9))
        var decoder = CanonicalDecoder(encoder.bytes)
        #expect(try decoder.readUInt8("a") == 1)
        #expect(try decoder.readUInt16("b") == 2)
        #expect(try decoder.readUInt32("c") == 3)
        #expect(try decoder.readUInt64("d") == 4)
        #expect(try decoder.readBool("e") == true)
        #expect(try decoder.readString("f", maxBytes: 10) == "héllo")
        #expect(try decoder.readBytes("g", maxCount: 2) == [5, 6])
        #expect(try decoder.readFixed("h", count: 2) == [7, 8])
        #expect(try decoder.readArray(ReportID.self, "i", maxCount: 2) == [T.id(1), T.id(2)])
        #expect(try decoder.readOptional(ConsensusTime.self, "j") == nil)
        #expect(try decoder.readOptional(ConsensusTime.self, "k") == ConsensusTime(milliseconds: 9))
        #expect(decoder.remaining == 0)
        try decoder.finish()
    }

    @Test func truncatedIntegersThrow() {
        var decoder = CanonicalDecoder([1, 2, 3])
        #expect(throws: CanonicalDecodingError.self) { try decoder.readUInt32("x") }
        var empty = CanonicalDecoder([])
        #expect(throws: CanonicalDecodingError(field: "y", reason: "needs 1 bytes, 0 left")) {
            try empty.readUInt8("y")
        }
    }

    @Test func truncatedStringThrows() {
        var decoder = CanonicalDecoder([0, 0, 0, 5, 0x61, 0x62])
        #expect(throws: CanonicalDecodingError.self) { try decoder.readString("s", maxBytes: 100) }
    }

    @Test(arguments: T.everyPayload.indices)
    func everyTruncationOfAPayloadThrows(index: Int) {
        let payload = T.everyPayload[index]
        let bytes = payload.canonicalBytes
        for length in 0..<bytes.count {
            #expect(throws: CanonicalDecodingError.self, "length \(length)") {
                try TransactionPayload.decode(canonical: Array(bytes.prefix(length)))
            }
        }
    }

    @Test(arguments: T.everyPayload.indices)
    func everyPayloadRoundTrips(index: Int) throws {
        let payload = T.everyPayload[index]
        let decoded = try TransactionPayload.decode(canonical: payload.canonicalBytes)
        #expect(decoded == payload)
        #expect(decoded.canonicalBytes == payload.canonicalBytes)
    }

    @Test(arguments: T.everyPayload.indices)
    func trailingBytesThrow(index: Int) {
        let payload = T.everyPayload[index]
        #expect(throws: CanonicalDecodingError(field: "(end)", reason: "2 trailing bytes")) {
            try TransactionPayload.decode(canonical: payload.canonicalBytes + [0, 0])
        }
    }

    @Test func oversizedLengthPrefixThrowsWithoutAllocating() {
        let huge: [UInt8] = [0xff, 0xff, 0xff, 0xff]
        // Over the field's limit: refused from the prefix alone.
        var a = CanonicalDecoder(huge)
        #expect(throws: CanonicalDecodingError(field: "b", reason: "length 4294967295 exceeds limit 64")) {
            try a.readBytes("b", maxCount: 64)
        }
        // Within a generous limit but beyond the input: refused before any allocation.
        var b = CanonicalDecoder(huge)
        #expect(throws: CanonicalDecodingError(field: "b", reason: "needs 4294967295 bytes, 0 left")) {
            try b.readBytes("b", maxCount: Int.max)
        }
        var c = CanonicalDecoder(huge)
        #expect(throws: CanonicalDecodingError.self) { try c.readString("s", maxBytes: Limits.fieldMaxBytes) }
        var d = CanonicalDecoder(huge)
        #expect(throws: CanonicalDecodingError(field: "arr", reason: "count 4294967295 exceeds limit 64")) {
            try d.readArray(Hash256.self, "arr", maxCount: 64)
        }
    }

    @Test func hostileCountsInsidePayloadsThrow() {
        // submit-report whose encryptedMetadata claims 4 GiB.
        var encoder = CanonicalEncoder()
        encoder.write(UInt8(10))
        encoder.write(T.id(1))
        encoder.write(T.keys("p").identityID)
        encoder.write(Code("LAB")!)
        encoder.write(T.hash("a"))
        encoder.write(UInt64(1))
        encoder.write(T.hash("c"))
        encoder.write(UInt32.max)
        #expect(throws: CanonicalDecodingError.self) { try TransactionPayload.decode(canonical: encoder.bytes) }

        // Metadata one byte over its limit.
        var over = CanonicalEncoder()
        over.write(T.hash("a"))
        over.write(UInt64(1))
        over.write(T.hash("c"))
        over.write(UInt32(Limits.encryptedMetadataMaxBytes + 1))
        over.write(fixed: [UInt8](repeating: 0, count: Limits.encryptedMetadataMaxBytes + 1))
        over.write(UInt32(0))
        #expect(throws: CanonicalDecodingError.self) { try ReportContent.decode(canonical: over.bytes) }

        // Too many envelopes.
        var many = CanonicalEncoder()
        many.write(T.hash("a"))
        many.write(UInt64(1))
        many.write(T.hash("c"))
        many.write(bytes: [])
        many.write(UInt32(Limits.envelopesMaxCount + 1))
        #expect(throws: CanonicalDecodingError.self) { try ReportContent.decode(canonical: many.bytes) }

        // A block body claiming more transactions than a block may hold.
        #expect(throws: CanonicalDecodingError.self) {
            try Block.decodeBody(T.be(UInt64(Limits.blockMaxTransactions + 1), 4))
        }
        #expect(throws: CanonicalDecodingError.self) { try Block.decodeBody([0xff, 0xff, 0xff, 0xff]) }
    }

    @Test func badBooleanThrows() {
        for byte: UInt8 in [2, 0x7f, 0xff] {
            var decoder = CanonicalDecoder([byte])
            #expect(throws: CanonicalDecodingError(field: "flag", reason: "boolean must be 0 or 1")) {
                try decoder.readBool("flag")
            }
        }
        // Inside a payload: set-guardian's isGuardian.
        var bytes = TransactionPayload.setGuardian(SetGuardian(guardian: T.keys("g").identityID, isGuardian: true))
            .canonicalBytes
        bytes[bytes.count - 1] = 2
        #expect(throws: CanonicalDecodingError.self) { try TransactionPayload.decode(canonical: bytes) }
    }

    @Test func badOptionalTagThrows() {
        var decoder = CanonicalDecoder([2, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: CanonicalDecodingError.self) { try decoder.readOptional(ConsensusTime.self, "t") }
    }

    @Test func unknownEnumTagsThrow() throws {
        #expect(throws: CanonicalDecodingError(field: "role", reason: "unknown tag 0")) {
            try Role.decode(canonical: [0])
        }
        #expect(throws: CanonicalDecodingError.self) { try Role.decode(canonical: [7]) }
        #expect(throws: CanonicalDecodingError.self) { try IdentityKind.decode(canonical: [5]) }
        #expect(throws: CanonicalDecodingError.self) { try ReportStatus.decode(canonical: [9]) }
        #expect(throws: CanonicalDecodingError.self) { try Purpose.decode(canonical: [0]) }
        #expect(throws: CanonicalDecodingError.self) { try RevisionKind.decode(canonical: [3]) }
        #expect(throws: CanonicalDecodingError.self) { try ChangeReason.decode(canonical: [7]) }
        #expect(throws: CanonicalDecodingError.self) { try IdentityStatus.decode(canonical: [0]) }
        #expect(throws: CanonicalDecodingError.self) { try GrantScope.decode(canonical: [4]) }
        #expect(throws: CanonicalDecodingError.self) { try AccessBasis.decode(canonical: [0]) }
        #expect(throws: CanonicalDecodingError.self) { try LedgerEvent.decode(canonical: [9]) }
        #expect(throws: CanonicalDecodingError(field: "type", reason: "unknown transaction type 99")) {
            try TransactionPayload.decode(canonical: [99])
        }
        for tag: UInt8 in [0, 6, 9, 14, 19, 22, 29, 31, 255] {
            #expect(throws: CanonicalDecodingError.self, "tag \(tag)") {
                try TransactionPayload.decode(canonical: [tag] + [UInt8](repeating: 0, count: 200))
            }
        }
        // Every enum round-trips through its tag.
        for role in Role.allCases { #expect(try Role.decode(canonical: role.canonicalBytes) == role) }
        for status in ReportStatus.allCases {
            #expect(try ReportStatus.decode(canonical: status.canonicalBytes) == status)
        }
        for purpose in Purpose.allCases { #expect(try Purpose.decode(canonical: purpose.canonicalBytes) == purpose) }
    }

    @Test func invalidUTF8Throws() {
        let invalid: [[UInt8]] = [[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]
        for raw in invalid {
            var decoder = CanonicalDecoder(T.be(UInt64(raw.count), 4) + raw)
            #expect(throws: CanonicalDecodingError(field: "s", reason: "not valid UTF-8"), "\(raw)") {
                try decoder.readString("s", maxBytes: 16)
            }
        }
        // A chain id that is not UTF-8 inside a block header.
        var header = GoldenFixtures.blockHeader.canonicalBytes
        let chainStart = T.str(BlockHeader.domainTag).count + 4
        header[chainStart] = 0xff
        #expect(throws: CanonicalDecodingError.self) { try BlockHeader.decode(canonical: header) }
    }

    @Test func nonPrintableCodeThrows() {
        var encoder = CanonicalEncoder()
        encoder.write("A B")
        #expect(throws: CanonicalDecodingError.self) { try Code.decode(canonical: encoder.bytes) }
    }

    @Test func headerRoundTripAndHeightZeroRejected() throws {
        let header = GoldenFixtures.blockHeader
        #expect(try BlockHeader.decode(canonical: header.canonicalBytes) == header)
        var bytes = header.canonicalBytes
        let heightStart = T.str(BlockHeader.domainTag).count + T.str(header.chainID).count
        for i in 0..<8 { bytes[heightStart + i] = 0 }
        #expect(throws: CanonicalDecodingError(field: "height", reason: "must be at least 1")) {
            try BlockHeader.decode(canonical: bytes)
        }
        var wrongTag = header.canonicalBytes
        wrongTag[4] ^= 0x20
        #expect(throws: CanonicalDecodingError.self) { try BlockHeader.decode(canonical: wrongTag) }
    }

    @Test func blockBodyRoundTrips() throws {
        let keys = T.keys("s")
        let txs = T.everyPayload.enumerated().map {
            Transaction(
                chainID: "c", signer: keys.identityID, keys: keys, nonce: Nonce(UInt64($0.offset + 1)),
                payload: $0.element)
        }
        let header = GoldenFixtures.blockHeader
        let validator = T.keys("validator")
        let vote = Precommit.vote(
            chainID: "c", height: header.height - 1, round: 0, blockHash: T.hash("previous"),
            time: ConsensusTime(milliseconds: 5))
        let lastCommit = CommitCertificate(
            height: header.height - 1, round: 0, blockHash: T.hash("previous"),
            signatures: [
                CommitSignature(
                    validator: validator.identityID, time: vote.time, signature: validator.sign(vote.canonicalBytes))
            ])
        let block = Block(header: header, lastCommit: lastCommit, transactions: txs)
        let decoded = try Block.decodeBody(block.encodedBody)
        #expect(decoded.0 == lastCommit)
        #expect(decoded.1 == txs)
        #expect(throws: CanonicalDecodingError.self) { try Block.decodeBody(block.encodedBody + [0]) }
        #expect(
            try Block.decodeBody(Block(header: header, lastCommit: lastCommit, transactions: []).encodedBody).1.isEmpty)
    }

    @Test func receiptsAndEventsRoundTrip() throws {
        let p = T.keys("p").identityID
        let r = T.keys("r").identityID
        let o = T.keys("o").identityID
        let events: [LedgerEvent] = [
            .identityRegistered(identity: p, kind: .patient, organization: nil),
            .identityUpdated(identity: r),
            .report(report: T.id(1), version: 2, patient: p, action: .distributed, status: .amended, organization: o),
            .grantChanged(grant: T.grantID(2), patient: p, grantee: r, active: false),
            .access(
                report: T.id(1), version: 1, patient: p, reader: r, purpose: .emergency, basis: .grant(T.grantID(2)),
                organization: o),
            .access(
                report: T.id(1), version: 1, patient: p, reader: r, purpose: .treatment, basis: .denied(.noActiveGrant),
                organization: o),
            .access(
                report: T.id(1), version: 1, patient: p, reader: p, purpose: .treatment, basis: .relationship,
                organization: nil),
            .identityRegistered(identity: r, kind: .practitioner, organization: o),
            .report(report: T.id(3), version: 1, patient: p, action: .submitted, status: .preliminary, organization: o),
        ]
        let receipt = TransactionReceipt.rejected(
            .noActiveGrant, [.identity(r), .report(T.id(1)), .purpose(.treatment)],
            events: events)
        let decoded = try TransactionReceipt.decode(canonical: receipt.canonicalBytes)
        #expect(decoded == receipt)
        #expect(receipt.hash == Hash256.of(receipt.canonicalBytes))
        #expect(events[2].ids == [T.id(1).bytes, p.hash.bytes])
        #expect(events[4].ids == [T.id(1).bytes, p.hash.bytes, r.hash.bytes, o.hash.bytes])
        #expect(events[6].ids == [T.id(1).bytes, p.hash.bytes, p.hash.bytes], "a patient's read names no organization")
        #expect(events[7].ids == [r.hash.bytes, o.hash.bytes])
        #expect(events[0].ids == [p.hash.bytes])
        #expect(
            events[4].subjects == events[4].ids + [
                EventIndexKey.auditTrail(patient: p),
                EventIndexKey.grantedReads(reader: r, report: T.id(1), version: 1),
                EventIndexKey.grantedReads(reader: r, report: T.id(1)),
                EventIndexKey.accessLog(organization: o),
            ])
        #expect(
            events[5].subjects == events[5].ids + [
                EventIndexKey.auditTrail(patient: p), EventIndexKey.accessLog(organization: o),
            ],
            "a denied read is filed under the audit trail and the reader's organization, not under granted reads")
        #expect(
            events[6].subjects == events[6].ids + [
                EventIndexKey.auditTrail(patient: p),
                EventIndexKey.grantedReads(reader: p, report: T.id(1), version: 1),
                EventIndexKey.grantedReads(reader: p, report: T.id(1)),
            ],
            "a patient's own read names no organization")
        #expect(events[7].subjects == events[7].ids + [EventIndexKey.practitioners(organization: o)])
        #expect(events[0].subjects == events[0].ids, "a patient's registration is in no organization's list")
        #expect(
            events[8].subjects == events[8].ids + [
                EventIndexKey.patientReports(patient: p), EventIndexKey.pendingReports(organization: o),
            ])
        #expect(events[2].subjects == events[2].ids, "a distribution is neither a first submission nor pending")
        #expect(events[3].subjects == events[3].ids + [EventIndexKey.grants(grantee: r)])
    }

    @Test func otherValuesRoundTrip() throws {
        let proof = MerkleProof(leafIndex: 3, treeSize: 9, path: [T.hash("a"), T.hash("b")])
        #expect(try MerkleProof.decode(canonical: proof.canonicalBytes) == proof)
        let genesis = GoldenFixtures.genesis
        #expect(try Genesis.decode(canonical: genesis.canonicalBytes) == genesis)
        for (_, scope) in GoldenFixtures.grantScopes {
            #expect(try GrantScope.decode(canonical: scope.canonicalBytes) == scope)
        }
        let precommit = Precommit.vote(
            chainID: "c", height: 3, round: 1, blockHash: T.hash("b"), time: ConsensusTime(milliseconds: 0))
        #expect(try Vote.decode(canonical: precommit.canonicalBytes) == precommit)
    }

    @Test func finishReportsTrailingBytes() {
        let decoder = CanonicalDecoder([1, 2, 3])
        #expect(throws: CanonicalDecodingError(field: "(end)", reason: "3 trailing bytes")) { try decoder.finish() }
    }
}
