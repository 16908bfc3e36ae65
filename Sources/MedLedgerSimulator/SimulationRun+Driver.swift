import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerNode

/// A reference to the run for the transport, clock and notices of its drivers. Sendable
/// only in name: a driver calls them while the run awaits that driver, one at a time.
struct SimulationRunReference: @unchecked Sendable {
    unowned let run: SimulationRun
}

/// The driver's transport in the simulator: the seeded, faulty network of the run.
struct SimulatedTransport: ConsensusTransport {
    let world: SimulationRunReference
    let index: Int

    @discardableResult func broadcast(_ message: PeerMessage) -> Int {
        world.run.broadcast(from: index, message)
    }

    @discardableResult func send(_ message: PeerMessage, to peer: IdentityID) -> Bool {
        guard let target = world.run.nodes.firstIndex(where: { $0.id == peer }), target != index else { return false }
        world.run.send(from: index, to: target, message)
        return true
    }
}

/// The driver's clock in the simulator: virtual time plus the validator's skew; timers are
/// events on the run's queue, tagged with the incarnation that set them.
struct SimulatedClock: ConsensusClock {
    let world: SimulationRunReference
    let index: Int
    let incarnation: Int

    func now() -> ConsensusTime { world.run.localClock(world.run.nodes[index]) }

    func schedule(_ event: ConsensusDriverEvent, afterMilliseconds milliseconds: UInt64) {
        let run = world.run
        run.queue.push(.wake(node: index, incarnation: incarnation, event), at: run.now + milliseconds)
    }
}

/// Running the production driver: start (and restart from the data directory), notices.
extension SimulationRun {
    /// Opens the node's data directory (a restart reloads the chain, state and private
    /// validator from it) and starts a fresh driver, which restores its persisted round.
    func start(_ node: SimulatedNode) async {
        precondition(node.up && node.driver == nil, "a running node without a driver")
        let world = SimulationRunReference(run: self)
        let index = node.index
        do {
            let ledger = try LedgerNode(
                dataDirectory: node.directory, configuration: configuration, logger: .silent,
                blobClock: { WallClockTime(milliseconds: SimulationRun.genesisTime.milliseconds) })
            let driver = try await SimulatedDriver(
                node: ledger, transport: SimulatedTransport(world: world, index: index),
                clock: SimulatedClock(world: world, index: index, incarnation: node.incarnation),
                dataDirectory: node.directory, timeouts: timeouts, options: driverOptions, logger: .silent,
                notify: { notice in world.run.noticed(notice, by: index) })
            node.ledger = ledger
            node.driver = driver
            await driver.start()
        } catch {
            return fail("validator \(index) cannot start from its data directory: \(error)")
        }
        await check(node)
    }

    /// What a driver reported: equivocation evidence must only name Byzantine validators,
    /// and an honest driver must never stop.
    func noticed(_ notice: ConsensusDriverNotice, by index: Int) {
        switch notice {
        case .equivocation(let validator, let height, let round):
            statistics.equivocationReports += 1
            if let culprit = nodes.first(where: { $0.id == validator }), !culprit.byzantine {
                fail(
                    "validator \(index) reported honest validator \(culprit.index) for equivocation at height \(height) "
                        + "round \(round)")
            }
        case .refusedToSign: statistics.signaturesRefused += 1
        case .droppedBadSignature: statistics.badSignaturesDropped += 1
        case .droppedStale: statistics.staleMessagesDropped += 1
        case .synced: statistics.blocksSynced += 1
        case .stopped(let reason):
            if !nodes[index].byzantine { fail("validator \(index) stopped consensus: \(reason)") }
        }
    }
}
