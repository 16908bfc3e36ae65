#if canImport(Glibc)
import Foundation
import Glibc

/// glibc's allocator settings for a long-running node.
///
/// Why: a validator holding a large state (10^6 entries in the preloaded bench) spent about a
/// tenth of its CPU in glibc's free-list upkeep (`_int_malloc`, `unlink_chunk`,
/// `malloc_consolidate`) against a fiftieth on a fresh chain: each of SQLite's page-sized
/// allocations first merges the "fast bins" of small freed chunks back into a heap of
/// millions of live objects. Without fast bins (small frees still go to the per-thread
/// cache) the preloaded testnet committed more in every alternated burst
/// (`docs/performance.md`, "glibc's fast bins"). Nothing hashed, signed or stored depends on it.
enum AllocatorTuning {
    /// Turns glibc's fast bins off, unless the operator set `mxfast` in `GLIBC_TUNABLES`
    /// (their setting then stands). Returns what was done, for the node's log.
    static func applyForNode() -> String {
        let tunables = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] ?? ""
        guard !tunables.contains("malloc.mxfast") else { return "glibc fast bins as GLIBC_TUNABLES sets them" }
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not import.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
            return "glibc fast bins left on: mallopt not found"
        }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mxfast: Int32 = 1  // M_MXFAST in <malloc.h>
        return mallopt(mxfast, 0) == 1 ? "glibc fast bins off" : "glibc fast bins left on: mallopt refused"
    }
}
#else
enum AllocatorTuning {
    /// Only glibc's allocator is tuned; others are left as they are.
    static func applyForNode() -> String { "allocator left as it is (not glibc)" }
}
#endif
