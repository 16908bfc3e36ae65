import MedLedgerCore
import NIOCore
import NIOSSL

/// The TLS side of peer links: mutual TLS 1.3 only, Ed25519 certificates whose key is the
/// validator's genesis key, and a verification that accepts a peer only when the key of the
/// certificate it presents belongs to a genesis validator (and, when dialing, to the one we
/// dialed). No CA, no hostname, no dates: the genesis is the trust store.
///
/// TLS's CertificateVerify proves that the peer holds the private key of its certificate, so
/// a copied certificate without the key does not get past the handshake.
struct PeerTLS: Sendable {
    /// Both contexts share the certificate and key; BoringSSL contexts are costly, so one of
    /// each per network, and a handler per connection.
    let server: NIOSSLContext
    let client: NIOSSLContext

    /// - Parameter certificatePEM: this node's peer certificate (from `PeerCertificate.makePEM`);
    ///   its key must be `keys`' signing key.
    /// - Throws: `PeerNetworkError` naming what is wrong with the certificate or key.
    init(keys: IdentityKeys, certificatePEM: String) throws {
        if let problem = PeerCertificate.problem(pem: certificatePEM, keys: keys) {
            throw PeerNetworkError("peer certificate: \(problem)")
        }
        let certificate: NIOSSLCertificate
        let key: NIOSSLPrivateKey
        do {
            certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
            key = try NIOSSLPrivateKey(bytes: PeerCertificate.privateKeyDER(keys: keys), format: .der)
        } catch {
            throw PeerNetworkError("peer certificate or key not accepted by BoringSSL: \(error)")
        }
        do {
            server = try NIOSSLContext(
                configuration: Self.configuration(
                    .makeServerConfiguration(
                        certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))))
            var client = TLSConfiguration.makeClientConfiguration()
            client.certificateChain = [.certificate(certificate)]
            client.privateKey = .privateKey(key)
            self.client = try NIOSSLContext(configuration: Self.configuration(client))
        } catch {
            throw PeerNetworkError("cannot set up TLS for peer links: \(error)")
        }
    }

    /// TLS 1.3 and nothing older (no downgrade to negotiate), Ed25519 signatures only, and a
    /// certificate required from the other side. `noHostnameVerification` only makes BoringSSL
    /// ask for and require the peer's certificate: the custom callback replaces all of its
    /// chain checks.
    static func configuration(_ base: TLSConfiguration) -> TLSConfiguration {
        var configuration = base
        configuration.minimumTLSVersion = .tlsv13
        configuration.maximumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        configuration.signingSignatureAlgorithms = [.ed25519]
        configuration.verifySignatureAlgorithms = [.ed25519]
        return configuration
    }

    /// The TLS handler for one new connection; `verdict` learns which validator is on the
    /// other end, or why it was refused.
    func handler(
        identity: PeerIdentity, expectedPeer: IdentityID?, verdict: PeerTLSVerdict
    ) throws -> NIOSSLHandler {
        let verify: NIOSSLCustomVerificationCallback = { certificates, promise in
            let result: Result<IdentityID, PeerCertificateProblem>
            do {
                // The leaf comes first; anything after it is ignored (no chains, no CAs).
                let leaf = try certificates.first?.toDERBytes()
                result = identity.validator(presenting: leaf, expected: expectedPeer)
            } catch {
                result = .failure(PeerCertificateProblem("certificate cannot be re-encoded as DER: \(error)"))
            }
            verdict.record(result)
            promise.succeed(result.isSuccess ? .certificateVerified : .failed)
        }
        if expectedPeer == nil {
            return NIOSSLServerHandler(context: server, customVerificationCallback: verify)
        }
        return try NIOSSLClientHandler(context: client, serverHostname: nil, customVerificationCallback: verify)
    }
}

/// What the TLS verification of one connection decided, read by `PeerConnectionHandler`
/// once the handshake completes (or fails).
final class PeerTLSVerdict: Sendable {
    private let box = P2PLockedBox<Result<IdentityID, PeerCertificateProblem>?>(nil)

    func record(_ result: Result<IdentityID, PeerCertificateProblem>) { box.withLock { $0 = result } }

    /// The validator whose certificate was accepted, if one was.
    var peer: IdentityID? {
        if case .success(let id) = box.current { return id }
        return nil
    }

    /// Why the peer's certificate was refused, if it was.
    var refusal: PeerCertificateProblem? {
        if case .failure(let problem) = box.current { return problem }
        return nil
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
