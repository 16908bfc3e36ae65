import MedLedgerCore
import MedLedgerP2P

/// Frame payloads from an authenticated peer: `PeerMessage` decoding throws, never traps
/// (it must never reach a precondition of a core type), and what decodes re-encodes to
/// the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeerMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let message = try? PeerMessage.decode(canonical: bytes) else { return 0 }
    _ = message.kind
    if case .transactions(let transactions) = message,
        transactions.count > PeerMessage.maxTransactionsPerMessage
    {
        preconditionFailure("over the batch limit")
    }
    precondition(message.canonicalBytes == bytes, "accepted a non-canonical peer message")
    return 0
}
