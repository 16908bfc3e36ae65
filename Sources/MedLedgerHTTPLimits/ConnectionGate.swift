import Foundation
import NIOCore

/// An HTTP server's open connections (the node's API, the FHIR gateway): at most `limit` in
/// all, and at most `perAddressLimit` from one client address, so that one client cannot hold
/// every place (`APIConnectionLimits`).
/// Each `admit` that returned nil is paired with one `release` of the same address.
///
/// It remembers only the addresses that hold a connection now, so it holds at most `limit`
/// of them however many clients come and go.
package final class ConnectionGate: @unchecked Sendable {
    package let limit: Int
    package let perAddressLimit: Int
    private let lock = NSLock()
    private var total = 0
    private var byAddress: [ClientAddress: Int] = [:]

    package init(limit: Int, perAddressLimit: Int) {
        precondition(limit >= 1 && (1...limit).contains(perAddressLimit))
        self.limit = limit
        self.perAddressLimit = perAddressLimit
    }

    /// Open connections now, in all and from `address` (for tests: none may leak).
    package func current(from address: ClientAddress? = nil) -> Int {
        lock.withLock { address.map { byAddress[$0] ?? 0 } ?? total }
    }

    /// Takes a place for a connection from `address` (nil: a client with no IP address, which
    /// counts in the total only); returns why not when it may not have one.
    package func admit(_ address: ClientAddress?) -> ConnectionLimitReached? {
        lock.withLock {
            guard total < limit else { return ConnectionLimitReached(limit: limit, perAddress: false) }
            if let address {
                let held = byAddress[address] ?? 0
                guard held < perAddressLimit else {
                    return ConnectionLimitReached(limit: perAddressLimit, perAddress: true)
                }
                byAddress[address] = held + 1
            }
            total += 1
            return nil
        }
    }

    /// Gives back the place `admit` took for `address`.
    package func release(_ address: ClientAddress?) {
        lock.withLock {
            total -= 1
            guard let address, let held = byAddress[address] else { return }
            byAddress[address] = held > 1 ? held - 1 : nil
        }
    }
}

/// Who a connection counts against: an IPv4 address, or an IPv6 address's first 64 bits
/// (one subscriber's network usually gets a whole /64, so counting single IPv6 addresses
/// would let one client take as many places as it likes). An IPv4 address mapped into IPv6
/// (`::ffff:a.b.c.d`, a dual-stack socket) counts as the IPv4 address.
package struct ClientAddress: Hashable, Sendable, CustomStringConvertible {
    package let bytes: [UInt8]

    package init?(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            bytes = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let all = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
            bytes = all.starts(with: mappedPrefix) ? Array(all.suffix(4)) : Array(all.prefix(8))
        default:
            return nil
        }
    }

    package init(bytes: [UInt8]) { self.bytes = bytes }

    package var description: String {
        guard bytes.count == 8 else { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }
}

/// Why a connection was closed as soon as it was accepted.
package struct ConnectionLimitReached: Error, CustomStringConvertible {
    package let limit: Int
    package let perAddress: Bool
    package var description: String {
        perAddress
            ? "the server holds its limit of \(limit) open connections from one address"
            : "the server holds its limit of \(limit) open connections"
    }
}
