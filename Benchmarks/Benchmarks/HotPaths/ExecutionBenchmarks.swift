import Benchmark
import MedLedgerContracts
import MedLedgerCore

/// A block's worth of patient self-registrations, as `medledger bench` sends them.
let registrationsPerBlock = 1_000
/// Identities already on a grown chain: the issue saw a burst about half as fast at this size.
let grownStateIdentities = 100_000

/// Contract execution and the state commit, split as the node runs them: `ContractEngine.apply`
/// per transaction (signatures already checked by the mempool), then `takeChanges` and
/// `stateRoot` (the state tree), then `foldPending` when the block is decided.
func executionBenchmarks(chain: Chain) {
    Benchmark(
        "Execute 1,000 self-registrations (ContractEngine.apply)", configuration: quick()
    ) { benchmark, transactions in
        var state = chain.committed
        benchmark.startMeasurement()
        for transaction in transactions {
            blackHole(engineApply(chain, transaction, &state))
        }
        benchmark.stopMeasurement()
    } setup: {
        Chain.selfRegistrations(count: registrationsPerBlock)
    }

    Benchmark(
        "State commit of 1,000 self-registrations (changes, state root, fold)", configuration: quick()
    ) { benchmark, transactions in
        var state = chain.committed
        for transaction in transactions { _ = engineApply(chain, transaction, &state) }
        benchmark.startMeasurement()
        commit(&state)
        benchmark.stopMeasurement()
    } setup: {
        Chain.selfRegistrations(count: registrationsPerBlock)
    }

    Benchmark(
        "BlockExecutor.execute 1,000 self-registrations (apply, changes, state root)", configuration: quick()
    ) { benchmark, transactions in
        var state = chain.committed
        benchmark.startMeasurement()
        let execution = execute(chain, transactions, &state)
        benchmark.stopMeasurement()
        checkAccepted(execution)
    } setup: {
        Chain.selfRegistrations(count: registrationsPerBlock)
    }

    Benchmark(
        "BlockExecutor.execute 1,000 self-registrations on 100,000 identities", configuration: quick(seconds: 3)
    ) { benchmark, fixture in
        var state = fixture.state
        benchmark.startMeasurement()
        let execution = execute(chain, fixture.transactions, &state)
        benchmark.stopMeasurement()
        checkAccepted(execution)
    } setup: {
        (state: chain.grown(identities: grownStateIdentities), transactions: Chain.selfRegistrations(count: 1_000))
    }
}

private func engineApply(_ chain: Chain, _ transaction: Transaction, _ state: inout LedgerState) -> TransactionReceipt {
    chain.engine.apply(transaction, to: &state, context: Chain.context, signatureVerified: true)
}

private func execute(_ chain: Chain, _ transactions: [Transaction], _ state: inout LedgerState) -> BlockExecution {
    BlockExecutor.execute(
        transactions, context: Chain.context, state: &state, engine: chain.engine, signatureVerified: { _ in true })
}

/// Outside the measurement: a benchmark of rejections would measure the wrong path.
private func checkAccepted(_ execution: BlockExecution) {
    precondition(execution.receipts.allSatisfy { $0.code == .ok }, "every registration is accepted")
}

private func commit(_ state: inout LedgerState) {
    blackHole(state.takeChanges())
    blackHole(state.stateRoot())
    state.foldPending()
}
