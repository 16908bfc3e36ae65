/// One holder at a time per key, waiters served in arrival order: serializes conditional
/// creates with the same condition, updates of the same report, and the gateway's ledger
/// writes (one signing identity, one nonce sequence).
actor KeyedLocks {
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func lock(_ key: String) async {
        if waiting[key] == nil {
            waiting[key] = []
            return
        }
        await withCheckedContinuation { waiting[key, default: []].append($0) }
    }

    func unlock(_ key: String) {
        guard var queue = waiting[key], !queue.isEmpty else {
            waiting[key] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[key] = queue
        next.resume()
    }
}

extension KeyedLocks {
    /// Runs `body` holding `key`.
    nonisolated func holding<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await lock(key)
        do {
            let value = try await body()
            await unlock(key)
            return value
        } catch {
            await unlock(key)
            throw error
        }
    }
}
