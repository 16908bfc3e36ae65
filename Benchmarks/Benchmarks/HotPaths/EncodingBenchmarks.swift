import Benchmark
import MedLedgerCore

/// Canonical encoding and decoding: of one self-registration (about 310 bytes), and of a block
/// body of 1,000 of them, as a node decodes every gossiped block and encodes every stored one.
func encodingBenchmarks(chain: Chain) {
    let registration = Chain.selfRegistrations(count: 1, seed: "encode")[0]
    guard case .registerPatient(let body) = registration.payload else {
        preconditionFailure("the fixture is a self-registration")
    }
    Benchmark("Transaction encode (signing bytes, self-registration)", configuration: quick()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                Transaction.signingBytes(
                    chainID: registration.chainID, signer: registration.signer, signerKey: registration.signerKey,
                    nonce: registration.nonce, payload: .registerPatient(body)))
        }
    }
    Benchmark("Transaction decode (self-registration)", configuration: quick()) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? Transaction.decode(registration.encoded))
        }
    }

    Benchmark("Block body encode (1,000 self-registrations)", configuration: quick()) { benchmark, block in
        for _ in benchmark.scaledIterations {
            blackHole(block.encodedBody)
        }
    } setup: {
        chain.block(Chain.selfRegistrations(count: registrationsPerBlock, seed: "block"))
    }
    Benchmark("Block body decode (1,000 self-registrations)", configuration: quick()) { benchmark, encodedBody in
        for _ in benchmark.scaledIterations {
            blackHole(try? Block.decodeBody(encodedBody))
        }
    } setup: {
        chain.block(Chain.selfRegistrations(count: registrationsPerBlock, seed: "block")).encodedBody
    }
}
