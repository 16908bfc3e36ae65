import MedLedgerCore

/// Block headers as peers send them: decoding throws, never traps; an accepted header
/// re-encodes to the same bytes and can be hashed and printed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlockHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let header = try? BlockHeader.decode(canonical: bytes) else { return 0 }
    precondition(header.canonicalBytes == bytes, "accepted a non-canonical header")
    _ = header.hash
    _ = header.time.description
    return 0
}
