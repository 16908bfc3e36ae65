import Testing

@testable import MedLedgerBench

/// Parsing /proc/stat and /proc/self/stat, on fixed text.
@Suite struct MachineLoadTests {
    static let procStat = """
        cpu  1000 10 500 8000 200 0 40 60 0 0
        cpu0 500 5 250 4000 100 0 20 30 0 0
        intr 1 2 3
        """

    /// A command name with a space and a parenthesis, as /proc allows.
    static func selfStat(user: Int, system: Int) -> String {
        "4242 (med (ledger) x) R 1 4242 4242 0 -1 4194304 100 0 0 0 \(user) \(system) 0 0 20 0 3 0 100 0 0"
    }

    @Test func parsesBusyTotalAndOwnTicks() throws {
        let sample = try #require(
            MachineLoad.parse(procStat: Self.procStat, selfStat: Self.selfStat(user: 70, system: 30)))
        #expect(sample.totalTicks == 9_810)
        #expect(sample.busyTicks == 1_550)  // all but idle (8000), iowait (200) and steal (60)
        #expect(sample.stolenTicks == 60)
        #expect(sample.ownTicks == 100)
    }

    @Test func othersBusyIsTheShareOfTicksNotOurs() throws {
        let start = MachineLoad.Sample(busyTicks: 1_000, totalTicks: 10_000, ownTicks: 100)
        // 200 ticks passed on 2 cores: 120 busy, of which 100 ours, so others used 20 of 200.
        let end = MachineLoad.Sample(busyTicks: 1_120, totalTicks: 10_200, ownTicks: 200)
        let cores = try #require(MachineLoad.othersBusyCores(from: start, to: end, cores: 2))
        #expect(abs(cores - 0.2) < 1e-9)
        #expect(MachineLoad.othersBusyCores(from: end, to: end, cores: 2) == nil)
    }

    @Test func loadCPUSplitsTheTicksBetweenTheBenchAndTheRest() throws {
        let start = MachineLoad.Sample(busyTicks: 1_000, totalTicks: 10_000, ownTicks: 100)
        // 400 ticks passed on 2 cores: 300 busy, 40 of them the bench's.
        // 20 more were stolen by the hypervisor.
        let end = MachineLoad.Sample(busyTicks: 1_300, totalTicks: 10_400, ownTicks: 140, stolenTicks: 20)
        let split = try #require(LoadCPU(from: start, to: end, cores: 2))
        #expect(abs(split.benchCores - 0.2) < 1e-9)
        #expect(abs(split.otherCores - 1.3) < 1e-9)
        #expect(abs(split.stolenCores - 0.1) < 1e-9)
        #expect(
            split.description
                == "while loading: the bench used 0.20 of 2 cores, the nodes and everything else 1.30, the hypervisor (steal) 0.10"
        )
        #expect(LoadCPU(from: nil, to: end, cores: 2) == nil)
        #expect(LoadCPU(from: end, to: end, cores: 2) == nil)
    }

    @Test func stealIsCountedApartFromOtherProcesses() throws {
        let start = try #require(
            MachineLoad.parse(procStat: Self.procStat, selfStat: Self.selfStat(user: 70, system: 30)))
        // 400 ticks later on 2 cores: 100 user, 40 of them ours, and 100 stolen.
        let later = "cpu  1100 10 500 8200 200 0 40 160 0 0\n"
        let end = try #require(MachineLoad.parse(procStat: later, selfStat: Self.selfStat(user: 110, system: 30)))
        #expect(abs(try #require(MachineLoad.othersBusyCores(from: start, to: end, cores: 2)) - 0.3) < 1e-9)
        #expect(abs(try #require(MachineLoad.stolenCores(from: start, to: end, cores: 2)) - 0.5) < 1e-9)
        let ceiling = Ceiling(
            verificationsPerSecondPerCore: 8_000, cores: 2, validators: 4, othersBusyCores: 0.3, nodesIdle: true,
            stolenCores: 0.5)
        #expect(
            ceiling.describe("before load").hasSuffix(
                "other processes used 0.30 of 2 cores; the hypervisor took 0.50 (steal))"))
    }

    @Test func rejectsTextThatIsNotProcStat() {
        #expect(MachineLoad.parse(procStat: "nothing here", selfStat: Self.selfStat(user: 1, system: 1)) == nil)
        #expect(MachineLoad.parse(procStat: Self.procStat, selfStat: "4242 (x) R 1") == nil)
    }
}
