import Crypto
import MedLedgerCore
@testable import MedLedgerP2P
import Testing

@Suite("P2P handshake checks")
struct P2PHandshakeTests {
    let alice = IdentityKeys.deterministic(seed: "p2p-hs-alice")
    let bob = IdentityKeys.deterministic(seed: "p2p-hs-bob")
    let mallory = IdentityKeys.deterministic(seed: "p2p-hs-mallory")

    var genesis: Genesis { P2PCluster.genesis(validators: [alice, bob]) }

    func identity(_ keys: IdentityKeys, chainID: String = P2PCluster.chainID) -> PeerIdentity {
        PeerIdentity(chainID: chainID, genesisHash: genesis.hash, validators: genesis.validatorSet, keys: keys)
    }

    /// A fresh ephemeral key pair, as a connection makes one.
    func ephemeral() -> (Curve25519.KeyAgreement.PrivateKey, PublicEncryptionKey) {
        let key = Curve25519.KeyAgreement.PrivateKey()
        return (key, PublicEncryptionKey(rawBytes: Array(key.publicKey.rawRepresentation))!)
    }

    func hello(_ keys: IdentityKeys, _ ephemeralKey: PublicEncryptionKey) -> PeerHello {
        identity(keys).hello(nonce: PeerHello.randomNonce(), ephemeralKey: ephemeralKey)
    }

    func transcript(dialer: PeerHello, listener: PeerHello) -> Hash256 {
        PeerIdentity.transcript(
            chainID: P2PCluster.chainID, genesisHash: genesis.hash, dialer: dialer, listener: listener)
    }

    @Test func validatorsAuthenticateEachOtherAndShareSessionKeys() throws {
        let (aliceEphemeral, alicePublic) = ephemeral()
        let (bobEphemeral, bobPublic) = ephemeral()
        let aliceHello = hello(alice, alicePublic)
        let bobHello = hello(bob, bobPublic)
        #expect(identity(alice).problem(with: bobHello, expected: bob.identityID) == nil)
        #expect(identity(bob).problem(with: aliceHello, expected: nil) == nil)
        // Alice dials, Bob listens: both compute the same transcript.
        let seen = transcript(dialer: aliceHello, listener: bobHello)
        let bobAuth = identity(bob).auth(transcript: seen)
        #expect(identity(alice).problem(with: bobAuth, from: bobHello, transcript: seen) == nil)
        // The same auth on another connection (another transcript) fails.
        let other = transcript(dialer: hello(alice, alicePublic), listener: bobHello)
        #expect(identity(alice).problem(with: bobAuth, from: bobHello, transcript: other) != nil)

        var aliceSession = try PeerSession(
            ephemeral: aliceEphemeral, peerEphemeral: bobPublic, transcript: seen, isDialer: true)
        var bobSession = try PeerSession(
            ephemeral: bobEphemeral, peerEphemeral: alicePublic, transcript: seen, isDialer: false)
        let sealed = try aliceSession.seal([1, 2, 3])
        #expect(sealed != [1, 2, 3] && sealed.count == 3 + PeerSession.tagBytes)
        #expect(try bobSession.open(sealed) == [1, 2, 3])
        #expect(try aliceSession.open(try bobSession.seal([4])) == [4])
        // A replayed frame, a changed frame or a frame reflected back to its sender does not open.
        #expect(throws: PeerSession.Failure.self) { try bobSession.open(sealed) }
        var tampered = try aliceSession.seal([5])
        tampered[0] ^= 1
        #expect(throws: PeerSession.Failure.self) { try bobSession.open(tampered) }
        var aliceAgain = try PeerSession(
            ephemeral: aliceEphemeral, peerEphemeral: bobPublic, transcript: seen, isDialer: true)
        let own = try aliceAgain.seal([6])
        #expect(throws: PeerSession.Failure.self) { try aliceAgain.open(own) }
    }

    /// Issue 6.3: an outsider connects to Alice claiming to be Bob and to Bob claiming to be
    /// Alice, and relays each side's hello and auth to the other. Both real nodes listen, so
    /// each signs a transcript with itself as listener; the transcripts differ and neither
    /// relayed signature verifies.
    @Test func reflectedHandshakeFails() {
        let (_, alicePublic) = ephemeral()
        let (_, bobPublic) = ephemeral()
        let aliceHello = hello(alice, alicePublic)
        let bobHello = hello(bob, bobPublic)
        // Alice believes Bob dialed her; Bob believes Alice dialed him.
        let aliceTranscript = transcript(dialer: bobHello, listener: aliceHello)
        let bobTranscript = transcript(dialer: aliceHello, listener: bobHello)
        #expect(aliceTranscript != bobTranscript)
        let bobAuth = identity(bob).auth(transcript: bobTranscript)
        let aliceAuth = identity(alice).auth(transcript: aliceTranscript)
        #expect(
            identity(alice).problem(with: bobAuth, from: bobHello, transcript: aliceTranscript)
                == "bad handshake signature")
        #expect(
            identity(bob).problem(with: aliceAuth, from: aliceHello, transcript: bobTranscript)
                == "bad handshake signature")
    }

    @Test func refusesStrangersImpostorsAndOtherChains() throws {
        let (_, key) = ephemeral()
        let stranger = hello(mallory, key)
        #expect(identity(alice).problem(with: stranger, expected: nil)?.contains("not a validator") == true)
        // Claims bob's id with mallory's key.
        let impostor = PeerHello(
            chainID: P2PCluster.chainID, genesisHash: genesis.hash, nodeID: bob.identityID,
            signingKey: mallory.publicSigningKey, nonce: PeerHello.randomNonce(), ephemeralKey: key)
        #expect(identity(alice).problem(with: impostor, expected: nil)?.contains("does not hash") == true)
        let otherChain = identity(bob, chainID: "other-chain").hello(nonce: PeerHello.randomNonce(), ephemeralKey: key)
        #expect(identity(alice).problem(with: otherChain, expected: nil)?.contains("wrong chain id") == true)
        #expect(identity(alice).problem(with: hello(alice, key), expected: nil) == "connected to itself")
        #expect(identity(alice).problem(with: hello(bob, key), expected: mallory.identityID) != nil)
        // A signature by the wrong key over the right message.
        let bobHello = hello(bob, key)
        let seen = transcript(dialer: hello(alice, key), listener: bobHello)
        let forged = PeerAuth(
            signature: mallory.sign(PeerIdentity.authMessage(transcript: seen, signer: bob.identityID)))
        #expect(identity(alice).problem(with: forged, from: bobHello, transcript: seen) == "bad handshake signature")
        #expect(try PeerHello.decode(canonical: stranger.canonicalBytes) == stranger)
        #expect(throws: CanonicalDecodingError.self) { try PeerHello.decode(canonical: forged.canonicalBytes) }
    }
}
