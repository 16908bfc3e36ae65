import Foundation
import Synchronization
import MedLedgerClient
import Testing
import MedLedgerCore
import MedLedgerVault
import MedLedgerTesting
@testable import MedLedgerNode

/// Issue 6.6: uploads are free, so blobs no report points to are bounded and collected.
@Suite struct BlobQuotaTests {
    let alice = IdentityKeys.deterministic(seed: "alice").identityID
    let bob = IdentityKeys.deterministic(seed: "bob").identityID

    @Test func quotaCountsPerUploaderAndReleasesOnReference() {
        var quota = BlobQuota()
        let big = Limits.blobMaxBytes
        var uploaded = 0
        while quota.problem(uploader: alice, bytes: big) == nil {
            quota.record(Hash256.of([UInt8(uploaded)]), uploader: alice, bytes: big, at: 0)
            uploaded += 1
        }
        #expect(uploaded == Limits.unreferencedBlobMaxBytesPerUploader / big)
        #expect(quota.problem(uploader: bob, bytes: big) == nil, "one uploader's quota is not another's")
        quota.referenced(Hash256.of([0]))
        #expect(quota.problem(uploader: alice, bytes: big) == nil, "a referenced blob no longer counts")
        // Tiny blobs count at least a page, so the table cannot grow by millions of 1-byte blobs.
        quota.record(Hash256.of([200]), uploader: bob, bytes: 1, at: 0)
        #expect(quota.totalBytes == (uploaded - 1) * big + BlobQuota.minimumCountedBytes)
    }

    @Test func unreferencedBlobsAreCollectedAfterTheGracePeriodAndReferencedOnesKept() async throws {
        let clock = TestClock(WallClockTime(milliseconds: 1_795_000_000_000))
        let net = try TestNode.make(blobClock: { clock.now })
        defer { net.remove() }
        let patient = TestNode.person("patient")
        #expect(
            try await net.commit(await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys))))
                .code == .ok)
        let orphan = try await net.node.putBlob(Array("never submitted".utf8), uploader: patient.id)
        // A blob a committed report points to.
        let author = TestNode.person("author")
        #expect(
            try await net.commit(
                await net.transaction(
                    net.lab,
                    .registerPractitioner(
                        RegisterPractitioner(
                            organization: net.lab.id, signingKey: author.keys.publicSigningKey,
                            encryptionKey: author.keys.publicEncryptionKey, roles: [.author])))
            ).code == .ok)
        let report = ReportID.random()
        let sealed = try ReportCrypto.seal(
            plaintext: Array("kept".utf8), title: "t", effectiveDate: nil, note: nil,
            report: report, version: 1,
            recipients: [
                (patient.id, patient.keys.publicEncryptionKey),
                (author.id, author.keys.publicEncryptionKey),
            ], custody: net.node.custody)
        let kept = try await net.node.putBlob(sealed.blob, uploader: author.id)
        #expect(
            try await net.commit(
                await net.transaction(
                    author,
                    .submitReport(
                        SubmitReport(
                            report: report, patient: patient.id, category: Code("LP7789-9")!, content: sealed.content,
                            recipients: [])))
            ).code == .ok)
        #expect(await net.node.collectUnreferencedBlobs() == 0, "nothing is collected within the grace period")
        clock.advance(milliseconds: Limits.unreferencedBlobGraceMilliseconds + 1)
        #expect(await net.node.collectUnreferencedBlobs() == 1)
        #expect(!net.node.blobs.contains(orphan))
        #expect(net.node.blobs.contains(kept))
    }
}

extension BlobQuotaTests {
    /// A refused submission that names a blob must not count as a reference: the blob stays
    /// in its uploader's quota and is collected like any other orphan.
    @Test func aRefusedSubmissionDoesNotShelterItsBlob() async throws {
        let clock = TestClock(WallClockTime(milliseconds: 1_795_000_000_000))
        let net = try TestNode.make(blobClock: { clock.now })
        defer { net.remove() }
        let patient = TestNode.person("patient")
        #expect(
            try await net.commit(await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys))))
                .code == .ok)
        let report = ReportID.random()
        let sealed = try ReportCrypto.seal(
            plaintext: Array("orphan".utf8), title: "t", effectiveDate: nil, note: nil,
            report: report, version: 1,
            recipients: [
                (patient.id, patient.keys.publicEncryptionKey)
            ], custody: net.node.custody)
        let address = try await net.node.putBlob(sealed.blob, uploader: patient.id)
        // A patient is not an author: the submission is refused, but it names the blob.
        let refused = try await net.commit(
            await net.transaction(
                patient,
                .submitReport(
                    SubmitReport(
                        report: report, patient: patient.id, category: Code("LP7789-9")!, content: sealed.content,
                        recipients: []))))
        #expect(refused.code == .missingRole)
        clock.advance(milliseconds: Limits.unreferencedBlobGraceMilliseconds + 1)
        #expect(await net.node.collectUnreferencedBlobs() == 1)
        #expect(!net.node.blobs.contains(address))
    }
}

/// A wall clock the test moves by hand.
final class TestClock: Sendable {
    private let box: Mutex<WallClockTime>
    init(_ start: WallClockTime) { box = Mutex(start) }
    var now: WallClockTime { box.withLock { $0 } }
    func advance(milliseconds: UInt64) { box.withLock { $0 = $0.adding(milliseconds: milliseconds) } }
}
