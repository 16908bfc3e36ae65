import Crypto
import Foundation
import MedLedgerCore
import NIOSSL
import SwiftASN1
import X509

/// HTTPS for the API (`node start --tls-cert FILE --tls-key FILE`). Unlike peer links, the
/// API speaks to standard clients (curl, EHR integration engines, browsers), so it takes any
/// PEM certificate chain and key an operator brings, accepts TLS 1.2 and 1.3, and asks for no
/// client certificate: callers are authenticated by their signed requests, not by TLS.
public enum APITLS {
    /// The server configuration for a PEM certificate chain (leaf first) and PEM private key.
    /// - Throws: `NodeError` naming the file that cannot be read or used.
    public static func serverConfiguration(certificateFile: String, keyFile: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateFile) } catch {
            throw NodeError(.invalid, field: "tls-cert", "\(certificateFile) is not a PEM certificate: \(error)")
        }
        guard !chain.isEmpty else {
            throw NodeError(.invalid, field: "tls-cert", "\(certificateFile) holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
            throw NodeError(.invalid, field: "tls-key", "\(keyFile) is not a PEM private key: \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// A new self-signed certificate and key (ECDSA P-256, which every TLS client accepts)
    /// for the API at `hosts` (IP addresses or DNS names), as PEM. For test networks and for a
    /// consortium that pins its nodes' certificates rather than using a public CA.
    /// - Throws: an error from swift-certificates if the certificate cannot be built.
    public static func makeSelfSignedPEM(
        hosts: [String], organization: String = "MedLedger node", now: Date = Date(), validityDays: Int = 825
    ) throws -> (certificate: String, privateKey: String) {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            OrganizationName(organization)
            CommonName(hosts.first ?? "localhost")
        }
        let names = hosts.map { host -> GeneralName in
            if let address = IPv4Address(host) { return .ipAddress(ASN1OctetString(contentBytes: address.bytes[...])) }
            return .dnsName(host)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: certificateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3_600),
            notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                // Its own trust anchor, as `openssl req -x509` makes one: BoringSSL accepts a
                // pinned self-signed certificate as a root only when it may sign certificates.
                // Path length 0: it can vouch for no intermediate.
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: certificateKey)
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }
}

/// Dotted IPv4 text to its four bytes, for the certificate's IP address names.
private struct IPv4Address {
    let bytes: [UInt8]
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes = [UInt8]()
        for part in parts {
            guard part.count <= 3, let byte = UInt8(part) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }
}
