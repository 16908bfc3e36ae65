import Foundation
import MedLedgerClient
import MedLedgerAPIModel
import Testing
import MedLedgerCore
import MedLedgerNode
import MedLedgerTesting

/// Bad input at the node's front door: refused with a named field and a stable code, and
/// nothing committed changes.
@Suite struct MempoolTests {
    func registerPatient(_ net: TestNode, _ patient: ClientIdentity) async throws {
        let tx = await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys)))
        #expect(try await net.commit(tx).code == .ok)
    }

    @Test func badSignatureIsRefusedBeforeABlock() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patient = TestNode.person("patient")
        let tx = await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys)))
        var bytes = tx.encoded
        bytes[bytes.count - 1] ^= 0x01
        let forged = try Transaction.decode(bytes)
        await #expect { try await net.node.submit(forged) } throws: { error in
            let nodeError = try #require(error as? NodeError)
            return nodeError.code == .badSignature && nodeError.field == "tx.signature"
        }
        #expect(await net.node.pendingCount == 0)
        #expect(await net.node.identity(patient.id) == nil)
    }

    @Test func replayedTransactionIsRefused() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patient = TestNode.person("patient")
        try await registerPatient(net, patient)
        let guardian = TestNode.person("guardian")
        try await registerPatient(net, guardian)
        let tx = await net.transaction(patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true)))
        #expect(try await net.commit(tx).code == .ok)
        let appHash = await net.node.appHash
        await #expect { try await net.node.submit(tx) } throws: { error in
            (error as? NodeError)?.kind == .conflict
        }
        // A fresh signature over the same nonce is refused as stale too.
        let resigned = await net.transaction(
            patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true)),
            nonce: tx.nonce)
        await #expect { try await net.node.submit(resigned) } throws: { error in
            (error as? NodeError)?.code == .staleNonce
        }
        try await net.seal()
        #expect(await net.node.appHash == appHash)
    }

    @Test func unknownSignerAndWrongChainAreRefused() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let stranger = TestNode.person("stranger")
        let tx = await net.transaction(stranger, .setGuardian(SetGuardian(guardian: net.lab.id, isGuardian: true)))
        await #expect { try await net.node.submit(tx) } throws: { error in
            (error as? NodeError)?.code == .unknownSigner
        }
        let otherChain = Transaction(
            chainID: "another-chain", signer: net.hospital.id, keys: net.hospital.keys, nonce: 1,
            payload: .registerPatient(RegisterPatient(keys: stranger.keys)))
        await #expect { try await net.node.submit(otherChain) } throws: { error in
            (error as? NodeError)?.code == .wrongChain
        }
    }

    @Test func oversizedTransactionBytesAreRefusedByTheDecoder() {
        let bytes = [UInt8](repeating: 0, count: Limits.transactionMaxBytes + 1)
        #expect(throws: CanonicalDecodingError.self) { try Transaction.decode(bytes) }
    }

    @Test func signerNoncesAreOrderedInOneBlock() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patient = TestNode.person("patient")
        try await registerPatient(net, patient)
        let first = await net.transaction(patient, .setGuardian(SetGuardian(guardian: net.lab.id, isGuardian: false)))
        try await net.node.submit(first)
        let second = await net.transaction(patient, .setGuardian(SetGuardian(guardian: net.lab.id, isGuardian: false)))
        #expect(second.nonce == first.nonce.next)
        try await net.node.submit(second)
        let block = try await net.seal()
        #expect(block.transactions.map(\.hash) == [first.hash, second.hash])
    }
}
