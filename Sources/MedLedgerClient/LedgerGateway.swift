import MedLedgerCore
import MedLedgerContracts
import MedLedgerAPIModel
import MedLedgerVault

/// A committed transaction as a client sees it.
public struct CommittedTransaction: Sendable {
    public let hash: Hash256
    public let height: Height
    public let position: Int
    public let receipt: TransactionReceipt
    public init(hash: Hash256, height: Height, position: Int, receipt: TransactionReceipt) {
        self.hash = hash
        self.height = height
        self.position = position
        self.receipt = receipt
    }
}

/// What a client needs from a node. Two implementations: `LocalGateway` (in-process, used
/// by `demo` and tests) and `HTTPGateway` (the REST API, used by the CLI). Calls that read
/// protected data name the caller, whose keys the HTTP implementation signs requests with.
public protocol LedgerGateway: Sendable {
    func chainID() async throws -> String
    /// True when `identity` and `custodians` answers are proven (against the genesis and a
    /// certified header) or come from the node itself in this process, so a client may
    /// encrypt to the keys they contain.
    var provesKeys: Bool { get }
    /// The custodian nodes in validator-set order and the custody threshold (from the
    /// genesis, or the node itself in this process), which every new version is sealed for.
    func custody() async throws -> ReportCrypto.Custody
    /// Which node this gateway talks to, for messages naming a custodian that refused.
    var nodeDescription: String { get }
    func submit(_ tx: Transaction) async throws -> Hash256
    /// Waits until the transaction is in a block; throws when it is not within the timeout.
    func waitForCommit(_ hash: Hash256) async throws -> CommittedTransaction
    /// Submits and waits for the commit, in one round trip where the transport allows.
    func submitAndWait(_ tx: Transaction) async throws -> CommittedTransaction
    func identity(_ id: IdentityID) async throws -> IdentityRecord?
    func nextNonce(for id: IdentityID) async throws -> Nonce
    func putBlob(_ bytes: [UInt8], caller: ClientIdentity) async throws -> Hash256
    /// One version ready to open (its record, checked against the genesis when the gateway
    /// proves keys; the caller's own envelope or this node's key share; the ciphertext) in
    /// one round trip.
    func versionContent(report: ReportID, version: ReportVersion, caller: ClientIdentity) async throws
        -> ReadableVersion
    /// This node's key share for the version, sealed to the caller, against the caller's
    /// committed granted receipt (`POST /v1/reports/{id}/versions/{v}/key`).
    func keyShare(report: ReportID, version: ReportVersion, caller: ClientIdentity) async throws -> ReleasedKey
    func report(_ id: ReportID, caller: ClientIdentity) async throws -> ReportRecord
    /// The patient's reports, newest first.
    func reports(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws -> Page<
        ReportRecord
    >
    /// The patient's grants, in id order.
    func grants(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws -> Page<
        GrantRecord
    >
    /// Every access attempt on the patient's reports, newest first.
    func accessTrail(ofPatient patient: IdentityID, caller: ClientIdentity, page: PageRequest) async throws -> Page<
        IndexedEvent
    >
}

extension LedgerGateway {
    public func submitAndWait(_ tx: Transaction) async throws -> CommittedTransaction {
        try await waitForCommit(try await submit(tx))
    }
}

/// A report version as a reader gets it: enough to rebuild the key and open the blob.
public struct ReadableVersion: Sendable {
    public let record: ReportVersionRecord
    /// The reader's own envelope, or the answering custodian's key share sealed to the reader.
    public let key: ReleasedKey
    public let ciphertext: [UInt8]

    public init(record: ReportVersionRecord, key: ReleasedKey, ciphertext: [UInt8]) {
        self.record = record
        self.key = key
        self.ciphertext = ciphertext
    }
}
