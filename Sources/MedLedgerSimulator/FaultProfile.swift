/// Which faults a simulation injects, and for how long. All faults happen inside the fault
/// window [0, faultWindowMilliseconds) of virtual time; afterwards the network is synchronous
/// (bounded delay, no loss, no partition) and crashed validators are back, which is when
/// liveness is checked. Byzantine validators stay Byzantine for the whole run.
public struct FaultProfile: Hashable, Sendable {
    public var name: String
    public var faultWindowMilliseconds: UInt64 = 0
    public var lossPermille = 0
    public var duplicatePermille = 0
    public var minDelayMilliseconds: UInt64 = 2
    /// Delay bound after the fault window (the "GST" bound).
    public var maxDelayMilliseconds: UInt64 = 40
    /// Delay bound inside the fault window (large values reorder messages).
    public var maxFaultDelayMilliseconds: UInt64 = 40
    public var partitions = 0
    public var crashes = 0
    public var maxClockSkewMilliseconds: UInt64 = 0
    /// Equivocating validators; clamped to f = (n - 1) / 3.
    public var byzantine = 0
    /// Chance that a Byzantine broadcast is accompanied by a message with a bad signature.
    public var garbagePermille = 0
    /// Liveness: after the window the chain must grow by this many heights ...
    public var livenessHeights = 3
    /// ... within this much virtual time.
    public var livenessWindowMilliseconds: UInt64 = 60_000

    public init(name: String) { self.name = name }

    /// No faults: the happy path.
    public static let calm = FaultProfile(name: "calm")

    /// Loss, duplication and heavy reordering.
    public static let lossy: FaultProfile = {
        var profile = FaultProfile(name: "lossy")
        profile.faultWindowMilliseconds = 15_000
        profile.lossPermille = 200
        profile.duplicatePermille = 150
        profile.maxFaultDelayMilliseconds = 1_500
        return profile
    }()

    /// Partitions that heal.
    public static let partitions: FaultProfile = {
        var profile = FaultProfile(name: "partitions")
        profile.faultWindowMilliseconds = 20_000
        profile.partitions = 3
        profile.maxFaultDelayMilliseconds = 300
        return profile
    }()

    /// Crashes and restarts from persisted state.
    public static let crashes: FaultProfile = {
        var profile = FaultProfile(name: "crashes")
        profile.faultWindowMilliseconds = 20_000
        profile.crashes = 4
        profile.maxFaultDelayMilliseconds = 200
        return profile
    }()

    /// Up to f Byzantine validators that equivocate and send garbage, with clock skew.
    public static let byzantine: FaultProfile = {
        var profile = FaultProfile(name: "byzantine")
        profile.faultWindowMilliseconds = 10_000
        profile.byzantine = 1
        profile.garbagePermille = 300
        profile.maxClockSkewMilliseconds = 2_000
        profile.maxFaultDelayMilliseconds = 300
        return profile
    }()

    /// Everything at once.
    public static let chaos: FaultProfile = {
        var profile = FaultProfile(name: "chaos")
        profile.faultWindowMilliseconds = 25_000
        profile.lossPermille = 100
        profile.duplicatePermille = 100
        profile.maxFaultDelayMilliseconds = 1_000
        profile.partitions = 2
        profile.crashes = 3
        profile.maxClockSkewMilliseconds = 3_000
        profile.byzantine = 1
        profile.garbagePermille = 200
        return profile
    }()

    /// The named profiles, for the CLI (`--faults NAME`) and the tests.
    public static let all: [FaultProfile] = [.calm, .lossy, .partitions, .crashes, .byzantine, .chaos]

    public static func named(_ name: String) -> FaultProfile? { all.first { $0.name == name } }
}
