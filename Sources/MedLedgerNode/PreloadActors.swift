import Dispatch
import Foundation
import MedLedgerCore
import MedLedgerStorage
import MedLedgerVault

/// The people of a preloaded chain and their nonces: the organization admins, an author, a
/// reader, the audited patient, and the patient of the current episode. Turns a block's
/// `PreloadPlan` items into signed transactions, and puts each report's blob in the blob
/// store of every node that holds it.
struct PreloadActors {
    /// What signing one block's items gave.
    struct SignedBlock {
        var transactions: [Transaction] = []
        var registrations = 0
        var reports = 0
        var auditReads = 0
        /// The keys of the block's last new patient: the next block's episode patient.
        var lastRegistered: IdentityKeys?
    }

    let testnet: TestnetFiles
    let author = IdentityKeys.generate()
    let reader = IdentityKeys.generate()
    let auditPatient = IdentityKeys.generate()
    var episodePatient: IdentityKeys?
    private var auditReport: ReportID?
    private var episodeReport: ReportID?
    private var nonces = [IdentityID: Nonce]()
    private let custody: ReportCrypto.Custody
    /// A small report's plaintext: the chain is about records, not their size.
    private let plaintext = Array("Preloaded report: haemoglobin 14.2 g/dL".utf8)
    static let category = Code("LAB")!

    init(testnet: TestnetFiles) {
        self.testnet = testnet
        custody = ReportCrypto.Custody(genesis: testnet.genesis)
    }

    var auditPatientKeyFile: KeyFile { KeyFile(label: "Preloaded audited patient", keys: auditPatient) }

    private var authorOrganization: IdentityKeys { testnet.organizationKeys[0] }
    /// Another organization than the author's when there is one, so reads go through grants.
    private var readerOrganization: IdentityKeys { testnet.organizationKeys[1 % testnet.organizationKeys.count] }

    /// Signs `items` in order; new patients' keys and signatures are made on every core.
    mutating func sign(
        _ items: [PreloadPlan.Item], chainID: String, blobs: [IdentityID: FileBlobStore]
    ) throws -> SignedBlock {
        let registrationCount = items.reduce(0) { count, item in
            if case .registration = item { return count + 1 }
            return count
        }
        var registrations = Self.signRegistrations(count: registrationCount, chainID: chainID)[...]
        var block = SignedBlock()
        block.transactions.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .registration:
                let (keys, transaction) = registrations.removeFirst()
                block.transactions.append(transaction)
                block.registrations += 1
                block.lastRegistered = keys
            case .registerAuthor:
                block.transactions.append(
                    register(author, roles: [.author, .approver], by: authorOrganization, chainID: chainID))
            case .registerReader:
                block.transactions.append(register(reader, roles: [.reader], by: readerOrganization, chainID: chainID))
            case .registerAuditPatient:
                block.transactions.append(
                    signed(
                        by: auditPatient, .registerPatient(RegisterPatient(keys: auditPatient)), chainID: chainID))
            case .submitReport(let subject):
                let patient = keys(of: subject)
                let report = ReportID.random()
                switch subject {
                case .auditPatient: auditReport = report
                case .episodePatient: episodeReport = report
                }
                block.transactions.append(try submit(report, for: patient, chainID: chainID, blobs: blobs))
                block.reports += 1
            case .grant(let subject):
                let patient = keys(of: subject)
                let report = try report(of: subject)
                let scope: GrantScope = subject == .auditPatient ? .allReports : .reports([report])
                let grant = GrantAccess(
                    grant: .randomConsentGrantID(), patient: patient.identityID, grantee: reader.identityID,
                    scope: scope, purpose: .treatment, validFrom: nil, validUntil: nil)
                block.transactions.append(signed(by: patient, .grantAccess(grant), chainID: chainID))
            case .read(let subject):
                let report = try report(of: subject)
                let read = AccessReport(report: report, version: 1, purpose: .treatment)
                block.transactions.append(signed(by: reader, .accessReport(read), chainID: chainID))
                if subject == .auditPatient { block.auditReads += 1 }
            }
        }
        precondition(registrations.isEmpty, "every signed registration is placed")
        // The next block's episode patient signs its grant with the nonce after its registration's.
        if let last = block.lastRegistered { nonces[last.identityID] = 1 }
        return block
    }

    private func keys(of subject: PreloadPlan.Subject) -> IdentityKeys {
        switch subject {
        case .auditPatient: return auditPatient
        case .episodePatient:
            guard let episodePatient else {
                preconditionFailure("the plan asks for an episode only after a registration")
            }
            return episodePatient
        }
    }

    private func report(of subject: PreloadPlan.Subject) throws -> ReportID {
        let report = subject == .auditPatient ? auditReport : episodeReport
        guard let report else { throw NodeError(.internalFailure, "preload: a grant or read before its report") }
        return report
    }

    /// The next nonce of `signer` (each signer's transactions are issued in order).
    private mutating func nextNonce(_ signer: IdentityID) -> Nonce {
        let next = (nonces[signer] ?? 0).next
        nonces[signer] = next
        return next
    }

    private mutating func signed(by keys: IdentityKeys, _ payload: TransactionPayload, chainID: String)
        -> Transaction
    {
        Transaction(
            chainID: chainID, signer: keys.identityID, keys: keys, nonce: nextNonce(keys.identityID), payload: payload)
    }

    private mutating func register(
        _ practitioner: IdentityKeys, roles: [Role], by organization: IdentityKeys, chainID: String
    ) -> Transaction {
        signed(
            by: organization,
            .registerPractitioner(
                RegisterPractitioner(
                    organization: organization.identityID, signingKey: practitioner.publicSigningKey,
                    encryptionKey: practitioner.publicEncryptionKey, roles: roles)),
            chainID: chainID)
    }

    /// Seals a small report to the patient, the author and the custodians (as a client
    /// does), stores its blob with every holder, and signs the author's submission.
    private mutating func submit(
        _ report: ReportID, for patient: IdentityKeys, chainID: String, blobs: [IdentityID: FileBlobStore]
    ) throws -> Transaction {
        let sealed = try ReportCrypto.seal(
            plaintext: plaintext, title: "Preloaded report", effectiveDate: nil, note: nil, report: report,
            version: 1,
            recipients: [
                (patient.identityID, patient.publicEncryptionKey), (author.identityID, author.publicEncryptionKey),
            ],
            custody: custody)
        let address = sealed.content.contentAddress
        for holder in testnet.genesis.blobPlacement.holders(
            address: address, organization: authorOrganization.identityID)
        {
            try blobs[holder]?.put(sealed.blob)
        }
        let body = SubmitReport(
            report: report, patient: patient.identityID, category: Self.category, content: sealed.content,
            recipients: [])
        return signed(by: author, .submitReport(body), chainID: chainID)
    }

    /// `count` new patients registering themselves (keys and signatures made on every core),
    /// in a fixed order: the load `medledger bench` sends.
    static func signRegistrations(count: Int, chainID: String) -> [(IdentityKeys, Transaction)] {
        guard count > 0 else { return [] }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, (count + 63) / 64))
        let results = ResultSlots<[(IdentityKeys, Transaction)]>(count: workers, empty: [])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let share = count / workers + (worker < count % workers ? 1 : 0)
            let made = (0..<share).map { _ -> (IdentityKeys, Transaction) in
                let keys = IdentityKeys.generate()
                return (
                    keys,
                    Transaction(
                        chainID: chainID, signer: keys.identityID, keys: keys, nonce: 1,
                        payload: .registerPatient(RegisterPatient(keys: keys)))
                )
            }
            results.set(worker, made)
        }
        return results.values.flatMap { $0 }
    }
}

/// One slot per worker of a `concurrentPerform`, written under a lock.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value]
    init(count: Int, empty: Value) { slots = Array(repeating: empty, count: count) }
    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    var values: [Value] { lock.withLock { slots } }
}
