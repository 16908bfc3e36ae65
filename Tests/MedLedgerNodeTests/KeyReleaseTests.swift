import Foundation
import MedLedgerClient
import MedLedgerAPIModel
import Testing
import MedLedgerCore
import MedLedgerContracts
import MedLedgerNode
import MedLedgerTesting
import MedLedgerVault
import MedLedgerVerifier

/// Principle 3: a reader gets a key only as the effect of a committed, granted read.
@Suite struct KeyReleaseTests {
    struct Fixture {
        let net: TestNode
        let patient: ClientIdentity
        let author: ClientIdentity
        let reader: ClientIdentity
        let report: ReportID
    }

    func fixture(configuration: NodeConfiguration = .init()) async throws -> Fixture {
        let net = try TestNode.make(configuration: configuration)
        let patient = TestNode.person("patient")
        let author = TestNode.person("author")
        let reader = TestNode.person("reader")
        #expect(
            try await net.commit(await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys))))
                .code == .ok)
        for (person, org, roles) in [
            (author, net.lab, [Role.author, .approver]), (reader, net.hospital, [Role.reader]),
        ] {
            let receipt = try await net.commit(
                await net.transaction(
                    org,
                    .registerPractitioner(
                        RegisterPractitioner(
                            organization: org.id, signingKey: person.keys.publicSigningKey,
                            encryptionKey: person.keys.publicEncryptionKey, roles: roles))))
            #expect(receipt.code == .ok)
        }
        let report = ReportID.random()
        let sealed = try ReportCrypto.seal(
            plaintext: Array("result".utf8), title: "t", effectiveDate: nil, note: nil, report: report, version: 1,
            recipients: [
                (patient.id, patient.keys.publicEncryptionKey), (author.id, author.keys.publicEncryptionKey),
            ], custody: net.node.custody)
        _ = try await net.node.putBlob(sealed.blob, uploader: author.id)
        let submitted = try await net.commit(
            await net.transaction(
                author,
                .submitReport(
                    SubmitReport(
                        report: report, patient: patient.id, category: Code("LP7789-9")!, content: sealed.content,
                        recipients: []))))
        #expect(submitted.code == .ok)
        return Fixture(net: net, patient: patient, author: author, reader: reader, report: report)
    }

    func read(_ f: Fixture, offset: UInt64? = nil) async throws -> TransactionReceipt {
        try await f.net.commit(
            await f.net.transaction(
                f.reader,
                .accessReport(
                    AccessReport(
                        report: f.report, version: 1, purpose: .treatment))), atOffsetMilliseconds: offset)
    }

    @Test func noReceiptNoKey() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    @Test func deniedReadIsRecordedAndReleasesNothing() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        #expect(try await read(f).code == .noActiveGrant)
        let trail = try await f.net.node.accessTrail(ofPatient: f.patient.id)
        #expect(trail.events.count == 1)
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    @Test func grantedReadReleasesAKeyThatOpensTheReportUntilTheWindowCloses() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let grant = try await f.net.commit(
            await f.net.transaction(
                f.patient,
                .grantAccess(
                    GrantAccess(
                        grant: GrantID.randomConsentGrantID(), patient: f.patient.id, grantee: f.reader.id,
                        scope: .allReports, purpose: .treatment,
                        validFrom: nil, validUntil: nil))))
        #expect(grant.code == .ok)
        #expect(try await read(f).code == .ok)
        // One node: the custody threshold is 1 of 1, so its single share rebuilds the key.
        let released = try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id)
        guard case .share(let envelope, let x, let threshold) = released else {
            Issue.record("a custodian released a whole key, not its share")
            return
        }
        #expect(x == 1 && threshold == 1)
        let share = try ReportCrypto.unwrapShare(
            envelope, using: f.reader.keys, x: x, threshold: Int(threshold), report: f.report, version: 1)
        let record = try #require(await f.net.node.report(f.report))
        let key = try ReportCrypto.combineShares(
            [share], threshold: 1, commitments: record.latest.content.shareCommitments, report: f.report, version: 1)
        let blob = try #require(try f.net.node.blobs.get(record.latest.content.contentAddress))
        let opened = try ReportCrypto.open(
            blob: blob, content: record.latest.content, dataKey: key, report: f.report, version: 1)
        #expect(opened.plaintext == Array("result".utf8))
        // Eleven minutes of consensus time later the receipt is too old.
        let later = await f.net.node.consensusTime.milliseconds - f.net.genesisTime.milliseconds + 11 * 60_000
        try await f.net.seal(atOffsetMilliseconds: later)  // its precommit sets the next block's time
        try await f.net.seal()
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    @Test func grantExpiresByBlockTime() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let now = await f.net.node.consensusTime
        let until = now.adding(milliseconds: 60_000)
        #expect(
            try await f.net.commit(
                await f.net.transaction(
                    f.patient,
                    .grantAccess(
                        GrantAccess(
                            grant: GrantID.randomConsentGrantID(), patient: f.patient.id, grantee: f.reader.id,
                            scope: .reports([f.report]),
                            purpose: .treatment, validFrom: nil, validUntil: until)))
            ).code == .ok)
        let base = now.milliseconds - f.net.genesisTime.milliseconds
        // A block's time is the median of the previous block's precommit times, so seal a
        // block whose precommit carries the time the read's block should have.
        try await f.net.seal(atOffsetMilliseconds: base + 30_000)
        #expect(try await read(f).code == .ok)
        try await f.net.seal(atOffsetMilliseconds: base + 60_000)
        #expect(try await read(f).code == .noActiveGrant)
    }

    func grantAll(_ f: Fixture) async throws -> GrantID {
        let id = GrantID.randomConsentGrantID()
        #expect(
            try await f.net.commit(
                await f.net.transaction(
                    f.patient,
                    .grantAccess(
                        GrantAccess(
                            grant: id, patient: f.patient.id, grantee: f.reader.id, scope: .allReports,
                            purpose: .treatment,
                            validFrom: nil, validUntil: nil)))
            ).code == .ok)
        return id
    }

    /// Issue 6, low: on a custodian that stops committing blocks, block time stands still;
    /// the receipt must still age by the node's own clock.
    @Test func receiptAgesOnAStalledCustodian() async throws {
        let f = try await fixture(configuration: NodeConfiguration(keyReleaseWindowMilliseconds: 300))
        defer { f.net.remove() }
        _ = try await grantAll(f)
        #expect(try await read(f).code == .ok)
        _ = try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id)
        try await Task.sleep(nanoseconds: 600_000_000)  // no block is produced meanwhile
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.field == "receipt"
        }
    }

    /// Issue 6, low: an unknown report or version gets the same answer as a missing receipt.
    @Test func unknownReportOrVersionLooksLikeAMissingReceipt() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        for (report, version) in [(ReportID.random(), ReportVersion(1)), (f.report, ReportVersion(9))] {
            await #expect {
                try await f.net.node.releaseKey(report: report, version: version, reader: f.reader.id)
            } throws: {
                ($0 as? NodeError)?.kind == .forbidden && ($0 as? NodeError)?.field == "receipt"
            }
        }
    }

    /// Issue 6.4: key release finds the reader's receipt through an index, so a flood of
    /// other events filed under the reader (here: grants to him) cannot hide it.
    @Test func keyReleaseIsNotBlindedByEventsFiledUnderTheReader() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        _ = try await grantAll(f)
        #expect(try await read(f).code == .ok)
        // Many later events under the reader's id: grants to him, each one filed under him.
        for _ in 0..<3 {
            for _ in 0..<40 {
                try await f.net.node.submit(
                    await f.net.transaction(
                        f.patient,
                        .grantAccess(
                            GrantAccess(
                                grant: GrantID.randomConsentGrantID(), patient: f.patient.id, grantee: f.reader.id,
                                scope: .allReports, purpose: .research, validFrom: nil, validUntil: nil))))
            }
            try await f.net.seal()
        }
        let underReader = try await f.net.node.events(subject: f.reader.id.hash.bytes, limit: 200)
        #expect(underReader.events.count > 100)
        _ = try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id)
    }

    /// Issue 6.5: viewing by receipt ends with the grant; history is for the patient's side
    /// and the authoring organization's approvers and privacy officers only.
    @Test func revokingTheGrantEndsTheViewAndHistoryIsNarrow() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let grant = try await grantAll(f)
        #expect(try await read(f).code == .ok)
        #expect(try await f.net.node.mayView(report: f.report, caller: f.reader.id))
        #expect(await f.net.node.mayViewHistory(report: f.report, caller: f.reader.id) == false)
        #expect(
            try await f.net.commit(await f.net.transaction(f.patient, .revokeGrant(RevokeGrant(grant: grant)))).code
                == .ok)
        #expect(try await f.net.node.mayView(report: f.report, caller: f.reader.id) == false)
        #expect(await f.net.node.mayViewHistory(report: f.report, caller: f.patient.id))
        #expect(await f.net.node.mayViewHistory(report: f.report, caller: f.author.id), "the author is an approver")
        // A plain reader of the authoring organization sees the report but not its history.
        let labReader = TestNode.person("lab-reader")
        #expect(
            try await f.net.commit(
                await f.net.transaction(
                    f.net.lab,
                    .registerPractitioner(
                        RegisterPractitioner(
                            organization: f.net.lab.id, signingKey: labReader.keys.publicSigningKey,
                            encryptionKey: labReader.keys.publicEncryptionKey, roles: [.reader])))
            ).code == .ok)
        #expect(try await f.net.node.mayView(report: f.report, caller: labReader.id))
        #expect(await f.net.node.mayViewHistory(report: f.report, caller: labReader.id) == false)
    }

    /// Issue 8.6: revocation closes the door at once. The reader's receipt from before the
    /// revocation is committed, granted and well inside the key-release window, and still
    /// releases nothing once the grant is revoked.
    @Test func revocationStopsKeyReleaseAtOnceWhateverReceiptsTheReaderHolds() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let grant = try await grantAll(f)
        #expect(try await read(f).code == .ok)
        _ = try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id)
        #expect(
            try await f.net.commit(await f.net.transaction(f.patient, .revokeGrant(RevokeGrant(grant: grant)))).code
                == .ok)
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: f.reader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden && ($0 as? NodeError)?.field == "grant"
        }
    }

    /// Issue 8.7: revoking and re-keying. The reader rebuilt the key once; after the patient
    /// revokes and re-keys, the node holds only the new ciphertext, which that key does not
    /// open, while the patient reads on and the commitment still vouches for the plaintext.
    @Test func rekeyingLeavesARevokedReadersKeyNothingToOpen() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let grant = try await grantAll(f)
        #expect(try await read(f).code == .ok)
        guard
            case .share(let envelope, let x, let threshold) = try await f.net.node.releaseKey(
                report: f.report, version: 1, reader: f.reader.id)
        else {
            Issue.record("no share released")
            return
        }
        let before = try #require(await f.net.node.report(f.report)).latest
        let share = try ReportCrypto.unwrapShare(
            envelope, using: f.reader.keys, x: x, threshold: Int(threshold), report: f.report, version: 1)
        let cachedKey = try ReportCrypto.combineShares(
            [share], threshold: 1, commitments: before.content.shareCommitments, report: f.report, version: 1)
        #expect(
            try await f.net.commit(await f.net.transaction(f.patient, .revokeGrant(RevokeGrant(grant: grant)))).code
                == .ok)

        // The patient opens the version with her own envelope and seals it again.
        let content = try await f.net.node.versionContent(report: f.report, version: 1, caller: f.patient.id)
        guard case .whole(let own) = content.key else {
            Issue.record("the patient has no envelope of her own")
            return
        }
        let opened = try ReportCrypto.open(
            blob: content.ciphertext, content: before.content,
            dataKey: try ReportCrypto.unwrap(own, using: f.patient.keys, report: f.report, version: 1),
            report: f.report, version: 1)
        let resealed = try ReportCrypto.reseal(
            opened, report: f.report, version: 1,
            recipients: [
                (f.patient.id, f.patient.keys.publicEncryptionKey), (f.author.id, f.author.keys.publicEncryptionKey),
            ], custody: f.net.node.custody)
        _ = try await f.net.node.putBlob(resealed.blob, uploader: f.patient.id)
        let rekeyed = try await f.net.commit(
            await f.net.transaction(
                f.patient,
                .rekeyReport(
                    RekeyReport(
                        report: f.report, version: 1, previousContentAddress: before.content.contentAddress,
                        content: resealed.content))))
        #expect(rekeyed.code == .ok)

        let after = try #require(await f.net.node.report(f.report)).latest
        #expect(after.content.commitment == before.content.commitment)
        #expect(try f.net.node.blobs.get(before.content.contentAddress) == nil, "the old ciphertext is deleted")
        let newBlob = try #require(try f.net.node.blobs.get(after.content.contentAddress))
        #expect(throws: VaultError.self) {
            try ReportCrypto.open(
                blob: newBlob, content: after.content, dataKey: cachedKey, report: f.report, version: 1)
        }
        let reopened = try ReportCrypto.open(
            blob: newBlob, content: after.content,
            dataKey: try ReportCrypto.unwrap(
                try #require(after.content.envelope(for: f.patient.id)), using: f.patient.keys, report: f.report,
                version: 1),
            report: f.report, version: 1)
        #expect(reopened.plaintext == opened.plaintext)

        // `verify` checks the deletion on this node's disk: clean now, and it names the old
        // blob if it comes back.
        _ = try LedgerVerifier(directory: f.net.directory).verify()
        _ = try f.net.node.blobs.put(content.ciphertext)
        #expect {
            try LedgerVerifier(directory: f.net.directory).verify()
        } throws: { error in
            (error as? VerificationFailure)?.location == "blob \(before.content.contentAddress)"
        }
    }

    /// The same for a read on a standing relationship: a practitioner of the authoring
    /// organization whom the organization suspends gets nothing more from a receipt made
    /// before. (Roles cannot be taken away by any transaction yet, so suspension is the way
    /// a relationship ends today.)
    @Test func suspendingTheReaderStopsKeyReleaseAtOnce() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        let labReader = TestNode.person("lab-reader")
        #expect(
            try await f.net.commit(
                await f.net.transaction(
                    f.net.lab,
                    .registerPractitioner(
                        RegisterPractitioner(
                            organization: f.net.lab.id, signingKey: labReader.keys.publicSigningKey,
                            encryptionKey: labReader.keys.publicEncryptionKey, roles: [.reader])))
            ).code == .ok)
        #expect(
            try await f.net.commit(
                await f.net.transaction(
                    labReader, .accessReport(AccessReport(report: f.report, version: 1, purpose: .treatment)))
            ).code == .ok)
        _ = try await f.net.node.releaseKey(report: f.report, version: 1, reader: labReader.id)
        #expect(
            try await f.net.commit(
                await f.net.transaction(
                    f.net.lab, .setIdentityStatus(SetIdentityStatus(target: labReader.id, status: .suspended)))
            ).code == .ok)
        await #expect { try await f.net.node.releaseKey(report: f.report, version: 1, reader: labReader.id) } throws: {
            ($0 as? NodeError)?.kind == .forbidden
        }
    }

    /// Issue 6.4: a free account's flood of denied reads used to push the patient's newer
    /// entries out of her audit trail (oldest first, cut at a fixed count). Now the trail is
    /// newest first and pages through everything.
    @Test func deniedReadFloodCannotHideANewerRead() async throws {
        let f = try await fixture()
        defer { f.net.remove() }
        _ = try await grantAll(f)
        let mallory = TestNode.person("mallory")
        #expect(
            try await f.net.commit(
                await f.net.transaction(mallory, .registerPatient(RegisterPatient(keys: mallory.keys)))
            ).code == .ok)
        for _ in 0..<2 {
            for _ in 0..<130 {
                try await f.net.node.submit(
                    await f.net.transaction(
                        mallory,
                        .accessReport(
                            AccessReport(
                                report: f.report, version: 1, purpose: .treatment))))
            }
            try await f.net.seal()
        }
        #expect(try await read(f).code == .ok)
        let first = try await f.net.node.accessTrail(ofPatient: f.patient.id, limit: 100)
        guard case .access(_, _, _, let reader, _, let basis, _) = try #require(first.events.first).event else {
            Issue.record("the newest entry is not an access")
            return
        }
        #expect(reader == f.reader.id && basis.isGranted)
        var seen = first.events.map(\.cursor)
        var next = first.next
        var pages = 1
        while let cursor = next, pages < 10 {
            let page = try await f.net.node.accessTrail(ofPatient: f.patient.id, before: cursor, limit: 100)
            seen += page.events.map(\.cursor)
            next = page.next
            pages += 1
        }
        #expect(seen.count == 261 && Set(seen).count == 261, "every entry once, in 3 pages")
        #expect(pages == 3)
    }
}
