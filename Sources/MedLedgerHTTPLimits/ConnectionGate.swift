import NIOCore

/// An HTTP server's open connections (the node's API, the FHIR gateway): at most `limit` in
/// all, and at most `perAddressLimit` from one client address, so that one client cannot hold
/// every place (`APIConnectionLimits`). Each `admit` that returned nil is paired with one
/// `release` of the same address.
package final class ConnectionGate: Sendable {
    private let counts: BoundedCounts<ClientAddress>
    package var limit: Int { counts.limit }
    package var perAddressLimit: Int { counts.perKeyLimit }

    package init(limit: Int, perAddressLimit: Int) {
        counts = BoundedCounts(limit: limit, perKeyLimit: perAddressLimit)
    }

    /// Open connections now, in all and from `address` (for tests: none may leak).
    package func current(from address: ClientAddress? = nil) -> Int { counts.current(address) }

    /// Takes a place for a connection from `address` (nil: a client with no IP address, which
    /// counts in the total only); returns why not when it may not have one.
    package func admit(_ address: ClientAddress?) -> ConnectionLimitReached? {
        guard let refusal = counts.admit(address) else { return nil }
        return refusal.total
            ? ConnectionLimitReached(limit: limit, perAddress: false)
            : ConnectionLimitReached(limit: perAddressLimit, perAddress: true)
    }

    /// Gives back the place `admit` took for `address`.
    package func release(_ address: ClientAddress?) { counts.release(address) }
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
