import MedLedgerCore

extension SimulationRun {
    /// Draws the partitions and crashes of the fault window up front, from the one PRNG.
    func scheduleFaults() {
        let window = profile.faultWindowMilliseconds
        guard window > 1_000 else { return }
        for id in 0..<profile.partitions {
            let start = random.uniform(0...(window * 3 / 4))
            let end = random.uniform(min(start + 1_000, window)...window)
            var side = nodes.map { _ in random.chance(permille: 500) }
            if !side.contains(true) || !side.contains(false) { side[random.index(side.count)].toggle() }
            precondition(end <= window, "partitions heal inside the window")
            queue.push(.partitionStart(id: id, side: side), at: start)
            queue.push(.partitionHeal(id: id), at: end)
        }
        let honest = honestNodes.map(\.index)
        guard !honest.isEmpty else { return }
        for _ in 0..<profile.crashes {
            let node = honest[random.index(honest.count)]
            let at = random.uniform(0...(window * 3 / 4))
            let back = random.uniform(min(at + 500, window)...window)
            precondition(back <= window, "crashed validators restart inside the window")
            queue.push(.crash(node: node), at: at)
            queue.push(.restart(node: node), at: back)
        }
    }

    /// This validator's clock reading (virtual time plus its skew): what its driver reads.
    /// Vote times come from it (at least the voted block's time + 1 ms, as the driver
    /// ensures); a Byzantine validator's votes carry made-up times (`equivocate`).
    func localClock(_ node: SimulatedNode) -> ConsensusTime {
        let base = Int64(Self.genesisTime.milliseconds) + Int64(now) + node.clockSkew
        return ConsensusTime(milliseconds: UInt64(max(base, 0)))
    }
}
