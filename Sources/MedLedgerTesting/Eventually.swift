/// Polls `condition` every `interval` until it holds or `timeout` passes; never hangs a test.
/// A condition that costs real work (hashing a blob file) polls less often.
///
/// The default is generous on purpose. `swift test` starts every test at once on the
/// cooperative pool, which has one thread per core: on a two-core CI machine the first
/// 10–15 s of a run are a queue of about 600 tests, and an async step (a dialer's retry, a
/// node's start) waits its turn behind them. A condition that holds returns at once, so only
/// a test that is failing anyway pays for the wait.
public func eventually(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20), _ condition: () -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return condition()
}
