import ArgumentParser
import MedLedgerSimulator

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Run the deterministic consensus simulator for one seed.",
        discussion: """
            N validators in one process, each a real node (on a scratch data directory) run by the production
            consensus driver, over a simulated network driven by one seeded random
            source: delay, loss, duplication, reordering, partitions, crashes and restarts, clock skew and
            Byzantine validators, by fault profile. The same seed replays the same run exactly. Exits 1 when
            an invariant (agreement, certificates, state, liveness after healing) breaks.
            """)

    @Option(name: .long, help: "The seed.") var seed: UInt64
    @Option(name: .long, help: "Validators (n = 3f + 1).") var validators: Int = 4
    @Option(name: .long, help: "Fault profile: \(FaultProfile.all.map(\.name).joined(separator: ", ")).")
    var faults: String = "chaos"
    @Option(name: .long, help: "Heights to commit.") var heights: Int = 20

    func validate() throws {
        guard (1...31).contains(validators) else { throw ValidationError("--validators must be 1-31") }
        guard (1...10_000).contains(heights) else { throw ValidationError("--heights must be 1-10000") }
        guard FaultProfile.all.contains(where: { $0.name == faults }) else {
            throw ValidationError("--faults must be one of \(FaultProfile.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let profile = FaultProfile.all.first { $0.name == faults }!
        let result = await Simulation.run(seed: seed, validators: validators, faults: profile, heights: heights)
        print(result)
        if !result.passed { throw ExitCode(1) }
    }
}
