import Crypto
import Foundation
import MedLedgerCore
@testable import MedLedgerP2P
import SwiftASN1
import Testing
import X509

/// The certificate check that decides who is on the other end of a peer link, without
/// sockets: only a self-signed Ed25519 certificate whose key is a genesis validator's passes.
@Suite("Peer certificates")
struct PeerCertificateTests {
    let keys = (0..<3).map { IdentityKeys.deterministic(seed: "p2p-cert-\($0)") }
    var genesis: Genesis { P2PCluster.genesis(validators: keys) }

    func identity(_ index: Int) -> PeerIdentity {
        PeerIdentity(
            chainID: P2PCluster.chainID, genesisHash: genesis.hash, validators: genesis.validatorSet,
            keys: keys[index])
    }

    static func der(_ pem: String) throws -> [UInt8] { try PEMDocument(pemString: pem).derBytes }

    @Test func validatorCertificateCarriesItsGenesisKey() throws {
        let der = try Self.der(PeerCertificate.makePEM(keys: keys[1]))
        #expect(try PeerCertificate.signingKey(der: der).get() == keys[1].publicSigningKey)
        #expect(try identity(0).validator(presenting: der, expected: nil).get() == keys[1].identityID)
        #expect(try identity(0).validator(presenting: der, expected: keys[1].identityID).get() == keys[1].identityID)
        #expect(PeerCertificate.problem(pem: try PeerCertificate.makePEM(keys: keys[1]), keys: keys[1]) == nil)
    }

    @Test func strangersOwnAndUnexpectedPeersAreRefused() throws {
        let stranger = IdentityKeys.deterministic(seed: "p2p-cert-stranger")
        let strangerDER = try Self.der(PeerCertificate.makePEM(keys: stranger))
        let refusal = identity(0).validator(presenting: strangerDER, expected: nil)
        #expect(refusal.problem?.description.contains("is not a validator of the genesis") == true)
        let own = try Self.der(PeerCertificate.makePEM(keys: keys[0]))
        #expect(identity(0).validator(presenting: own, expected: nil).problem?.description == "connected to itself")
        let second = try Self.der(PeerCertificate.makePEM(keys: keys[2]))
        let unexpected = identity(0).validator(presenting: second, expected: keys[1].identityID)
        #expect(unexpected.problem?.description.hasPrefix("dialed \(keys[1].identityID)") == true)
        #expect(
            identity(0).validator(presenting: nil, expected: nil).problem?.description == "no certificate presented")
        #expect(identity(0).validator(presenting: [0x30, 0x03, 1, 2, 3], expected: nil).problem != nil)
        #expect(PeerCertificate.problem(pem: try PeerCertificate.makePEM(keys: keys[1]), keys: keys[0]) != nil)
    }

    /// A P-256 certificate is refused even when well formed: peer keys are Ed25519 only.
    @Test func nonEd25519CertificateIsRefused() throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("not a validator") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: key.publicKey, notValidBefore: Date(),
            notValidAfter: Date().addingTimeInterval(3_600), issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: .init(), issuerPrivateKey: key)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let problem = PeerCertificate.signingKey(der: serializer.serializedBytes).problem
        #expect(problem?.description.contains("not Ed25519") == true)
    }

    /// A certificate for a validator's key but signed by another key is refused: the
    /// certificate must be the validator's own.
    @Test func certificateNotSignedByItsKeyIsRefused() throws {
        let forger = Certificate.PrivateKey(IdentityKeys.deterministic(seed: "p2p-cert-forger").signing)
        let name = try DistinguishedName { CommonName("forged") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: Certificate.PublicKey(keys[1].signing.publicKey),
            notValidBefore: Date(), notValidAfter: Date().addingTimeInterval(3_600), issuer: name, subject: name,
            signatureAlgorithm: .ed25519, extensions: .init(), issuerPrivateKey: forger)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let problem = PeerCertificate.signingKey(der: serializer.serializedBytes).problem
        #expect(problem?.description == "certificate is not signed by its own key")
    }

    @Test func helloNamesTheChain() throws {
        let hello = identity(1).hello
        #expect(try PeerHello.decode(canonical: hello.canonicalBytes) == hello)
        #expect(identity(0).problem(with: hello) == nil)
        let other = PeerHello(chainID: "other-chain", genesisHash: genesis.hash)
        #expect(identity(0).problem(with: other) == "wrong chain id other-chain, expected \(P2PCluster.chainID)")
        let otherGenesis = PeerHello(chainID: P2PCluster.chainID, genesisHash: Hash256.of([1]))
        #expect(identity(0).problem(with: otherGenesis)?.hasPrefix("wrong genesis hash") == true)
        #expect(throws: CanonicalDecodingError.self) { try PeerHello.decode(canonical: [0xF1] + hello.canonicalBytes) }
    }
}

extension Result {
    var problem: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
