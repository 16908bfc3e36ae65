import Crypto
import MedLedgerCore

/// The encryption of one authenticated connection: every frame after the handshake is
/// sealed with ChaCha20-Poly1305 under a key of its direction, with the frame's sequence
/// number as the nonce. A relay between two validators can drop frames but can neither read,
/// change, reorder, replay nor inject one (the next frame would fail to open).
///
/// The keys come from an X25519 agreement of the two ephemeral keys in the hellos, expanded
/// by HKDF-SHA256 with the handshake transcript as salt, so they belong to this connection
/// and to no other (see `docs/spec/p2p.md`).
struct PeerSession {
    static let tagBytes = 16
    private static let keyInfoDialer = Array("medledger/p2p/v2 dialer to listener".utf8)
    private static let keyInfoListener = Array("medledger/p2p/v2 listener to dialer".utf8)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let sendKey: SymmetricKey
    private let receiveKey: SymmetricKey
    private var sent: UInt64 = 0
    private var received: UInt64 = 0

    /// - Parameters:
    ///   - ephemeral: our ephemeral private key for this connection.
    ///   - peerEphemeral: the peer's ephemeral public key from its hello.
    ///   - transcript: the hash both sides signed.
    ///   - isDialer: whether we opened the connection (the two directions use distinct keys).
    init(
        ephemeral: Curve25519.KeyAgreement.PrivateKey, peerEphemeral: PublicEncryptionKey, transcript: Hash256,
        isDialer: Bool
    ) throws {
        let peerKey: Curve25519.KeyAgreement.PublicKey
        do { peerKey = try .init(rawRepresentation: peerEphemeral.rawBytes) } catch {
            throw Failure(description: "peer ephemeral key: \(error)")
        }
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: peerKey)
        func key(_ info: [UInt8]) -> SymmetricKey {
            shared.hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: transcript.bytes, sharedInfo: info, outputByteCount: 32)
        }
        let dialerKey = key(Self.keyInfoDialer)
        let listenerKey = key(Self.keyInfoListener)
        sendKey = isDialer ? dialerKey : listenerKey
        receiveKey = isDialer ? listenerKey : dialerKey
    }

    /// Seals the next outbound frame payload.
    mutating func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        let nonce = try Self.nonce(sent)
        sent += 1
        let box = try ChaChaPoly.seal(plaintext, using: sendKey, nonce: nonce)
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// Opens the next inbound frame payload; throws for anything not sealed by the peer as
    /// its next frame.
    mutating func open(_ sealed: [UInt8]) throws -> [UInt8] {
        guard sealed.count >= Self.tagBytes else { throw Failure(description: "frame shorter than its tag") }
        let nonce = try Self.nonce(received)
        received += 1
        do {
            let box = try ChaChaPoly.SealedBox(
                nonce: nonce, ciphertext: sealed.dropLast(Self.tagBytes),
                tag: sealed.suffix(Self.tagBytes))
            return Array(try ChaChaPoly.open(box, using: receiveKey))
        } catch {
            throw Failure(
                description: "frame \(received - 1) does not open: not sealed by the peer for this connection")
        }
    }

    /// 4 zero bytes, then the sequence number big-endian. The last number is never used, so
    /// a nonce cannot repeat (a connection would need 2^64 frames to get there).
    private static func nonce(_ sequence: UInt64) throws -> ChaChaPoly.Nonce {
        guard sequence < .max else { throw Failure(description: "frame sequence exhausted") }
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[4 + index] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64(index))) }
        return try ChaChaPoly.Nonce(data: bytes)
    }
}
