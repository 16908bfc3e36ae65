import Foundation
import MedLedgerCore

/// The crypto ceiling: Ed25519 verifications per second on one thread × cores ÷ validators,
/// since every validator verifies every transaction once. Measured in the same run as the
/// load, with how busy the rest of the machine was meanwhile, so a reader can see whether
/// the nodes or anything else shared the cores.
public struct Ceiling: Sendable {
    public let verificationsPerSecondPerCore: Double
    public let cores: Int
    public let validators: Int
    /// Cores' worth of CPU other processes used while measuring; nil where /proc is missing.
    public let othersBusyCores: Double?
    /// Whether every node had no pending transactions on two polls before measuring.
    public let nodesIdle: Bool
    /// Cores' worth the hypervisor gave to other virtual machines while measuring (steal),
    /// which makes the figure low; nil where /proc is missing.
    public var stolenCores: Double? = nil

    public var txPerSecond: Double {
        verificationsPerSecondPerCore * Double(cores) / Double(max(validators, 1))
    }

    /// One line with the raw figures and how the measurement was taken.
    public func describe(_ when: String) -> String {
        let others =
            othersBusyCores.map { String(format: "other processes used %.2f of %d cores", $0, cores) }
            ?? "no /proc here to say how busy the machine was"
        let stolen = stolenCores.map { String(format: "; the hypervisor took %.2f (steal)", $0) } ?? ""
        let idle =
            nodesIdle ? "nodes idle (0 pending on two polls)" : "nodes NOT idle (pending transactions never reached 0)"
        let figures = String(
            format: "%.0f Ed25519 verifications/s per core × %d cores ÷ %d validators = %.1f tx/s",
            verificationsPerSecondPerCore, cores, validators, txPerSecond)
        return "ceiling \(when): \(figures) (\(idle); \(others)\(stolen))"
    }

    /// Verifies for about `seconds` on this thread and samples /proc around it.
    static func measure(validators: Int, nodesIdle: Bool, seconds: Double = 1) -> Ceiling {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let before = MachineLoad.sample()
        let perCore = verificationsPerSecondOnOneCore(seconds: seconds)
        let after = MachineLoad.sample()
        let window = before.flatMap { start in after.map { (start, $0) } }
        let others = window.flatMap { MachineLoad.othersBusyCores(from: $0, to: $1, cores: cores) }
        let stolen = window.flatMap { MachineLoad.stolenCores(from: $0, to: $1, cores: cores) }
        return Ceiling(
            verificationsPerSecondPerCore: perCore, cores: cores, validators: validators, othersBusyCores: others,
            nodesIdle: nodesIdle, stolenCores: stolen)
    }

    /// Ed25519 verifications per second on one thread, over about `seconds`.
    static func verificationsPerSecondOnOneCore(seconds: Double) -> Double {
        let keys = IdentityKeys.generate()
        let message = Array(repeating: UInt8(7), count: 300)
        let signature = keys.sign(message)
        let key = keys.publicSigningKey
        let start = DispatchTime.now().uptimeNanoseconds
        let length = UInt64(seconds * 1e9)
        var verified = 0
        while DispatchTime.now().uptimeNanoseconds - start < length {
            for _ in 0..<100 where key.isValidSignature(signature, for: message) { verified += 1 }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(verified) / elapsed
    }
}

/// Waits until no node has pending transactions, so the ceiling before the load is measured
/// while the nodes are idle rather than still committing an earlier run.
enum NodeIdleness {
    /// Polls every node's `GET /v1/status` about once a second until all report 0 pending
    /// transactions on two polls in a row; false if that did not happen within the timeout.
    static func wait(client: BenchHTTP, timeoutSeconds: Double = 30, log: (String) -> Void) async throws -> Bool {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutSeconds * 1e9)
        var quietPolls = 0
        while true {
            var pending = 0
            for node in client.nodes.indices { pending += try await client.status(node: node).pendingTransactions }
            quietPolls = pending == 0 ? quietPolls + 1 : 0
            if quietPolls >= 2 { return true }
            guard DispatchTime.now().uptimeNanoseconds < deadline else {
                log(
                    "nodes still had \(pending) pending transaction(s) after \(Int(timeoutSeconds)) s; measuring anyway"
                )
                return false
            }
            try await Task.sleep(nanoseconds: 1_000_000_000)
        }
    }
}
