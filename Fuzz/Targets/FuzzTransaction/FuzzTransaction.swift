import MedLedgerCore

/// Canonical transactions as they arrive over HTTP and from peers: `Transaction.decode` must
/// throw, never trap, on any bytes; what it accepts must be canonical (its fields re-encode to
/// exactly the signed bytes) and must be safe to hash and to check the signature of.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTransaction(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let transaction = try? Transaction.decode(bytes) else { return 0 }
    precondition(transaction.encoded == bytes, "a decoded transaction keeps its bytes")
    let resigned = Transaction.signingBytes(
        chainID: transaction.chainID, signer: transaction.signer,
        signerKey: transaction.signerKey, nonce: transaction.nonce,
        payload: transaction.payload)
    precondition(resigned == transaction.signingBytes, "accepted a non-canonical transaction")
    _ = transaction.hasValidSignature
    _ = transaction.hash
    return 0
}
