import Foundation

/// Where a PostgreSQL ledger lives, from a URL such as
/// `postgres://medledger@db.example:5432/ledger?schema=node0&sslmode=require`.
///
/// - user (required) and password (optional; `PGPASSWORD` in the environment is used when
///   the URL has none, which keeps it out of `ps`);
/// - host (required; a name, an IPv4 address or a bracketed IPv6 address) and port (default 5432);
/// - the database (required: the path, one segment);
/// - `schema=NAME` (optional): the schema the ledger's tables live in, created if missing, so
///   several nodes (or tests) can share one database; default `public`;
/// - `sslmode=disable|prefer|require` (optional, default `disable`): TLS to the server.
///   `require` verifies the server's certificate against the system's trust roots.
/// Every part is bounded and checked; an error says which part is wrong.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable { case disable, prefer, require }

    public let user: String
    public let password: String?
    public let host: String
    public let port: Int
    public let database: String
    public private(set) var schema: String
    public let tls: TLSMode

    /// The most bytes of a URL this accepts.
    public static let maxLength = 2_048

    /// The URL without its password: safe for logs and messages.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(user)@\(hostPart):\(port)/\(database)"
        var query = [String]()
        if schema != "public" { query.append("schema=\(schema)") }
        if tls != .disable { query.append("sslmode=\(tls.rawValue)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Parses `text`.
    /// - Parameter environment: where `PGPASSWORD` is looked up when the URL has no password.
    /// - Throws: `PostgresURLError` saying which part is missing or malformed.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard text.utf8.count <= Self.maxLength else {
            throw PostgresURLError("is longer than \(Self.maxLength) bytes")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw PostgresURLError("is not a URL; expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresURLError("must start with postgres:// (got \(scheme)://)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresURLError("names no user; expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresURLError("names no host; expected postgres://USER@HOST:PORT/DATABASE")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw PostgresURLError("port \(port) is not 1-65535") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else {
            throw PostgresURLError("must name one database as its path, e.g. postgres://USER@HOST:5432/medledger")
        }
        var schema = "public"
        var tls = TLSMode.disable
        for item in components.queryItems ?? [] {
            switch item.name {
            case "schema":
                guard let value = item.value, Self.isPlainIdentifier(value) else {
                    throw PostgresURLError("schema must be 1-63 of a-z, 0-9 and _, not starting with a digit")
                }
                schema = value
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw PostgresURLError("sslmode must be disable, prefer or require")
                }
                tls = mode
            default:
                throw PostgresURLError("has an unknown parameter \(item.name) (known: schema, sslmode)")
            }
        }
        self.user = user
        self.password = components.password ?? environment["PGPASSWORD"]
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        self.database = path
        self.schema = schema
        self.tls = tls
    }

    /// A schema name that needs no quoting: lower-case letters, digits and underscores.
    public static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63,
            !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return false }
        return name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }

    /// The same server and database with another schema (tests give each their own).
    public func withSchema(_ name: String) -> PostgresURL {
        precondition(Self.isPlainIdentifier(name), "schema \(name) is not a plain identifier")
        var copy = self
        copy.schema = name
        return copy
    }

    /// Whether `text` is meant as a PostgreSQL URL (rather than, say, a file).
    public static func looksLikeOne(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }
}

/// A `--database` URL that cannot be used; the message says which part is wrong.
public struct PostgresURLError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "the PostgreSQL URL \(reason)" }
}
