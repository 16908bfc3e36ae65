import Crypto
import Foundation
import MedLedgerCore
import SwiftASN1
import X509

/// A validator's certificate for peer links: self-signed, and its public key IS the
/// validator's Ed25519 signing key from the genesis. Nothing else in it is trusted: peers
/// accept it because that key is in the genesis, never because of a CA, a name or its dates
/// (see `docs/adr/0009-tls-peer-links.md`).
public enum PeerCertificate {
    /// How long a new certificate says it is valid. Peers do not check the dates (trust is the
    /// genesis key, and removing a validator is how it is revoked); the dates are there for
    /// standard tools, which expect them.
    static let validityYears = 30

    /// A new self-signed certificate for `keys`' signing key, as PEM.
    /// - Throws: an error from swift-certificates if the certificate cannot be built.
    public static func makePEM(keys: IdentityKeys, now: Date = Date()) throws -> String {
        let key = Certificate.PrivateKey(keys.signing)
        let name = try DistinguishedName {
            OrganizationName("MedLedger validator")
            CommonName(keys.identityID.hex)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-3_600),
            notValidAfter: now.addingTimeInterval(Double(validityYears) * 365.25 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ed25519,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
            },
            issuerPrivateKey: key)
        return try certificate.serializeAsPEM().pemString
    }

    /// The signing key of `keys` as PKCS#8 DER, the form BoringSSL loads a TLS key from.
    static func privateKeyDER(keys: IdentityKeys) throws -> [UInt8] {
        try Certificate.PrivateKey(keys.signing).serializeAsPEM().derBytes
    }

    /// The validator signing key a certificate carries, or why it carries none: the DER must
    /// parse, the key must be Ed25519, and the certificate must be signed by that same key.
    /// Pure, so it is tested and fuzzed without a socket.
    public static func signingKey(der: [UInt8]) -> Result<PublicSigningKey, PeerCertificateProblem> {
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: der) } catch {
            return .failure(PeerCertificateProblem("certificate does not parse: \(error)"))
        }
        guard let ed25519 = Curve25519.Signing.PublicKey(certificate.publicKey),
            let key = PublicSigningKey(rawBytes: Array(ed25519.rawRepresentation))
        else {
            return .failure(PeerCertificateProblem("certificate key is not Ed25519 (\(certificate.publicKey))"))
        }
        guard certificate.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            return .failure(PeerCertificateProblem("certificate is not signed by its own key"))
        }
        return .success(key)
    }

    /// Why a PEM certificate is not `keys`' peer certificate, or nil when it is.
    public static func problem(pem: String, keys: IdentityKeys) -> String? {
        let document: PEMDocument
        do { document = try PEMDocument(pemString: pem) } catch { return "not a PEM certificate: \(error)" }
        switch signingKey(der: document.derBytes) {
        case .failure(let problem): return problem.description
        case .success(let key):
            return key == keys.publicSigningKey ? nil : "its key is not this node's validator key"
        }
    }
}

/// Why a peer's certificate is refused; the description names the reason.
public struct PeerCertificateProblem: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
