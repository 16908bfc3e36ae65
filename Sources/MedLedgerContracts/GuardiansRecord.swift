import MedLedgerCore

/// The identities a patient named to act on the patient's behalf, sorted by id. State entry
/// `0x07 ‖ patient id`, apart from the identity record: the identity's proof is public, and
/// who looks after whom is not. The entry is absent while the list is empty.
public struct GuardiansRecord: Hashable, Sendable, CanonicalCodable {
    public let guardians: [IdentityID]

    public init(_ guardians: [IdentityID] = []) {
        precondition(guardians.count <= Limits.guardiansMaxCount, "at most \(Limits.guardiansMaxCount) guardians")
        self.guardians = Array(Set(guardians)).sorted()
    }

    public func contains(_ id: IdentityID) -> Bool { guardians.contains(id) }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(array: guardians) }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guardians = try decoder.readArray(IdentityID.self, "guardians", maxCount: Limits.guardiansMaxCount)
    }
}
