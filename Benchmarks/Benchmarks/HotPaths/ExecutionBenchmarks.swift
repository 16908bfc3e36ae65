import Benchmark
import MedLedgerContracts
import MedLedgerCore

/// A block's worth of patient self-registrations, as `medledger bench` sends them.
let registrationsPerBlock = 1_000
/// Identities already on grown chains: the issue saw a burst about half as fast at 10^5;
/// item 2 asks for flat cost up to 10^6.
let grownStateSizes = [(identities: 100_000, name: "100,000"), (identities: 1_000_000, name: "1,000,000")]

/// Contract execution and the state commit, split as `BlockExecutor.execute` runs them:
/// `ContractEngine.apply` per transaction (signatures already checked by the mempool), then
/// `takeChanges` and `stateRoot` (the state tree). Each iteration executes on a copy of the
/// committed state, as a validator executes a proposal. Once on a fresh chain, then on
/// chains that already hold 100,000 and 1,000,000 identities.
func executionBenchmarks(chain: Chain) {
    executionBenchmarks(chain: chain, stateName: "fresh chain") { chain.committed }
    for size in grownStateSizes {
        executionBenchmarks(chain: chain, stateName: "\(size.name) identities") {
            chain.grown(identities: size.identities)
        }
    }
}

private struct ExecutionFixture: Sendable {
    let committed: LedgerState
    let transactions: [Transaction]
}

private func executionBenchmarks(
    chain: Chain, stateName: String, committed: @escaping @Sendable () -> LedgerState
) {
    let setup: () -> ExecutionFixture = {
        ExecutionFixture(committed: committed(), transactions: Chain.selfRegistrations(count: registrationsPerBlock))
    }
    Benchmark("Execute 1,000 self-registrations: apply (\(stateName))", configuration: quick()) {
        benchmark, fixture in
        var state = fixture.committed
        benchmark.startMeasurement()
        for transaction in fixture.transactions {
            blackHole(apply(chain, transaction, &state))
        }
        benchmark.stopMeasurement()
    } setup: {
        setup()
    }

    Benchmark("Execute 1,000 self-registrations: state commit (\(stateName))", configuration: quick()) {
        benchmark, fixture in
        var state = fixture.committed
        for transaction in fixture.transactions { _ = apply(chain, transaction, &state) }
        benchmark.startMeasurement()
        blackHole(state.takeChanges())
        blackHole(state.stateRoot())
        benchmark.stopMeasurement()
    } setup: {
        setup()
    }

    Benchmark("Execute 1,000 self-registrations: BlockExecutor.execute (\(stateName))", configuration: quick()) {
        benchmark, fixture in
        var state = fixture.committed
        benchmark.startMeasurement()
        let execution = BlockExecutor.execute(
            fixture.transactions, context: Chain.context, state: &state, engine: chain.engine,
            signatureVerified: { _ in true })
        benchmark.stopMeasurement()
        // Outside the measurement: a benchmark of rejections would measure the wrong path.
        precondition(execution.receipts.allSatisfy { $0.code == .ok }, "every registration is accepted")
    } setup: {
        setup()
    }
}

private func apply(_ chain: Chain, _ transaction: Transaction, _ state: inout LedgerState) -> TransactionReceipt {
    chain.engine.apply(transaction, to: &state, context: Chain.context, signatureVerified: true)
}
