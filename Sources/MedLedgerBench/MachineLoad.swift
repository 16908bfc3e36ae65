import Foundation

/// How busy the rest of the machine is, from Linux's `/proc/stat` (every process) and
/// `/proc/self/stat` (this one), so a figure measured here can say it was taken on a quiet
/// machine. Both count clock ticks, so their difference is what other processes used. Time
/// the hypervisor gave to other virtual machines (steal) is counted apart: it is not a
/// process here, but it slows everything here, the ceiling's measurement included.
struct MachineLoad: Sendable {
    /// Ticks all CPUs spent busy, stolen by the hypervisor, and in total (busy + idle +
    /// iowait + stolen).
    struct Sample: Sendable, Equatable {
        let busyTicks: UInt64
        let totalTicks: UInt64
        let ownTicks: UInt64
        var stolenTicks: UInt64 = 0
    }

    /// Now, or nil where `/proc` is missing or unreadable (not Linux).
    static func sample() -> Sample? {
        guard let machine = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let own = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        else { return nil }
        return parse(procStat: machine, selfStat: own)
    }

    /// The first `cpu` line of /proc/stat (user nice system idle iowait irq softirq steal …)
    /// and fields 14-15 (utime, stime) of /proc/self/stat, counted after the command name,
    /// which may contain spaces and parentheses.
    static func parse(procStat: String, selfStat: String) -> Sample? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        // guest and guest_nice are already inside user and nice.
        let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }
        guard ticks.count >= 5, let close = selfStat.lastIndex(of: ")") else { return nil }
        let idle = ticks[3] + ticks[4]
        let stolen = ticks.count > 7 ? ticks[7] : 0
        let total = ticks.reduce(0, +)
        // After ")": state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        let fields = selfStat[selfStat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return Sample(
            busyTicks: total - idle - stolen, totalTicks: total, ownTicks: user + system, stolenTicks: stolen)
    }

    /// Cores' worth of `ticks` between two samples: their share of all ticks that passed ×
    /// cores; nil when no tick passed.
    static func cores(_ ticks: Double, from start: Sample, to end: Sample, cores: Int) -> Double? {
        guard end.totalTicks > start.totalTicks else { return nil }
        return ticks / Double(end.totalTicks - start.totalTicks) * Double(cores)
    }

    /// Cores' worth of CPU other processes used between two samples. Clamped at 0, since the
    /// two files are read a moment apart.
    static func othersBusyCores(from start: Sample, to end: Sample, cores: Int) -> Double? {
        let busy = Double(end.busyTicks &- start.busyTicks)
        let own = Double(end.ownTicks &- start.ownTicks)
        return Self.cores(busy - own, from: start, to: end, cores: cores).map { max(0, $0) }
    }

    /// Cores' worth of CPU the hypervisor gave to other virtual machines between two samples.
    static func stolenCores(from start: Sample, to end: Sample, cores: Int) -> Double? {
        Self.cores(Double(end.stolenTicks &- start.stolenTicks), from: start, to: end, cores: cores)
    }
}

/// Where the machine's CPU went while a load ran, from the first submission until all of it
/// committed (or the bench stopped waiting): the bench itself (signing is done before, so this
/// is sending, watching and counting) and everything else, the nodes under test included.
/// The bench shares the machine with the nodes it measures, so what it takes is taken from
/// them; printed so a run says how much.
public struct LoadCPU: Sendable, CustomStringConvertible {
    /// Cores' worth of CPU the bench used.
    public let benchCores: Double
    /// Cores' worth every other process used (the nodes, and anything else running).
    public let otherCores: Double
    /// Cores' worth the hypervisor gave to other virtual machines.
    public let stolenCores: Double
    public let cores: Int

    init?(from start: MachineLoad.Sample?, to end: MachineLoad.Sample?, cores: Int) {
        guard let start, let end,
            let bench = MachineLoad.cores(Double(end.ownTicks &- start.ownTicks), from: start, to: end, cores: cores),
            let others = MachineLoad.othersBusyCores(from: start, to: end, cores: cores),
            let stolen = MachineLoad.stolenCores(from: start, to: end, cores: cores)
        else { return nil }
        benchCores = bench
        otherCores = others
        stolenCores = stolen
        self.cores = cores
    }

    public var description: String {
        String(
            format:
                "while loading: the bench used %.2f of %d cores, the nodes and everything else %.2f, the hypervisor (steal) %.2f",
            benchCores, cores, otherCores, stolenCores)
    }
}
