import Foundation
import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerStorage

extension DataDirectory {
    /// TLS files: the peer certificate (public; its key is the validator key in
    /// node-key.json, so no separate private key file exists for it).
    public var tlsDirectory: URL { url.appendingPathComponent("tls", isDirectory: true) }
    /// This validator's self-signed peer-link certificate (PEM), made by `node init` and
    /// `testnet init`; its public key is the genesis validator key.
    public var peerCertificateFile: URL { tlsDirectory.appendingPathComponent("peer-cert.pem") }

    /// Writes a new peer certificate for `keys`, replacing any there.
    public func writePeerCertificate(keys: IdentityKeys) throws {
        try FileManager.default.createDirectory(at: tlsDirectory, withIntermediateDirectories: true)
        try Data(PeerCertificate.makePEM(keys: keys).utf8).write(to: peerCertificateFile, options: .atomic)
    }

    /// The peer certificate, made now when missing, so a data directory from before TLS keeps
    /// working (the log says so). A certificate for another key is an error, not replaced: an
    /// operator who swapped files should hear about it.
    /// - Throws: `NodeError` naming the file and what is wrong with it.
    public func loadPeerCertificate(keys: IdentityKeys, logger: Logger) throws -> String {
        let file = peerCertificateFile
        if !FileManager.default.fileExists(atPath: file.path) {
            try writePeerCertificate(keys: keys)
            logger.notice("p2p: no peer certificate yet; wrote a new one for this validator key to \(file.path)")
        }
        let pem: String
        do { pem = try String(contentsOf: file, encoding: .utf8) } catch {
            throw NodeError(.invalid, field: "tls/peer-cert.pem", "cannot read \(file.path): \(error)")
        }
        if let problem = PeerCertificate.problem(pem: pem, keys: keys) {
            throw NodeError(
                .invalid, field: "tls/peer-cert.pem",
                "\(file.path): \(problem) (delete it and restart to make a new one)")
        }
        return pem
    }
}
