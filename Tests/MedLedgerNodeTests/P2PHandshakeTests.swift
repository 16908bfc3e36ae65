import MedLedgerCore
@testable import MedLedgerNode
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

    @Test func validatorsAuthenticateEachOther() {
        let aliceNonce = PeerHello.randomNonce(), bobNonce = PeerHello.randomNonce()
        let aliceHello = identity(alice).hello(nonce: aliceNonce), bobHello = identity(bob).hello(nonce: bobNonce)
        #expect(identity(alice).problem(with: bobHello, expected: bob.identityID) == nil)
        #expect(identity(bob).problem(with: aliceHello, expected: nil) == nil)
        let bobAuth = identity(bob).auth(answering: aliceHello)
        #expect(identity(alice).problem(with: bobAuth, from: bobHello, ourNonce: aliceNonce) == nil)
        // Replayed on a connection with a different nonce, the same auth fails.
        #expect(identity(alice).problem(with: bobAuth, from: bobHello, ourNonce: PeerHello.randomNonce()) != nil)
    }

    @Test func refusesStrangersImpostorsAndOtherChains() throws {
        let nonce = PeerHello.randomNonce()
        let stranger = identity(mallory).hello(nonce: nonce)
        #expect(identity(alice).problem(with: stranger, expected: nil)?.contains("not a validator") == true)
        // Claims bob's id with mallory's key.
        let impostor = PeerHello(chainID: P2PCluster.chainID, genesisHash: genesis.hash, nodeID: bob.identityID,
                                 signingKey: mallory.publicSigningKey, nonce: nonce)
        #expect(identity(alice).problem(with: impostor, expected: nil)?.contains("does not hash") == true)
        let otherChain = identity(bob, chainID: "other-chain").hello(nonce: nonce)
        #expect(identity(alice).problem(with: otherChain, expected: nil)?.contains("wrong chain id") == true)
        #expect(identity(alice).problem(with: identity(alice).hello(nonce: nonce), expected: nil) == "connected to itself")
        #expect(identity(alice).problem(with: identity(bob).hello(nonce: nonce), expected: mallory.identityID) != nil)
        // A signature by the wrong key over the right message.
        let forged = PeerAuth(signature: mallory.sign(PeerIdentity.authMessage(
            chainID: P2PCluster.chainID, genesisHash: genesis.hash, nonce: nonce, signer: bob.identityID)))
        #expect(identity(alice).problem(with: forged, from: identity(bob).hello(nonce: PeerHello.randomNonce()),
                                        ourNonce: nonce) == "bad handshake signature")
        #expect(try PeerHello.decode(canonical: stranger.canonicalBytes) == stranger)
        #expect(throws: CanonicalDecodingError.self) { try PeerHello.decode(canonical: forged.canonicalBytes) }
    }
}
