import Foundation
@testable import MedLedgerFHIRGateway

/// What the FHIR gateway and `fhir import` read from outside: a JSON body or file, parsed
/// whole, then planned as a transaction Bundle (urn:uuid references, entries contained in
/// their report) or taken in as a report (patient, category, title, date, identifiers), and
/// the import's conditional-create rewriting. Every refusal is a FHIRProblem with a 4xx
/// status; nothing traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFHIRBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let value = try FHIRValue.parse(bytes)
        _ = value.encoded()
        _ = FHIRImport.conditional(value)
        if value.resourceType == "Bundle" {
            _ = try TransactionPlan(value)
        } else {
            _ = try ReportIntake.prepare(value)
        }
    } catch {
        precondition((400..<500).contains(error.status), "a bad body is a 4xx, got \(error.status)")
    }
    return 0
}
