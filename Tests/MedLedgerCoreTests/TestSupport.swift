import MedLedgerCore

/// Small builders shared by the Core tests.
enum T {
    static func id(_ byte: UInt8) -> ReportID { ReportID(bytes: [UInt8](repeating: byte, count: 16))! }
    static func grantID(_ byte: UInt8) -> GrantID { GrantID(bytes: [UInt8](repeating: byte, count: 16))! }
    static func caseID(_ byte: UInt8) -> CaseID { CaseID(bytes: [UInt8](repeating: byte, count: 16))! }
    static func hash(_ text: String) -> Hash256 { Hash256.of(Array(text.utf8)) }
    static func keys(_ seed: String) -> IdentityKeys { IdentityKeys.deterministic(seed: seed) }

    /// Big-endian bytes of an integer of the given width.
    static func be(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }
    /// A u32 length prefix then the UTF-8 bytes.
    static func str(_ text: String) -> [UInt8] { be(UInt64(text.utf8.count), 4) + Array(text.utf8) }

    /// A version's content with envelopes for patient, author and `extra`, and one share
    /// commitment per id in `custodians`.
    static func content(
        patient: IdentityID, author: IdentityID, extra: [IdentityID] = [], custodians: Int = 0
    ) -> ReportContent {
        ReportContent(
            contentAddress: hash("blob"), sizeBytes: 1_234, commitment: hash("commitment"),
            encryptedMetadata: [1, 2, 3, 4],
            envelopes: ([patient, author] + extra).map {
                KeyEnvelope(
                    recipient: $0, encapsulatedKey: [UInt8](repeating: 7, count: 32),
                    wrappedKey: [UInt8](repeating: 9, count: 48))
            },
            shareCommitments: (0..<custodians).map { hash("share \($0 + 1)") })
    }

    /// One payload of every case, with non-default field values.
    static var everyPayload: [TransactionPayload] {
        let a = keys("a")
        let b = keys("b")
        let c = keys("c")
        return [
            .registerPractitioner(
                RegisterPractitioner(
                    organization: a.identityID, signingKey: b.publicSigningKey,
                    encryptionKey: b.publicEncryptionKey,
                    roles: [.author, .approver, .privacyOfficer])),
            .registerPatient(RegisterPatient(keys: c)),
            .rotateKeys(
                RotateKeys(
                    newSigningKey: b.publicSigningKey, newEncryptionKey: c.publicEncryptionKey,
                    keyProof: Signature(rawBytes: Array(repeating: 9, count: 64))!)),
            .registerPatient(RegisterPatient(signingKey: c.publicSigningKey, encryptionKey: c.publicEncryptionKey)),
            .setIdentityStatus(SetIdentityStatus(target: b.identityID, status: .suspended)),
            .setGuardian(SetGuardian(guardian: c.identityID, isGuardian: true)),
            .setGuardian(SetGuardian(guardian: c.identityID, isGuardian: false)),
            .submitReport(
                SubmitReport(
                    report: id(1), patient: c.identityID, category: Code("LAB")!,
                    content: content(patient: c.identityID, author: b.identityID),
                    recipients: [a.identityID, b.identityID])),
            .approveReport(ApproveReport(report: id(2), version: 3)),
            .reviseReport(
                ReviseReport(
                    report: id(3), previousVersion: 2, kind: .correct, reason: .clericalError,
                    content: content(patient: c.identityID, author: b.identityID, extra: [a.identityID]))),
            .markEnteredInError(MarkEnteredInError(report: id(4), reason: .wrongPatient)),
            .rekeyReport(
                RekeyReport(
                    report: id(6), version: 2, previousContentAddress: hash("old blob"),
                    content: content(patient: c.identityID, author: b.identityID, custodians: 2))),
            .grantAccess(
                GrantAccess(
                    grant: grantID(5), patient: c.identityID, grantee: b.identityID,
                    scope: .categories([Code("RAD")!]), purpose: .research,
                    validFrom: ConsensusTime(milliseconds: 1), validUntil: ConsensusTime(milliseconds: 2))),
            .grantAccess(
                GrantAccess(
                    grant: grantID(6), patient: c.identityID, grantee: a.identityID,
                    scope: .reports([id(1), id(3)]), purpose: .treatment,
                    validFrom: nil, validUntil: nil)),
            .grantAccess(
                GrantAccess(
                    grant: grantID(7), patient: c.identityID, grantee: a.identityID,
                    scope: .allReports, purpose: .emergency, validFrom: nil,
                    validUntil: ConsensusTime(milliseconds: .max))),
            .revokeGrant(RevokeGrant(grant: grantID(5))),
            .accessReport(AccessReport(report: id(1), version: 1, purpose: .legal)),
            // X-Wing keys take the extended form (ADR 11) in every payload that carries a key.
            .registerPatient(RegisterPatient(keys: IdentityKeys.deterministic(seed: "x", suite: .xwing))),
            .rotateKeys(
                RotateKeys(
                    newSigningKey: b.publicSigningKey,
                    newEncryptionKey: IdentityKeys.deterministic(seed: "y", suite: .xwing).publicEncryptionKey,
                    keyProof: Signature(rawBytes: Array(repeating: 9, count: 64))!)),
            .registerPractitioner(
                RegisterPractitioner(
                    organization: a.identityID, signingKey: c.publicSigningKey,
                    encryptionKey: IdentityKeys.deterministic(seed: "z", suite: .xwing).publicEncryptionKey,
                    roles: [.reader])),
        ]
    }
}
