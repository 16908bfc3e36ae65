import Foundation
@testable import MedLedgerAPI
import MedLedgerCore

/// What the FHIR facade reads from outside before any ledger lookup: a search's query string
/// (parsed strictly against each resource type's parameters, then its dates, tokens and
/// patient read as the searches do) and the token endpoint's client assertion (a compact
/// JWS, parsed and its claims checked). Every refusal is a FHIRFailure (4xx) or an OAuth
/// error; nothing traps.
///
/// Input layout: byte 0 picks what (even: a query, odd: an assertion), the rest is the text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFHIRInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let selector = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    if selector % 2 == 0 {
        for spec in FHIRCapabilities.resources {
            do {
                let query = try FHIRQuery(rawQuery: text, supported: spec.parameterNames, includes: Set(spec.includes))
                _ = query.dateMatches(ConsensusTime(milliseconds: 1_800_000_000_000))
                _ = query.isBeforeEveryDateMatch(ConsensusTime(milliseconds: 0))
                _ = query.tokenMatches("status", [(nil, "final")])
                _ = try? query.patient()
                _ = try query.single("target")
            } catch let failure as FHIRFailure {
                precondition(failure.status.code >= 400 && failure.status.code < 500, "a bad query is a 4xx")
            } catch {
                preconditionFailure("a bad query must be a FHIRFailure, got \(error)")
            }
        }
    } else {
        do {
            _ = try FHIRAuth.parse(
                assertion: text, audience: "http://127.0.0.1:8080/fhir/auth/token", now: 1_800_000_000_000)
        } catch {
            precondition(error.status.code == 400, "a bad assertion is a 400, got \(error.status)")
        }
    }
    return 0
}
