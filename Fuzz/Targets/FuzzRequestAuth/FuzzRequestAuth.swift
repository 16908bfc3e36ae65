import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerAPIModel

/// One registered, active caller; requests are checked as the API does at `now`.
let fixture: (record: IdentityRecord, chainID: String, now: WallClockTime) = {
    let keys = IdentityKeys.deterministic(seed: "fuzz-caller")
    let record = IdentityRecord(
        id: keys.identityID, kind: .patient, signingKey: keys.publicSigningKey,
        encryptionKey: keys.publicEncryptionKey, organization: nil, roles: [],
        registeredAt: 1)
    return (record, "fuzz-chain", WallClockTime(milliseconds: 1_800_000_000_000))
}()

/// The signed-request headers and what they sign, as the server side sees them:
/// `RequestAuthentication.credentials` (parsing) and `check` (skew, identity, signature)
/// throw `NodeError`, never trap, on any header text.
///
/// Input layout: fields separated by 0x00 — identity, timestamp, signature, method,
/// path-and-query, body. A missing header field is an absent header.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestAuth(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let fields = bytes.split(separator: 0, maxSplits: 5, omittingEmptySubsequences: false)
    func text(_ index: Int) -> String? {
        index < fields.count ? String(decoding: fields[index], as: UTF8.self) : nil
    }
    let credentials: RequestAuthentication.Credentials?
    do {
        credentials = try RequestAuthentication.credentials(identity: text(0), timestamp: text(1), signature: text(2))
    } catch {
        precondition(error.kind == .unauthenticated, "a bad header is a 401")
        return 0
    }
    guard let credentials else { return 0 }
    let record = credentials.identity == fixture.record.id ? fixture.record : nil
    let body = fields.count > 5 ? Array(fields[5]) : []
    do {
        let caller = try RequestAuthentication.check(
            credentials, record: record, method: text(3) ?? "GET",
            pathAndQuery: text(4) ?? "/", body: body,
            chainID: fixture.chainID, now: fixture.now)
        precondition(caller.id == fixture.record.id)
    } catch {
        precondition(error.kind == .unauthenticated, "a bad signature is a 401")
    }
    return 0
}
