import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Where `fhir import` sends each resource: a running gateway over HTTP, or the gateway's
/// service in this process (`--key`/`--node`). Answers the HTTP status and the resource or
/// OperationOutcome.
public protocol FHIRSink: Sendable {
    /// Creates `resource`; with `ifNoneExist`, only when no report has that identifier yet.
    func post(_ resource: FHIRValue, ifNoneExist: String?) async throws -> (status: Int, body: FHIRValue)
}

/// A running gateway at `base` (e.g. `http://127.0.0.1:8787/fhir`), with its client token
/// when it has one.
public struct HTTPFHIRSink: FHIRSink {
    public let base: String
    public let clientToken: String?

    public init(base: String, clientToken: String? = nil) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.clientToken = clientToken
    }

    public func post(_ resource: FHIRValue, ifNoneExist: String?) async throws -> (status: Int, body: FHIRValue) {
        let type = resource.resourceType ?? ""
        var request = HTTPClientRequest(url: type == "Bundle" ? base : "\(base)/\(type)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/fhir+json")
        if let ifNoneExist { request.headers.add(name: "If-None-Exist", value: ifNoneExist) }
        if let clientToken { request.headers.add(name: "Authorization", value: "Bearer \(clientToken)") }
        request.body = .bytes(ByteBuffer(bytes: resource.encoded()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: GatewayServer.bodyMaxBytes)
        return (Int(response.status.code), try FHIRValue.parse(bytes.readableBytesView))
    }
}

/// The gateway's service in this process.
public struct DirectFHIRSink: FHIRSink {
    public let service: FHIRGatewayService
    public init(service: FHIRGatewayService) { self.service = service }

    public func post(_ resource: FHIRValue, ifNoneExist: String?) async throws -> (status: Int, body: FHIRValue) {
        do {
            switch resource.resourceType {
            case "Bundle": return (200, try await service.transaction(resource))
            case "Patient": return (200, try service.registerPatient(resource))
            case "Consent": return (201, try await service.createConsent(resource))
            default:
                let result = try await service.create(resource, ifNoneExist: ifNoneExist)
                return (result.status, result.resource)
            }
        } catch {
            let problem = FHIRProblem.from(error)
            return (problem.status, problem.outcome)
        }
    }
}

/// `fhir import`: every file once, a clear error per file without stopping the others, and
/// a journal of done files (by SHA-256 of their bytes) so a rerun after an interruption
/// skips them.
///
/// An interruption can fall between a report's commit and its journal line. So every report
/// with an `identifier` is created conditionally (`If-None-Exist: identifier=system|value`,
/// also inside transaction Bundles): a rerun finds it on the ledger instead of making it twice.
public struct FHIRImport {
    public enum Outcome: Sendable, Equatable {
        case imported(String)
        /// Made by an earlier, interrupted run: the conditional create found it.
        case existing(String)
        case skipped
        case failed(String)
    }

    public static let fileMaxBytes = GatewayServer.bodyMaxBytes
    public static let filesMax = 100_000

    public let sink: any FHIRSink
    public let journal: URL

    public init(sink: any FHIRSink, journal: URL) {
        self.sink = sink
        self.journal = journal
    }

    /// The `.json` files under `path` (itself when a file), sorted by path.
    public static func files(at path: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw FHIRProblem(400, .notFound, "\(path.path) does not exist")
        }
        guard isDirectory.boolValue else { return [path] }
        var found: [URL] = []
        let walker = FileManager.default.enumerator(at: path, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension.lowercased() == "json" else { continue }
            found.append(url)
            guard found.count <= filesMax else {
                throw FHIRProblem(400, .tooCostly, "more than \(filesMax) files under \(path.path)")
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Hashes already done, from the journal (one `sha256-hex<TAB>path` line each).
    public func done() -> Set<String> {
        guard let text = try? String(contentsOf: journal, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) })
    }

    /// Imports one file unless the journal has its hash; appends it to the journal when done.
    public func importFile(_ url: URL, done: Set<String>) async -> Outcome {
        let bytes: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            guard size <= Self.fileMaxBytes else { return .failed("the file is over \(Self.fileMaxBytes) bytes") }
            bytes = try Data(contentsOf: url)
        } catch {
            return .failed("cannot read: \(error.localizedDescription)")
        }
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        if done.contains(hash) { return .skipped }
        do {
            let (resource, condition) = Self.conditional(try FHIRValue.parse(bytes))
            let (status, body) = try await sink.post(resource, ifNoneExist: condition)
            guard (200..<300).contains(status) else {
                return .failed(FHIRProblem.describe(outcome: body, status: status))
            }
            try append("\(hash)\t\(url.path)\n")
            if body.resourceType == "Bundle" {
                let statuses = (body["entry"]?.array ?? []).map { $0["response"]?["status"]?.string ?? "" }
                let summary = "\(statuses.count) entries"
                return statuses.contains { $0.hasPrefix("201") } ? .imported(summary) : .existing(summary)
            }
            let summary = "\(body.resourceType ?? "resource")/\(body["id"]?.string ?? "")"
            return condition != nil && status == 200 ? .existing(summary) : .imported(summary)
        } catch let problem as FHIRProblem {
            return .failed(FHIRProblem.describe(outcome: problem.outcome, status: problem.status))
        } catch {
            return .failed("\(error)")
        }
    }

    /// The resource with the condition that makes its creation idempotent: a report's first
    /// `identifier` as `If-None-Exist`, or, in a transaction Bundle, as each report entry's
    /// `request.ifNoneExist` where the sender gave none.
    static func conditional(_ resource: FHIRValue) -> (FHIRValue, String?) {
        guard resource.resourceType == "Bundle" else {
            let isReport = ReportIntake.reportTypes.contains(resource.resourceType ?? "")
            return (resource, isReport ? condition(resource) : nil)
        }
        guard resource["type"]?.string == "transaction", case .object(var bundle) = resource,
            case .array(let entries)? = bundle["entry"]
        else { return (resource, nil) }
        bundle["entry"] = .array(
            entries.map { entry in
                guard case .object(var fields) = entry, let inner = fields["resource"],
                    ReportIntake.reportTypes.contains(inner.resourceType ?? ""), let condition = condition(inner),
                    case .object(var request)? = fields["request"], request["ifNoneExist"] == nil
                else { return entry }
                request["ifNoneExist"] = .string(condition)
                fields["request"] = .object(request)
                return .object(fields)
            })
        return (.object(bundle), nil)
    }

    /// `identifier=system|value` for the resource's first identifier with both.
    static func condition(_ resource: FHIRValue) -> String? {
        for identifier in resource["identifier"]?.array ?? [] {
            guard let system = identifier["system"]?.string, let value = identifier["value"]?.string,
                !system.isEmpty, !value.isEmpty
            else { continue }
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "&=+|%#")
            guard let system = system.addingPercentEncoding(withAllowedCharacters: allowed),
                let value = value.addingPercentEncoding(withAllowedCharacters: allowed)
            else { continue }
            return "identifier=\(system)|\(value)"
        }
        return nil
    }

    private func append(_ line: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: journal.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !manager.fileExists(atPath: journal.path) { _ = manager.createFile(atPath: journal.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: journal)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.synchronize()
    }
}
