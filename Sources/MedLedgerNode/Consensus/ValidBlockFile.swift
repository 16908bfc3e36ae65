import Foundation
import MedLedgerCore
import MedLedgerStorage

/// The block of the state machine's valid value, on disk. The persisted consensus state names
/// the valid value only by hash; without its block a restarted validator that must re-propose
/// it (line 16: a proposer with a valid value re-proposes it) could not, and if it is locked on
/// that value it prevotes nil on every other block, so with a Byzantine validator that will not
/// help the others form a polka, the height stalls (simulation seed 7000195, chaos, found it).
/// Tendermint keeps proposal block parts in its write-ahead log for the same reason.
///
/// Written (fsync + rename) only when the valid value changes, about once per height. A file
/// that cannot be read is ignored: it only helps liveness, the signer guards safety.
struct ValidBlockFile {
    let url: URL
    private(set) var block: Block?

    init(url: URL) {
        self.url = url
        guard let data = FileManager.default.contents(atPath: url.path) else { return }
        block = try? Self.decode(Array(data))
    }

    /// Keeps `block` as the valid value's block (nothing to do when it already is).
    mutating func keep(_ block: Block) throws {
        guard block.hash != self.block?.hash else { return }
        var encoder = CanonicalEncoder(capacity: block.encodedBody.count + 1_100)
        encoder.write(bytes: block.header.canonicalBytes)
        encoder.write(bytes: block.encodedBody)
        do {
            try DurableFile.replace(url, with: encoder.bytes)
        } catch {
            throw NodeError(
                .internalFailure, field: "consensus-valid-block.bin", "cannot replace \(url.path): \(error)")
        }
        self.block = block
    }

    private static func decode(_ bytes: [UInt8]) throws -> Block? {
        var decoder = CanonicalDecoder(bytes)
        let header = try BlockHeader.decode(
            canonical: decoder.readBytes("header", maxCount: Limits.blockHeaderMaxBytes))
        let body = try decoder.readBytes("body", maxCount: Limits.blockMaxBytes)
        try decoder.finish()
        let (lastCommit, transactions) = try Block.decodeBody(body)
        // Block.init traps on this; a damaged file must not.
        guard (lastCommit == nil) == (header.height == 1) else { return nil }
        return Block(header: header, lastCommit: lastCommit, transactions: transactions)
    }
}
