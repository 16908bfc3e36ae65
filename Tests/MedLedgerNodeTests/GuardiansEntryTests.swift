import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode
import MedLedgerStorage
import MedLedgerTesting
import MedLedgerVerifier
import Testing

/// The guardians entry (`0x07 ‖ patient`) on disk: written, emptied (removed), written again;
/// `verify` re-executes the chain to the same entries, and a restarted node loads them.
@Suite struct GuardiansEntryTests {
    @Test func guardiansEntryIsStoredRemovedVerifiedAndReloaded() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patient = TestNode.person("patient")
        let first = TestNode.person("first guardian")
        let second = TestNode.person("second guardian")
        for person in [patient, first, second] {
            let register = await net.transaction(person, .registerPatient(RegisterPatient(keys: person.keys)))
            #expect(try await net.commit(register).code == .ok)
        }
        for (guardian, isGuardian) in [(first, true), (second, true), (first, false), (second, false), (second, true)] {
            let tx = await net.transaction(
                patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: isGuardian)))
            #expect(try await net.commit(tx).code == .ok)
        }
        #expect(await net.node.guardians(ofPatient: patient.id).guardians == [second.id])
        #expect(await net.node.speaksFor(patient: patient.id, caller: second.id))
        #expect(await !net.node.speaksFor(patient: patient.id, caller: first.id))
        _ = try await net.seal()
        _ = try LedgerVerifier(directory: net.directory).verify()

        let appHash = await net.node.appHash
        let restarted = try LedgerNode(dataDirectory: net.directory)
        #expect(await restarted.appHash == appHash)
        #expect(await restarted.guardians(ofPatient: patient.id).guardians == [second.id])
    }
}
