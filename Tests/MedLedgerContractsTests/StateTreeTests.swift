import Testing
import MedLedgerCore
@testable import MedLedgerContracts

/// The state root by its definition in `docs/spec/contracts.md`, written apart from the tree
/// (plain byte arrays, filtering by bit at each depth) so the two can check each other.
enum ReferenceStateRoot {
    typealias Entry = (path: [UInt8], valueHash: [UInt8])

    static func root(_ entries: [Entry]) -> Hash256 { Hash256(bytes: subtree(entries, depth: 0))! }

    static func root(keysAndValues: [(key: [UInt8], value: [UInt8])]) -> Hash256 {
        root(keysAndValues.map { (Hash256.of($0.key).bytes, Hash256.of($0.value).bytes) })
    }

    private static func subtree(_ entries: [Entry], depth: Int) -> [UInt8] {
        switch entries.count {
        case 0: return [UInt8](repeating: 0, count: 32)
        case 1: return Hash256.of([0x00] + entries[0].path + entries[0].valueHash).bytes
        default:
            let left = entries.filter { !bit($0.path, depth) }
            let right = entries.filter { bit($0.path, depth) }
            return Hash256.of([0x01] + subtree(left, depth: depth + 1) + subtree(right, depth: depth + 1)).bytes
        }
    }

    static func bit(_ path: [UInt8], _ depth: Int) -> Bool { (path[depth / 8] >> (7 - depth % 8)) & 1 == 1 }
}

@Suite struct StateTreeTests {
    /// Grant keys with distinct ids and values, made from a counter.
    static func entries(_ count: Int, salt: UInt8 = 0) -> [(key: StateKey, value: [UInt8])] {
        (0..<count).map { index in
            let id = GrantID(
                bytes: Array(Hash256.of([salt, UInt8(index & 0xff), UInt8(index >> 8)]).bytes.prefix(16)))!
            return (StateKey.grant(id), Array("value \(index) \(salt)".utf8))
        }
    }

    static func reference(_ entries: [(key: StateKey, value: [UInt8])]) -> Hash256 {
        ReferenceStateRoot.root(keysAndValues: entries.map { ($0.key.bytes, $0.value) })
    }

    @Test func theRootIsTheDefinitionsWhateverTheOrderAndBatching() {
        let entries = Self.entries(300)
        var oneBatch = StateTree()
        for entry in entries { oneBatch.update(key: entry.key, value: entry.value) }
        var oneByOne = StateTree()
        for entry in entries.reversed() {
            oneByOne.update(key: entry.key, value: entry.value)
            _ = oneByOne.root()
        }
        var inChunks = StateTree()
        for start in stride(from: 0, to: entries.count, by: 37) {
            for entry in entries[start..<min(start + 37, entries.count)] {
                inChunks.update(key: entry.key, value: entry.value)
            }
            _ = inChunks.root()
        }
        let expected = Self.reference(entries)
        #expect(oneBatch.root() == expected)
        #expect(oneByOne.root() == expected)
        #expect(inChunks.root() == expected)
        var empty = StateTree()
        #expect(empty.root() == Hash256.zero)
    }

    @Test func aTreeBuiltAtOnceHasTheDefinitionsRoot() throws {
        let entries = Self.entries(300)
        let staged = entries.map { (path: $0.key.path, valueHash: SparseMerkle.Digest.of($0.value)) }
        var built = try StateTree.building(staged.reversed())
        #expect(built.root() == Self.reference(entries))
        var empty = try StateTree.building([])
        #expect(empty.root() == Hash256.zero)
        // It goes on like any tree: a change after the build gives the root of the result.
        var changed = entries
        changed[5].value = Array("changed".utf8)
        built.update(key: changed[5].key, value: changed[5].value)
        #expect(built.root() == Self.reference(changed))
    }

    @Test func aTreeBuiltAtOnceRefusesAPathTwice() {
        let entries = Self.entries(10)
        var staged = entries.map { (path: $0.key.path, valueHash: SparseMerkle.Digest.of($0.value)) }
        staged.append((path: staged[3].path, valueHash: SparseMerkle.Digest.of([1])))
        #expect(throws: StateTree.DuplicatePath.self) { try StateTree.building(staged) }
    }

    @Test func changingAndRemovingEntriesGivesTheRootOfWhatRemains() {
        var entries = Self.entries(200)
        var tree = StateTree()
        for entry in entries { tree.update(key: entry.key, value: entry.value) }
        _ = tree.root()
        // Change every third value, remove every second entry, in two blocks.
        for index in stride(from: 0, to: entries.count, by: 3) {
            entries[index].value += [1]
            tree.update(key: entries[index].key, value: entries[index].value)
        }
        _ = tree.root()
        for index in stride(from: 0, to: entries.count, by: 2) { tree.update(key: entries[index].key, value: nil) }
        let remaining = entries.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        #expect(tree.root() == Self.reference(remaining))
        // Removing a key that is not there changes nothing.
        tree.update(key: Self.entries(1, salt: 9)[0].key, value: nil)
        #expect(tree.root() == Self.reference(remaining))
        for entry in remaining { tree.update(key: entry.key, value: nil) }
        #expect(tree.root() == Hash256.zero)
    }

    @Test func everyEntryHasAProofAndNoTamperedProofVerifies() throws {
        let entries = Self.entries(150)
        var tree = StateTree()
        for entry in entries { tree.update(key: entry.key, value: entry.value) }
        let root = tree.root()
        for entry in entries {
            let proof = try #require(tree.proof(for: entry.key))
            let key = entry.key.bytes
            #expect(proof.verifies(key: key, value: entry.value, stateRoot: root))
            #expect(!proof.verifies(key: key, value: entry.value + [0], stateRoot: root))
            #expect(!proof.verifies(key: Self.entries(1, salt: 7)[0].key.bytes, value: entry.value, stateRoot: root))
            var flipped = proof.siblings
            flipped[0] = Hash256(bytes: [flipped[0].bytes[0] ^ 1] + flipped[0].bytes.dropFirst())!
            #expect(!StateProof(siblings: flipped).verifies(key: key, value: entry.value, stateRoot: root))
            #expect(
                !StateProof(siblings: Array(proof.siblings.dropFirst())).verifies(
                    key: key, value: entry.value, stateRoot: root))
            #expect(
                !StateProof(siblings: [.zero] + proof.siblings).verifies(key: key, value: entry.value, stateRoot: root))
            #expect(try StateProof.decode(canonical: proof.canonicalBytes) == proof)
        }
        #expect(tree.proof(for: Self.entries(1, salt: 7)[0].key) == nil)
    }

    /// Paths that share all but their last bit (what an attacker grinding ids would aim for,
    /// at 2^255 times the work) still make a tree of depth 256, a correct root and proofs.
    @Test func pathsSharingLongPrefixesStayBoundedAndCorrect() throws {
        func path(_ last: UInt8, prefixByte: UInt8 = 0xa5) -> [UInt8] {
            [UInt8](repeating: prefixByte, count: 31) + [last]
        }
        let chosen: [[UInt8]] = [path(0xa4), path(0xa5), path(0x00), path(0xff), path(0x80, prefixByte: 0x5a)]
        var tree = StateTree()
        var reference = [ReferenceStateRoot.Entry]()
        for (index, bytes) in chosen.enumerated() {
            let valueHash = Hash256.of([UInt8(index)])
            tree.update(path: SparseMerkle.Digest(Hash256(bytes: bytes)!), valueHash: SparseMerkle.Digest(valueHash))
            reference.append((bytes, valueHash.bytes))
        }
        #expect(tree.root() == ReferenceStateRoot.root(reference))
        // 0xa4 and 0xa5 differ only in the last bit: their leaves sit at depth 256.
        let deepest = try #require(tree.proof(path: SparseMerkle.Digest(Hash256(bytes: chosen[0])!)))
        #expect(deepest.siblings.count == SparseMerkle.maxDepth)
        tree.update(path: SparseMerkle.Digest(Hash256(bytes: chosen[1])!), valueHash: nil)
        #expect(tree.root() == ReferenceStateRoot.root(reference.enumerated().filter { $0.offset != 1 }.map(\.element)))
        // With its twin gone the leaf rises to where it is alone: 0xa4 (1010 0100) shares one
        // more bit with 0xff than with 0x00, so 248 + 1 bits, and it sits at depth 250.
        let risen = try #require(tree.proof(path: SparseMerkle.Digest(Hash256(bytes: chosen[0])!)))
        #expect(risen.siblings.count == 250)
    }

    /// A restart stages every entry at once; the staging must not keep room for all of them,
    /// or each block's copy of the state (a proposal is executed on one) allocates that room
    /// again for its few changes.
    @Test func stagingKeepsNoRoomForARestartsEntries() {
        var live = StateTree()
        for (key, value) in Self.entries(20_000) { live.update(key: key, value: value) }
        let root = live.root()
        #expect(live.staged.capacity == 0)
        var scratch = live
        for (key, value) in Self.entries(3, salt: 1) { scratch.update(key: key, value: value) }
        #expect(scratch.staged.count == 3)
        #expect(scratch.staged.capacity < 1_000)
        #expect(scratch.root() != root)
        #expect(live.root() == root)
    }

    @Test func aProofLongerThanAnyPathIsRefusedWhenDecoded() {
        let tooLong = StateProof(siblings: Array(repeating: .zero, count: SparseMerkle.maxDepth + 1))
        #expect(throws: CanonicalDecodingError.self) { try StateProof.decode(canonical: tooLong.canonicalBytes) }
        #expect(!tooLong.verifies(key: [1], value: [2], stateRoot: .zero))
    }
}
