import Crypto
import MedLedgerCore
import MedLedgerVault

/// Which custodians a read's key came from, and which could not help.
public struct CustodyOutcome: Sendable {
    /// How many shares rebuild the key.
    public let threshold: Int
    /// The x of each key share the key was rebuilt from (`threshold` of them).
    public let sharesUsed: [UInt8]
    /// How many custodians answered with a good share (the key needs only `threshold`).
    public let goodShares: Int
    /// Custodians that refused, were unreachable, or sent a share that does not match its
    /// commitment on the ledger.
    public let failures: [CustodianFailure]
}

/// One custodian that did not give a good share, and why.
public struct CustodianFailure: Sendable, CustomStringConvertible {
    /// The node, as its gateway names it (a URL, or a node id in this process).
    public let node: String
    /// The share's x when the custodian answered with one.
    public let shareIndex: UInt8?
    public let reason: String
    public var description: String {
        "\(node)\(shareIndex.map { " (share \($0))" } ?? ""): \(reason)"
    }
}

extension LedgerClient {
    /// The data key of a version the caller may read: its own envelope, or `threshold` key
    /// shares, the first from the node that served the content and the rest from the other
    /// custodians, asked at once. Every share is checked against its commitment on the
    /// ledger; a custodian that refuses, is down or sends a wrong share is named.
    func dataKey(
        for content: ReadableVersion, report: ReportID, version: ReportVersion, receipt: CommittedTransaction
    ) async throws -> (SymmetricKey, CustodyOutcome?) {
        switch content.key {
        case .whole(let envelope):
            return (try ReportCrypto.unwrap(envelope, using: me.keys, report: report, version: version), nil)
        case .share(let envelope, let x, let threshold):
            let commitments = content.record.content.shareCommitments
            var collector = ShareCollector(
                threshold: Int(threshold), commitments: commitments, report: report, version: version)
            collector.add(
                Result {
                    try ReportCrypto.unwrapShare(
                        envelope, using: me.keys, x: x, threshold: Int(threshold), report: report, version: version)
                },
                from: gateway.nodeDescription)
            await collectShares(into: &collector, report: report, version: version, receipt: receipt)
            let outcome = CustodyOutcome(
                threshold: Int(threshold), sharesUsed: collector.good.prefix(Int(threshold)).map(\.x),
                goodShares: collector.good.count, failures: collector.failures)
            guard collector.isComplete else {
                let why =
                    otherCustodians.isEmpty
                    ? "no other custodian node to ask (the CLI takes them with --custodian URL)"
                    : outcome.failures.map(\.description).joined(separator: "; ")
                throw ClientError.integrity(
                    "only \(collector.good.count) of the \(threshold) key shares needed: \(why)")
            }
            let key = try ReportCrypto.combineShares(
                collector.good, threshold: Int(threshold), commitments: commitments, report: report, version: version)
            return (key, outcome)
        }
    }

    /// Asks every other custodian at once. Once enough good shares are in, the rest get
    /// `Limits.custodyStragglerMilliseconds` more to answer, so a custodian that refused or is
    /// down is named without a hung one holding the read up.
    private func collectShares(
        into collector: inout ShareCollector, report: ReportID, version: ReportVersion, receipt: CommittedTransaction
    ) async {
        guard !otherCustodians.isEmpty else { return }
        await withTaskGroup(of: (String, Result<Shamir.Share, any Error>)?.self) { group in
            var waiting = Set(otherCustodians.map(\.nodeDescription))
            for other in otherCustodians {
                group.addTask {
                    (
                        other.nodeDescription,
                        await share(from: other, report: report, version: version, receipt: receipt)
                    )
                }
            }
            var graceStarted = false
            if collector.isComplete {
                graceStarted = true
                group.addTask { await Self.straggle() }
            }
            while let next = await group.next() {
                guard let (node, result) = next else { break }  // the grace period ended
                waiting.remove(node)
                collector.add(result, from: node)
                if waiting.isEmpty { break }
                if collector.isComplete && !graceStarted {
                    graceStarted = true
                    group.addTask { await Self.straggle() }
                }
            }
            group.cancelAll()
            for node in waiting.sorted() {
                collector.add(
                    .failure(NodeError(.unavailable, "no answer within \(Limits.custodyStragglerMilliseconds) ms")),
                    from: node)
            }
        }
    }

    private static func straggle() async -> (String, Result<Shamir.Share, any Error>)? {
        try? await Task.sleep(for: .milliseconds(Limits.custodyStragglerMilliseconds))
        return nil
    }

    /// One other custodian's share. A node that has not yet committed the block with the
    /// access receipt says so; the client waits for that block on it and asks once more.
    private func share(
        from custodian: any LedgerGateway, report: ReportID, version: ReportVersion, receipt: CommittedTransaction
    ) async -> Result<Shamir.Share, any Error> {
        do {
            let released: ReleasedKey
            do {
                released = try await custodian.keyShare(report: report, version: version, caller: me)
            } catch let error as NodeError where error.kind == .forbidden && error.field == "receipt" {
                _ = try await custodian.waitForCommit(receipt.hash)
                released = try await custodian.keyShare(report: report, version: version, caller: me)
            }
            guard case .share(let envelope, let x, let threshold) = released else {
                throw ClientError.integrity("answered with a whole key envelope instead of a key share")
            }
            return .success(
                try ReportCrypto.unwrapShare(
                    envelope, using: me.keys, x: x, threshold: Int(threshold), report: report, version: version))
        } catch {
            return .failure(error)
        }
    }
}

/// The shares gathered so far: good ones (matching their commitments, one per x) and the
/// custodians that failed.
struct ShareCollector {
    let threshold: Int
    let commitments: [Hash256]
    let report: ReportID
    let version: ReportVersion
    private(set) var good: [Shamir.Share] = []
    private(set) var failures: [CustodianFailure] = []

    init(threshold: Int, commitments: [Hash256], report: ReportID, version: ReportVersion) {
        self.threshold = threshold
        self.commitments = commitments
        self.report = report
        self.version = version
    }

    var isComplete: Bool { good.count >= threshold }

    mutating func add(_ result: Result<Shamir.Share, any Error>, from node: String) {
        switch result {
        case .success(let share):
            if !ReportCrypto.badShares([share], commitments: commitments, report: report, version: version).isEmpty {
                failures.append(
                    CustodianFailure(
                        node: node, shareIndex: share.x, reason: "sent a key share that does not match its commitment"))
            } else if !good.contains(where: { $0.x == share.x }) {
                good.append(share)
            }
        case .failure(let error):
            failures.append(CustodianFailure(node: node, shareIndex: nil, reason: "\(error)"))
        }
    }
}
