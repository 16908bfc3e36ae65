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
/// Written (in place, see `AlternatingSlotFile`) only when the valid value changes, about
/// once per height. A file that cannot be read is ignored: it only helps liveness, the signer
/// guards safety.
struct ValidBlockFile {
    /// A header and a body, each with its length.
    static let maxRecordBytes = Limits.blockHeaderMaxBytes + Limits.blockMaxBytes + 16
    let url: URL
    private(set) var block: Block?
    private var record: AlternatingSlotFile?

    init(url: URL) {
        self.url = url
        record = try? AlternatingSlotFile(url: url, maxRecordBytes: Self.maxRecordBytes)
        switch record?.contents {
        case .record(let bytes)?, .other(let bytes)?: block = try? Self.decode(bytes)
        case .absent?, nil: break
        }
    }

    /// Keeps `block` as the valid value's block (nothing to do when it already is).
    mutating func keep(_ block: Block) throws {
        guard block.hash != self.block?.hash else { return }
        var encoder = CanonicalEncoder(capacity: block.encodedBody.count + 1_100)
        encoder.write(bytes: block.header.canonicalBytes)
        encoder.write(bytes: block.encodedBody)
        do {
            // A file that could not be read is started afresh rather than written into.
            if record == nil {
                try? FileManager.default.removeItem(at: url)
                record = try AlternatingSlotFile(url: url, maxRecordBytes: Self.maxRecordBytes)
            }
            try record?.write(encoder.bytes)
        } catch {
            throw NodeError(
                .internalFailure, field: "consensus-valid-block.bin", "cannot write \(url.path): \(error)")
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
