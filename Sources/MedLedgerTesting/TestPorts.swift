import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loopback ports for tests that must name a port before its server binds it (peer lists,
/// testnets of node processes). Servers that can bind port 0 and report it should.
///
/// Two rules keep such tests from colliding ("Address already in use" once failed CI):
/// - Ports come from 10000-31999, below Linux's ephemeral range (32768-60999). A port there
///   may be taken at any moment by an outgoing connection of a test running alongside, and
///   a port found by binding port 0 is always there.
/// - One counter per test process (every suite runs in it, in parallel) hands out disjoint
///   blocks, from a random start so two runs on one machine are unlikely to meet; each port
///   of a block is checked with a bind before it is handed out.
public enum TestPorts {
    struct NoFreePorts: Error, CustomStringConvertible {
        let size: Int
        var description: String { "no block of \(size) free loopback ports in 10000-31999" }
    }

    static let range = 10_000..<32_000
    private static let next = Mutex(10_000 + Int.random(in: 0..<200) * 100)

    /// The first of `size` consecutive free ports: `base ..< base + size`.
    public static func block(_ size: Int) throws -> Int {
        precondition(size >= 1 && size <= 1_000)
        for _ in 0..<100 {
            let base = next.withLock { value in
                if value + size > range.upperBound { value = range.lowerBound }
                let base = value
                // Whole hundreds, so a testnet's base + 10·k + 1 stays inside its block.
                value += (size + 99) / 100 * 100
                return base
            }
            if (base..<(base + size)).allSatisfy(isFree) { return base }
        }
        throw NoFreePorts(size: size)
    }

    /// Whether a server can bind `port` on 127.0.0.1 now (with SO_REUSEADDR, as servers do).
    public static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
