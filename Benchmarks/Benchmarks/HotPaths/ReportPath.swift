import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerStorage
import MedLedgerVault

/// An author of the chain's organization and a patient, both registered and committed, a
/// blob store in a temporary directory, and a 1 MB report to put through the path.
struct ReportPath: Sendable {
    static let directoryPrefix = "medledger-benchmarks-blobs-"

    let chain: Chain
    let author = IdentityKeys.deterministic(seed: "bench-author")
    let patient = IdentityKeys.deterministic(seed: "bench-patient")
    let report = ReportID(bytes: [UInt8](repeating: 0x42, count: 16))!
    let plaintext: [UInt8]
    let custody: ReportCrypto.Custody
    let blobs: FileBlobStore
    /// The committed state in which the author may submit reports about the patient.
    let state: LedgerState

    init(chain: Chain) throws {
        self.chain = chain
        plaintext = (0..<reportBytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        custody = ReportCrypto.Custody(genesis: chain.genesis)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            Self.directoryPrefix + UUID().uuidString, isDirectory: true)
        blobs = try FileBlobStore(dataDirectory: directory)
        var state = chain.committed
        let registrations = [
            Transaction(
                chainID: Chain.chainID, signer: chain.organization.identityID, keys: chain.organization, nonce: 1,
                payload: .registerPractitioner(
                    RegisterPractitioner(
                        organization: chain.organization.identityID, signingKey: author.publicSigningKey,
                        encryptionKey: author.publicEncryptionKey, roles: [.author]))),
            Transaction(
                chainID: Chain.chainID, signer: patient.identityID, keys: patient, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: patient))),
        ]
        for transaction in registrations {
            let receipt = chain.engine.apply(transaction, to: &state, context: Chain.context)
            precondition(receipt.code == .ok, "setting up the report path: \(receipt.code)")
        }
        _ = state.takeChanges()
        _ = state.stateRoot()
        state.foldPending()
        self.state = state
    }

    /// What the client does first: encrypt to the patient, the author and the custodians.
    func seal() -> SealedReport {
        do {
            return try ReportCrypto.seal(
                plaintext: plaintext, title: "Benchmark report", effectiveDate: nil, note: nil, report: report,
                version: 1,
                recipients: [
                    (patient.identityID, patient.publicEncryptionKey), (author.identityID, author.publicEncryptionKey),
                ],
                custody: custody)
        } catch {
            preconditionFailure("sealing the benchmark report: \(error)")
        }
    }

    /// What the node does with the uploaded blob: write it durably under its address.
    func store(_ sealed: SealedReport) -> Hash256 {
        do {
            return try blobs.put(sealed.blob)
        } catch {
            preconditionFailure("storing the benchmark blob: \(error)")
        }
    }

    /// The submission: the author signs it, the node checks the signature and executes it.
    func register(_ sealed: SealedReport, in state: inout LedgerState) -> TransactionReceipt {
        let transaction = Transaction(
            chainID: Chain.chainID, signer: author.identityID, keys: author, nonce: 1,
            payload: .submitReport(
                SubmitReport(
                    report: report, patient: patient.identityID, category: Code("LAB")!, content: sealed.content,
                    recipients: [])))
        return chain.engine.apply(transaction, to: &state, context: Chain.context, signatureVerified: false)
    }

    /// Removes every blob directory a run left in the temporary directory.
    static func removeDirectories() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(directoryPrefix) {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
}
