import Foundation
import MedLedgerCore

/// Genesis JSON as `Genesis.load` reads it from a file an operator was handed: decoding and
/// `problem()` throw or answer, never trap; a genesis without a problem yields its validator
/// set and hash and survives a JSON round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGenesis(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(UnsafeBufferPointer(start: $0, count: size)) } ?? Data()
    guard let genesis = try? Genesis.decode(json: bytes) else { return 0 }
    _ = genesis.genesisTime.description
    guard genesis.problem() == nil else { return 0 }
    _ = genesis.validatorSet
    _ = genesis.hash
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let again = try! Genesis.decode(json: try! encoder.encode(genesis))
    precondition(again == genesis, "genesis JSON does not round-trip")
    return 0
}
