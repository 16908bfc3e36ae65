import MedLedgerCore

/// Transaction payloads on their own (every contract call's body): decoding throws, never
/// traps, and whatever decodes re-encodes to the same bytes (one encoding per value).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayload(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard bytes.count <= Limits.transactionMaxBytes,
        let payload = try? TransactionPayload.decode(canonical: bytes)
    else { return 0 }
    precondition(payload.canonicalBytes == bytes, "accepted a non-canonical payload")
    _ = payload.typeName
    return 0
}
