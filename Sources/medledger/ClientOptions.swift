import ArgumentParser
import MedLedgerAPIModel
import MedLedgerClient
import Foundation
import MedLedgerCore

/// Options shared by every command that talks to a running node.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "The node's HTTP address.")
    var node: String = "http://127.0.0.1:8080"

    @Option(name: .long, help: "Your key file (made by `medledger keys new`).")
    var key: String

    @Option(
        name: .long,
        help:
            "The consortium's genesis.json: keys you encrypt to are then checked against certified blocks (needed to submit or amend reports)."
    )
    var genesis: String?

    @Option(
        name: .customLong("custodian"),
        help:
            "Another custodian node's HTTP address (repeat). Reading needs the genesis's custody threshold of key shares, one from each of that many nodes; --node gives one."
    )
    var custodians: [String] = []

    @Option(
        name: .long,
        help: "For https nodes: trust exactly this PEM certificate (the consortium's), not the system CAs.")
    var pinCert: String?

    func validate() throws {
        guard let url = URL(string: node), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--node must be an http(s) URL such as http://127.0.0.1:8080, got \(node)")
        }
        guard FileManager.default.fileExists(atPath: key) else {
            throw ValidationError("--key \(key) does not exist; make one with `medledger keys new --out \(key)`")
        }
        if let genesis, !FileManager.default.fileExists(atPath: genesis) {
            throw ValidationError("--genesis \(genesis) does not exist")
        }
        for custodian in custodians {
            guard let url = URL(string: custodian), url.scheme == "http" || url.scheme == "https", url.host != nil
            else {
                throw ValidationError(
                    "--custodian must be an http(s) URL such as http://127.0.0.1:8090, got \(custodian)")
            }
        }
        if let pinCert {
            guard FileManager.default.fileExists(atPath: pinCert) else {
                throw ValidationError("--pin-cert \(pinCert) does not exist")
            }
            guard URL(string: node)?.scheme == "https" else {
                throw ValidationError("--pin-cert needs an https --node, got \(node)")
            }
        }
    }

    func client() throws -> LedgerClient {
        let me = try identity()
        return LedgerClient(
            gateway: try gateway(node, me: me), me: me, otherCustodians: try custodians.map { try gateway($0, me: me) })
    }

    /// The key file's identity.
    func identity() throws -> ClientIdentity {
        let file = try KeyFile.load(URL(fileURLWithPath: key))
        return ClientIdentity(label: file.label, id: try file.identityID(), keys: try file.keys())
    }

    /// The HTTP gateway to `address` (the --genesis anchor and --pin-cert applied).
    func gateway(_ address: String, me: ClientIdentity) throws -> HTTPGateway {
        guard let url = URL(string: address) else { throw ValidationError("\(address) is not a URL") }
        let anchor = try genesis.map { try Genesis.load(from: URL(fileURLWithPath: $0)) }
        let http = try pinCert.map { try PinnedHTTPClient.shared(pinning: $0) } ?? .shared
        return HTTPGateway(baseURL: url, me: me, trustAnchor: anchor, httpClient: http)
    }
}

/// Parsers for ids and codes given on the command line, with errors that name the option.
enum Parse {
    static func identity(_ text: String, _ option: String) throws -> IdentityID {
        guard let id = IdentityID(hex: text) else {
            throw ValidationError("\(option) must be a 64-character hex identity id, got \(text)")
        }
        return id
    }

    static func opaque<Kind>(_ text: String, _ option: String) throws -> OpaqueID<Kind> {
        guard let id = OpaqueID<Kind>(hex: text) else {
            throw ValidationError("\(option) must be a 32-character hex id, got \(text)")
        }
        return id
    }

    static func tagged<T: TaggedEnum>(_ text: String, _ option: String, as type: T.Type) throws -> T {
        guard let value = T(name: text) else {
            throw ValidationError("\(option) must be one of \(T.allNames.joined(separator: ", ")), got \(text)")
        }
        return value
    }

    static func code(_ text: String, _ option: String) throws -> Code {
        guard let code = Code(text) else {
            throw ValidationError("\(option) must be 1-64 printable characters, got \(text)")
        }
        return code
    }
}

/// Runs a client call, turning failures into one clear line and exit code 1.
func runClient(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ValidationError {
        throw error
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw CLIError("\(error)")
    }
}

/// `--limit` and `--cursor` of a command that lists: one page at a time, never a silent cut.
struct PageOptions: ParsableArguments {
    @Option(name: .long, help: "Most entries to print (1-\(PageLimits.maxItems)).")
    var limit: Int = PageLimits.defaultItems

    @Option(name: .long, help: "Continue after a previous page (the cursor it printed).")
    var cursor: String?

    func validate() throws {
        guard (1...PageLimits.maxItems).contains(limit) else {
            throw ValidationError("--limit must be from 1 to \(PageLimits.maxItems)")
        }
    }

    var request: PageRequest { PageRequest(cursor: cursor, limit: limit) }

    /// Tells the user how to get the next page, when there is one.
    static func printMore(_ nextCursor: String?) {
        if let nextCursor { print("More: repeat with --cursor \(nextCursor)") }
    }
}
