import AsyncHTTPClient
import Foundation
import MedLedgerCore
import NIOSSL

/// HTTPS clients that trust exactly one certificate: the consortium's, given with
/// `--pin-cert FILE`. No system CA is consulted and the host name is not checked, because the
/// pinned certificate is the whole trust decision: a server that cannot prove it holds that
/// certificate's private key is refused (a self-signed node certificate is typical; pinning a
/// CA certificate would also trust what that CA issues).
public enum PinnedHTTPClient {
    /// A client for `certificatePEM`; the caller shuts it down (`HTTPClient.shutdown`).
    /// - Throws: `NodeError` when the PEM does not hold exactly one certificate.
    public static func make(certificatePEM: String) throws -> HTTPClient {
        let certificates: [NIOSSLCertificate]
        do { certificates = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)) } catch {
            throw NodeError(.invalid, field: "pin-cert", "not a PEM certificate: \(error)")
        }
        guard certificates.count == 1 else {
            throw NodeError(
                .invalid, field: "pin-cert", "must hold exactly one certificate to pin, found \(certificates.count)")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(certificates)
        tls.certificateVerification = .noHostnameVerification
        tls.minimumTLSVersion = .tlsv12
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    /// A client pinned to the certificate in `file`, kept for the life of the process (the
    /// CLI makes one per run and never shuts it down, so none is dropped while running).
    /// - Throws: `NodeError` naming the file when it cannot be read or holds no single certificate.
    public static func shared(pinning file: String) throws -> HTTPClient {
        let pem: String
        do { pem = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw NodeError(.invalid, field: "pin-cert", "cannot read \(file): \(error)")
        }
        return try clients.withLock { clients in
            if let client = clients[pem] { return client }
            let client = try make(certificatePEM: pem)
            clients[pem] = client
            return client
        }
    }

    private static let clients = ClientTable()
}

/// The process's pinned clients by certificate PEM.
private final class ClientTable: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [String: HTTPClient] = [:]

    func withLock<Result>(_ body: (inout [String: HTTPClient]) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&clients)
    }
}
