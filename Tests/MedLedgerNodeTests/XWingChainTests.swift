import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode
import MedLedgerTesting
import MedLedgerVerifier
import Testing

/// ADR 11 on disk: a chain holding X-Wing keys (extended form) in its transactions and state
/// is stored, and `verify` re-executes it from genesis to the same roots.
@Suite struct XWingChainTests {
    @Test func aChainWithXWingIdentitiesVerifies() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patient = ClientIdentity(label: "pq", keys: .deterministic(seed: "pq-patient", suite: .xwing))
        let register = await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys)), nonce: 1)
        #expect(try await net.commit(register).code == .ok)
        #expect(await net.node.identity(patient.id)?.encryptionKey == patient.keys.publicEncryptionKey)

        // Rotating to an X25519 key and back to X-Wing: the suite changes with the key.
        let classical = IdentityKeys.deterministic(seed: "pq-patient-2")
        let toClassical = await net.transaction(patient, .rotateKeys(RotateKeys(newKeys: classical)))
        #expect(try await net.commit(toClassical).code == .ok)
        #expect(await net.node.identity(patient.id)?.encryptionKey.suite == .x25519)
        let rotated = ClientIdentity(label: "pq", id: patient.id, keys: classical)
        let quantumSafe = IdentityKeys.deterministic(seed: "pq-patient-3", suite: .xwing)
        let back = await net.transaction(rotated, .rotateKeys(RotateKeys(newKeys: quantumSafe)))
        #expect(try await net.commit(back).code == .ok)
        #expect(await net.node.identity(patient.id)?.encryptionKey == quantumSafe.publicEncryptionKey)

        _ = try await net.seal()
        _ = try LedgerVerifier(directory: net.directory).verify()
    }
}
