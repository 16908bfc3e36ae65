import Foundation
import MedLedgerCore

/// Key files as `KeyFile.load` reads them: JSON decoding, then `keys()` and `identityID()`,
/// throw on anything malformed, never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(UnsafeBufferPointer(start: $0, count: size)) } ?? Data()
    guard let file = try? KeyFile.decode(json: bytes) else { return 0 }
    if let keys = try? file.keys() {
        let again = KeyFile(label: file.label, keys: keys)
        precondition((try? again.keys().identityID) == keys.identityID, "keys do not round-trip")
    }
    _ = try? file.identityID()
    return 0
}
